# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# libfabric: the inventory (fi_getinfo), the latency/bandwidth probe and
# the ofi backend. Names and size parsing are plain code, always built;
# without libfabric the entry points return errc::not_supported.
ofmf_public_headers(ofmf/backend/inventory.hpp ofmf/backend/probe.hpp)
ofmf_sources(ofi/names.cpp ofi/redfish.cpp)
ofmf_add_backend(ofi
  SOURCES ofi/inventory.cpp ofi/probe.cpp ofi/control.cpp ofi/backend.cpp
  FEATURE OFMF_BACKEND_OFI)
if(NOT OFMF_BACKEND_OFI_FOUND)
  ofmf_sources(ofi/unavailable.cpp)
endif()
