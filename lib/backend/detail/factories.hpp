// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
#pragma once

// Factories of the built-in backends; each is defined in its folder and
// compiled only when the backend is (see ofmf_add_backend()).

#include <memory>

#include "ofmf/backend/backend.hpp"

namespace ofmf::backend {

std::unique_ptr<Backend> make_sim_backend();
std::unique_ptr<Backend> make_umad_backend();
std::unique_ptr<Backend> make_verbs_backend();
std::unique_ptr<Backend> make_ofi_backend();

} // namespace ofmf::backend
