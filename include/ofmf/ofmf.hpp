// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

/// \file
/// Umbrella header: the whole public API.

#include "ofmf/error.hpp"
#include "ofmf/export.hpp"
#include "ofmf/output.hpp"
#include "ofmf/version.hpp"
#include "ofmf/model/fabric.hpp"
#include "ofmf/model/topology_view.hpp"
#include "ofmf/model/types.hpp"
