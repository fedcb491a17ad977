# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# libibverbs: local RDMA devices and ports. The attribute mapping is plain
# code (always built and unit-tested without a device); the backend needs
# libibverbs.
ofmf_sources(verbs/mapping.cpp)
ofmf_add_backend(verbs SOURCES verbs/backend.cpp FEATURE OFMF_BACKEND_VERBS)
if(NOT OFMF_BACKEND_VERBS_FOUND)
  ofmf_sources(verbs/unavailable.cpp)
endif()
