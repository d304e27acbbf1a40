# Third-party libraries for the windows-cross preset (mingw-w64 on Debian, tests under Wine).
# Debian ships no mingw builds of anything silo uses, but Boost (Beast/Asio/System), nlohmann/json,
# spdlog and fmt all work header-only, so their headers come from the host packages. Only their own
# folders go on the include path, through links in a staging folder: /usr/include itself would put
# glibc's headers in front of mingw's. SQLite and OpenSSL have no header-only form, so the targets
# that need them stay out of this build (see SILO_WINDOWS_CROSS_SUBSET in the top-level CMakeLists.txt).
find_package(Threads REQUIRED)  # winpthreads, from the posix flavour of mingw-w64

set(SILO_HOST_HEADERS "${CMAKE_BINARY_DIR}/host-headers")
file(MAKE_DIRECTORY "${SILO_HOST_HEADERS}")
foreach(folder boost nlohmann spdlog fmt CLI)
  if(NOT EXISTS "/usr/include/${folder}")
    message(FATAL_ERROR "windows-cross: /usr/include/${folder} is missing; run scripts/install-deps.sh")
  endif()
  file(CREATE_LINK "/usr/include/${folder}" "${SILO_HOST_HEADERS}/${folder}" SYMBOLIC)
endforeach()

# Imported INTERFACE targets with the names find_package gives on Linux, so no CMakeLists.txt below
# this one knows which build it is in. Imported include folders are SYSTEM: their warnings never
# trip -Werror.
add_library(Boost::headers INTERFACE IMPORTED)
set_target_properties(Boost::headers PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${SILO_HOST_HEADERS}"
  # No auto-linking (an MSVC feature) and no Boost.System library: 1.81's is header-only.
  INTERFACE_COMPILE_DEFINITIONS "BOOST_ALL_NO_LIB"
  # Asio's sockets and AcceptEx/ConnectEx.
  INTERFACE_LINK_LIBRARIES "ws2_32;mswsock")

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${SILO_HOST_HEADERS}")

# Debian's spdlog/tweakme.h defines SPDLOG_FMT_EXTERNAL, so fmt is needed too, header-only as well.
add_library(spdlog::spdlog INTERFACE IMPORTED)
set_target_properties(spdlog::spdlog PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${SILO_HOST_HEADERS}"
  INTERFACE_COMPILE_DEFINITIONS "SPDLOG_HEADER_ONLY;SPDLOG_FMT_EXTERNAL;FMT_HEADER_ONLY"
  INTERFACE_LINK_LIBRARIES "Threads::Threads")

add_library(CLI11::CLI11 INTERFACE IMPORTED)
set_target_properties(CLI11::CLI11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${SILO_HOST_HEADERS}")

# GoogleTest built from Debian's sources (libgtest-dev ships them in /usr/src/googletest). SYSTEM
# makes its include folders system ones for the tests, as the Linux packages' are.
if(SILO_BUILD_TESTS)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL SYSTEM)
  foreach(lib gtest gtest_main gmock gmock_main)
    if(NOT TARGET GTest::${lib})
      add_library(GTest::${lib} ALIAS ${lib})
    endif()
  endforeach()
endif()
