# Third-party libraries for the windows-cross preset (mingw-w64 on Debian, tests under Wine).
# Debian ships no mingw builds of anything silo uses, but Boost (Beast/Asio/System), nlohmann/json,
# spdlog and fmt all work header-only, so their headers come from the host packages. Only their own
# folders go on the include path, through links in a staging folder: /usr/include itself would put
# glibc's headers in front of mingw's. SQLite and zlib are built here from their sources (below).
# OpenSSL and libarchive have no such form, so TLS stays out of this build and the Windows layer
# import reads tars with silo's own reader (storage/layers/tar_entry_reader.h).
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

# SQLite from its official amalgamation, compiled with the cross compiler: Debian ships neither a
# mingw SQLite nor sqlite3.c, so the file comes from the npm package better-sqlite3 (pinned in
# cmake/windows-cross-sources/package-lock.json, installed by scripts/install-npm-deps.sh), which
# carries it unmodified in deps/sqlite3. The options are the ones the Linux package's matter for:
# serialized threading (silo shares connections behind its own mutexes, but the pool is threaded),
# no extension loading, no double-quoted string literals.
set(SILO_SQLITE_AMALGAMATION "${PROJECT_SOURCE_DIR}/cmake/windows-cross-sources/node_modules/better-sqlite3/deps/sqlite3")
if(NOT EXISTS "${SILO_SQLITE_AMALGAMATION}/sqlite3.c")
  message(FATAL_ERROR "windows-cross: ${SILO_SQLITE_AMALGAMATION}/sqlite3.c is missing; run scripts/install-npm-deps.sh")
endif()
enable_language(C)
add_library(silo_sqlite3 STATIC "${SILO_SQLITE_AMALGAMATION}/sqlite3.c")
target_include_directories(silo_sqlite3 SYSTEM PUBLIC "${SILO_SQLITE_AMALGAMATION}")
target_compile_definitions(silo_sqlite3 PRIVATE
  SQLITE_THREADSAFE=1 SQLITE_OMIT_LOAD_EXTENSION SQLITE_DQS=0 SQLITE_DEFAULT_MEMSTATUS=0)
# Its own warnings are SQLite's business, not silo's -Werror.
target_compile_options(silo_sqlite3 PRIVATE -w)
add_library(SQLite::SQLite3 ALIAS silo_sqlite3)

# zlib 1.3.1 from its sources, for the same reason: the npm package zlib-sync (pinned in the same
# lock file) carries them unmodified in deps/zlib. Only inflate/deflate and their helpers: silo never
# uses gzFile I/O.
set(SILO_ZLIB_SOURCES "${PROJECT_SOURCE_DIR}/cmake/windows-cross-sources/node_modules/zlib-sync/deps/zlib")
if(NOT EXISTS "${SILO_ZLIB_SOURCES}/inflate.c")
  message(FATAL_ERROR "windows-cross: ${SILO_ZLIB_SOURCES}/inflate.c is missing; run scripts/install-npm-deps.sh")
endif()
set(silo_zlib_files adler32.c compress.c crc32.c deflate.c infback.c inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c)
list(TRANSFORM silo_zlib_files PREPEND "${SILO_ZLIB_SOURCES}/")
add_library(silo_zlib STATIC ${silo_zlib_files})
target_include_directories(silo_zlib SYSTEM PUBLIC "${SILO_ZLIB_SOURCES}")
target_compile_options(silo_zlib PRIVATE -w)
add_library(ZLIB::ZLIB ALIAS silo_zlib)
