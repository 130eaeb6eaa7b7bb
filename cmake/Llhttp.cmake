# llhttp 8.1 from Debian's node-llhttp: its generated C is compiled into a static library here.
# scripts/install-deps.sh unpacks the package into .deps/llhttp; a system-wide node-llhttp works too.
find_path(LLHTTP_SRC_DIR llhttp.c
  PATHS ${CMAKE_SOURCE_DIR}/.deps/llhttp/usr/share/llhttp /usr/share/llhttp NO_DEFAULT_PATH)
find_path(LLHTTP_INCLUDE_DIR llhttp.h
  PATHS ${CMAKE_SOURCE_DIR}/.deps/llhttp/usr/share/include/llhttp /usr/share/include/llhttp NO_DEFAULT_PATH)
if(NOT LLHTTP_SRC_DIR OR NOT LLHTTP_INCLUDE_DIR)
  message(FATAL_ERROR "llhttp sources not found: run scripts/install-deps.sh first")
endif()
add_library(llhttp STATIC ${LLHTTP_SRC_DIR}/llhttp.c ${LLHTTP_SRC_DIR}/api.c ${LLHTTP_SRC_DIR}/http.c)
target_include_directories(llhttp SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
set_target_properties(llhttp PROPERTIES POSITION_INDEPENDENT_CODE ON C_STANDARD 99)
target_compile_options(llhttp PRIVATE -O2 -w)
