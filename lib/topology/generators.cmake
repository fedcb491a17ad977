# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Topology generators (include/ofmf/topology/generators.hpp).
ofmf_sources(generators_tree.cpp generators_direct.cpp)
