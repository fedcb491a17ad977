# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# Helper functions shared by the project's CMakeLists.

include_guard(GLOBAL)
find_package(PkgConfig QUIET)

# ofmf_feature(VAR "doc" PKG <pkg-config module> | CMAKE <package>)
# VAR is a cache string AUTO|ON|OFF. Sets VAR_FOUND (ON when the feature
# is built). ON and the dependency missing is a configure error.
function(ofmf_feature var doc)
  cmake_parse_arguments(F "" "PKG;CMAKE" "" ${ARGN})
  set(${var} AUTO CACHE STRING "${doc}: AUTO, ON or OFF")
  set_property(CACHE ${var} PROPERTY STRINGS AUTO ON OFF)
  string(TOUPPER "${${var}}" _mode)
  if(NOT _mode MATCHES "^(AUTO|ON|OFF)$")
    message(FATAL_ERROR "${var}=${${var}}: expected AUTO, ON or OFF")
  endif()
  set(_found OFF)
  if(NOT _mode STREQUAL "OFF")
    if(F_PKG AND PKG_CONFIG_FOUND)
      pkg_check_modules(${var}_PC QUIET IMPORTED_TARGET GLOBAL ${F_PKG})
      if(${var}_PC_FOUND)
        set(_found ON)
      endif()
    elseif(F_CMAKE STREQUAL "pybind11")
      # The distribution's interpreter is the one its pybind11 was built for.
      if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
        set(Python_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python interpreter for the bindings")
      endif()
      find_package(Python 3.8 COMPONENTS Interpreter Development.Module QUIET)
      if(Python_FOUND)
        set(PYBIND11_FINDPYTHON ON)
        find_package(pybind11 CONFIG QUIET)
        if(pybind11_FOUND)
          set(_found ON)
        endif()
      endif()
    elseif(F_CMAKE)
      find_package(${F_CMAKE} CONFIG QUIET)
      if(${F_CMAKE}_FOUND)
        set(_found ON)
      endif()
    endif()
    if(_mode STREQUAL "ON" AND NOT _found)
      message(FATAL_ERROR "${var}=ON but ${F_PKG}${F_CMAKE} was not found")
    endif()
  endif()
  message(STATUS "ofmf: ${doc}: ${_found} (${var}=${_mode})")
  set(${var}_FOUND ${_found} PARENT_SCOPE)
endfunction()

# ofmf_public_headers(<paths relative to include/>...)
# Records headers to install; the installed set is this explicit list.
function(ofmf_public_headers)
  set_property(GLOBAL APPEND PROPERTY OFMF_PUBLIC_HEADERS ${ARGN})
endfunction()

# ofmf_sources(<files>...) adds sources to the library (both flavours).
function(ofmf_sources)
  foreach(f IN LISTS ARGN)
    target_sources(ofmf_objects PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/${f}")
  endforeach()
endfunction()

# ofmf_add_backend(<name> SOURCES <files>... [FEATURE <VAR>])
# Adds a hardware backend from lib/backend/<name>/. FEATURE names the
# ofmf_feature() variable whose pkg-config module the backend needs; when
# that feature is off the backend is left out. The module's libraries are
# linked privately (the public headers never include them) and listed in
# ofmf.pc's Libs.private; OFMF_HAVE_BACKEND_<NAME> is defined for
# lib/backend/builtin_backends.cpp.
function(ofmf_add_backend name)
  cmake_parse_arguments(B "" "FEATURE" "SOURCES" ${ARGN})
  if(B_FEATURE AND NOT ${B_FEATURE}_FOUND)
    return()
  endif()
  ofmf_sources(${B_SOURCES})
  string(TOUPPER "${name}" _up)
  target_compile_definitions(ofmf_objects PRIVATE OFMF_HAVE_BACKEND_${_up}=1)
  if(B_FEATURE)
    target_include_directories(ofmf_objects SYSTEM PRIVATE ${${B_FEATURE}_PC_INCLUDE_DIRS})
    set_property(GLOBAL APPEND PROPERTY OFMF_BACKEND_LIBS ${${B_FEATURE}_PC_LIBRARIES})
  endif()
  set_property(GLOBAL APPEND PROPERTY OFMF_BACKENDS ${name})
endfunction()
