# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# The umad backend: subnet management over rdma-core's libibumad.
# One source per line.
# The MAD codec (umad/mad.hpp, field tables in umad/mad/) needs no
# library: built even when the backend is not, so its unit tests and
# fuzzer always link.
ofmf_sources(
  umad/mad/fields.cpp
  umad/mad/common.cpp
  umad/mad/smp.cpp
  umad/mad/perf.cpp
)
ofmf_add_backend(umad
  FEATURE OFMF_BACKEND_UMAD
  SOURCES
  umad/transport.cpp
  umad/discovery.cpp
  umad/backend.cpp
  umad/sm.cpp
)
