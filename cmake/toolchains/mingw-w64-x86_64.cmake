# Cross-compiles silo for 64-bit Windows with Debian's mingw-w64 (the windows-cross preset) and runs
# what it builds under Wine. The posix thread model is the one whose libstdc++ has std::thread,
# std::mutex and std::condition_variable (through winpthreads); the win32 one lacks them in GCC 12.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_MC_COMPILER x86_64-w64-mingw32-windmc)  # message tables (service/windows/silod_messages.mc)

# Libraries and headers come only from the mingw sysroot; never from the host's /usr/include,
# whose glibc headers would silently shadow the Windows ones. Programs (ninja, wine) come from the host.
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# libgcc, libstdc++ and winpthread linked in statically, so each .exe runs under Wine (and on a
# bare Windows host) without copying the mingw runtime DLLs next to it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")

# CTest and gtest_discover_tests run the .exe files through this wrapper: wine64 with WINEDEBUG=-all
# and a prefix that belongs to this build tree (created on first use, see the script).
set(SILO_WINEPREFIX "${CMAKE_BINARY_DIR}/wineprefix" CACHE PATH "WINEPREFIX the cross build's tests run in")
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/wine-run.sh;${SILO_WINEPREFIX}")
