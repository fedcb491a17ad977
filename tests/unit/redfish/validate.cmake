# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Exported Redfish trees checked against DMTF's JSON schemas (DSP8010) with
# python3-jsonschema (validate_tree.py: schema, counts, Ids, links, URI
# patterns, property versions) and with redfish-validate.py --rules. One
# tree per generator (ofmfctl topo gen) and per tests/data fixture, with
# partitions and counters. Schemas: $OFMF_REDFISH_SCHEMA_DIR, else
# ../shared/redfish/json-schema; absent schemas or validator: the tests
# print "SKIPPED: ..." and report skipped (exit 77).

add_executable(redfish_export_fixture ${CMAKE_CURRENT_LIST_DIR}/export_fixture.cpp)
target_link_libraries(redfish_export_fixture PRIVATE ofmf_internal)

set(OFMF_REDFISH_DEFAULT_SCHEMA_DIR "${PROJECT_SOURCE_DIR}/../shared/redfish/json-schema")
set(OFMF_REDFISH_VALIDATOR "${PROJECT_SOURCE_DIR}/../shared/tools/redfish-validate.py")
set(_validate /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/validate_tree.py
    --default-schemas ${OFMF_REDFISH_DEFAULT_SCHEMA_DIR})
set(_work ${CMAKE_CURRENT_BINARY_DIR}/redfish-validate)
file(MAKE_DIRECTORY ${_work})

# ofmf_redfish_validate(<name> <export command>...): the tree the command
# writes to {out} passes validate_tree.py, then redfish-validate.py --rules.
function(ofmf_redfish_validate name)
  add_test(NAME redfish.validate.${name}
    COMMAND ${_validate} --work ${_work}/${name} -- ${ARGN})
  add_test(NAME redfish.dmtf_validator.${name}
    COMMAND ${_validate} --validator ${OFMF_REDFISH_VALIDATOR} --work ${_work}/${name}-dmtf -- ${ARGN})
  set_tests_properties(redfish.validate.${name} redfish.dmtf_validator.${name} PROPERTIES
    LABELS "redfish;validate" SKIP_RETURN_CODE 77 TIMEOUT 600)
endfunction()

set(_export $<TARGET_FILE:redfish_export_fixture>)
# Every fixture, decorated (partitions, counters, LIDs, states).
file(GLOB _fixtures CONFIGURE_DEPENDS ${OFMF_TEST_DATA_DIR}/*.ibnd)
foreach(f IN LISTS _fixtures)
  get_filename_component(name ${f} NAME_WE)
  ofmf_redfish_validate(${name} ${_export} ${f} {out})
endforeach()

if(TARGET ofmfctl)
  set(_ofmfctl $<TARGET_FILE:ofmfctl>)
  # A fixture as `ofmfctl redfish export` writes it.
  ofmf_redfish_validate(ofmfctl-ibsim-3sw-mixed ${_ofmfctl} redfish export ${OFMF_TEST_DATA_DIR}/ibsim-3sw-mixed.ibnd {out})
  # Every generator, through ofmfctl topo gen: exported by ofmfctl redfish
  # export as generated, and decorated by the helper.
  set(_gens
    "kary-ntree|kary-ntree --k 2 --n 3"
    "xgft|xgft --m 2,3 --w 1,2"
    "fat-tree-2|fat-tree --radix 4 --levels 2"
    "fat-tree-3|fat-tree --radix 4 --levels 3"
    "torus|torus --dims 3x3"
    "mesh|mesh --dims 2x3x2 --endpoints-per-switch 2"
    "dragonfly|dragonfly --a 2 --p 1 --h 1"
    "hyperx|hyperx --dims 3x2 --trunking 2"
    "random-regular|random-regular --switches 8 --degree 3 --seed 7")
  foreach(g IN LISTS _gens)
    string(REPLACE "|" ";" g "${g}")
    list(GET g 0 name)
    list(GET g 1 args)
    ofmf_redfish_validate(gen-${name} /bin/sh -c
      "\"${_ofmfctl}\" topo gen ${args} -o {out}.ibnd && \"${_ofmfctl}\" redfish export {out}.ibnd {out}")
    ofmf_redfish_validate(gen-${name}-decorated /bin/sh -c
      "\"${_ofmfctl}\" topo gen ${args} -o {out}.ibnd && \"${_export}\" {out}.ibnd {out}")
  endforeach()
endif()

# The checks themselves can fail: each breakage made on purpose is caught.
add_test(NAME redfish.validate.self_test
  COMMAND ${_validate} --self-test --work ${_work}/self-test --
          ${_export} ${OFMF_TEST_DATA_DIR}/ibsim-3sw-mixed.ibnd {out})
set_tests_properties(redfish.validate.self_test PROPERTIES LABELS "redfish;validate" SKIP_RETURN_CODE 77 TIMEOUT 600)
