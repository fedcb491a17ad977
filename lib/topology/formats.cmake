# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Topology file formats: ibnetdiscover, ibsim netfile, DOT, file I/O.
ofmf_sources(ibnetdiscover.cpp netfile.cpp dot.cpp format.cpp)
