# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Redfish import: a resource tree or a mockup folder back into the model.
ofmf_public_headers(ofmf/redfish/import.hpp)
ofmf_sources(import.cpp mockup_read.cpp)
