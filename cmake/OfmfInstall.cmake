# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Installation: libraries, the explicit list of public headers, the CMake
# package (ofmfConfig.cmake + version file + targets) and ofmf.pc.

include(CMakePackageConfigHelpers)
set(OFMF_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/ofmf")

install(TARGETS ${OFMF_LIBRARY_TARGETS} EXPORT ofmfTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

get_property(_ofmf_headers GLOBAL PROPERTY OFMF_PUBLIC_HEADERS)
foreach(h IN LISTS _ofmf_headers)
  get_filename_component(_dir "${h}" DIRECTORY)
  install(FILES "${PROJECT_SOURCE_DIR}/include/${h}" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/${_dir}")
endforeach()

install(EXPORT ofmfTargets NAMESPACE ofmf:: DESTINATION ${OFMF_CMAKE_DIR})
export(EXPORT ofmfTargets NAMESPACE ofmf:: FILE "${PROJECT_BINARY_DIR}/ofmfTargets.cmake")

configure_package_config_file(cmake/ofmfConfig.cmake.in
  "${PROJECT_BINARY_DIR}/ofmfConfig.cmake" INSTALL_DESTINATION ${OFMF_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/ofmfConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/ofmfConfig.cmake" "${PROJECT_BINARY_DIR}/ofmfConfigVersion.cmake"
  DESTINATION ${OFMF_CMAKE_DIR})

# Relocatable: the prefix is found relative to the .pc file.
file(RELATIVE_PATH OFMF_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" OFMF_PC_TO_PREFIX "${OFMF_PC_TO_PREFIX}")
configure_file(cmake/ofmf.pc.in "${PROJECT_BINARY_DIR}/ofmf.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/ofmf.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

if(TARGET ofmfctl)
  install(TARGETS ofmfctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES LICENSE-BSD LICENSE-GPLv2 DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/ofmf")
