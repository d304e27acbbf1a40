# silo_settings: the one INTERFACE target that carries the language level, warnings and sanitizer
# flags. Every silo target links it, so a flag changes in exactly one place.
add_library(silo_settings INTERFACE)
target_compile_features(silo_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

if(MSVC)
  target_compile_options(silo_settings INTERFACE /W4 /WX /permissive- /utf-8)
else()
  # No -Wnull-dereference: GCC 12 at -O2 reports "potential null pointer dereference" through
  # boost::system::result and std::optional accessors after a checked has_value(), so it broke
  # release builds in every module with false positives. Real null dereferences are caught by the
  # asan preset (UBSan's null checks) and the fuzz preset.
  target_compile_options(silo_settings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough -Werror)
endif()

set(SILO_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined (empty: none)")
if(SILO_SANITIZE AND NOT MSVC)
  target_compile_options(silo_settings INTERFACE -fsanitize=${SILO_SANITIZE} -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=all)
  target_link_options(silo_settings INTERFACE -fsanitize=${SILO_SANITIZE})
endif()

# Boost.Asio: no deprecated interfaces, and one place for the Windows target version.
target_compile_definitions(silo_settings INTERFACE BOOST_ASIO_NO_DEPRECATED)
if(WIN32)
  target_compile_definitions(silo_settings INTERFACE _WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX)
endif()
# A translation unit with Beast sessions and coroutines has more than the 32767 sections a COFF
# object holds by default (mingw's assembler: "too many sections"); MSVC has /bigobj for the same.
if(MINGW)
  target_compile_options(silo_settings INTERFACE -Wa,-mbig-obj)
elseif(MSVC)
  target_compile_options(silo_settings INTERFACE /bigobj)
endif()
