// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

#include "ofmf/export.hpp"

/// Library version. CMake reads the numbers from this file, so this is the
/// one place where the version is set.
#define OFMF_VERSION_MAJOR 0
#define OFMF_VERSION_MINOR 1
#define OFMF_VERSION_PATCH 0

namespace ofmf {

/// "MAJOR.MINOR.PATCH" of the library actually linked (may differ from the
/// macros above when a program runs against a newer shared library).
/// The string is static; never free it.
OFMF_API const char* version_string() noexcept;

} // namespace ofmf
