# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Redfish rendering and mockup export: the resource tree, the model mapped
# to resources (MAPPING.md), mockup folders.
ofmf_public_headers(ofmf/redfish/tree.hpp ofmf/redfish/render.hpp ofmf/redfish/mockup.hpp
                    ofmf/redfish/enums.hpp ofmf/redfish/schema_versions.hpp)
ofmf_sources(tree.cpp json_out.cpp render.cpp renderer.cpp mockup_write.cpp json_text.cpp)
