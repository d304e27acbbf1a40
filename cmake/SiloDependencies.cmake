# Third-party libraries as imported targets. On Debian they come from the packages that
# scripts/install-deps.sh installs; on Windows from vcpkg.json. Imported include folders are
# SYSTEM, so their warnings never trip -Werror.
if(CMAKE_CROSSCOMPILING AND WIN32)
  # The windows-cross preset (mingw-w64): header-only libraries from the host, GoogleTest from source.
  include(${CMAKE_CURRENT_LIST_DIR}/SiloWindowsCrossDependencies.cmake)
  return()
endif()
find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS headers)
find_package(nlohmann_json 3.10 CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(ZLIB REQUIRED)  # gzip layer uploads; the windows-cross preset builds its own
if(SILO_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
