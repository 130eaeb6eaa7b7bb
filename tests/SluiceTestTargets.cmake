# The functions tests/CMakeLists.txt and tests/console/CMakeLists.txt make their test executables with.

# Sets `out` to TRUE when a test folder's files start threads, directly or through a class of ours that
# owns one (AccessLogWriter, CacheStore's StoreWriter, the server's Worker, a node): such a folder gets
# the ctest label `threaded` and is built and run in the TSan pass. Checked when CMake configures.
function(sluice_unit_folder_threaded out)
  set(threaded FALSE)
  set(pattern "std::thread[^:]|std::jthread|std::async|QThread|QtConcurrent|uv_thread_create|pthread_create")
  string(APPEND pattern "|AccessLogWriter|AccessLog[ >&*]|CacheStore|StoreWriter|[^A-Za-z_]Worker[^A-Za-z_]|[^A-Za-z_]Node[^A-Za-z_]|NodeProcess")
  foreach(file ${ARGN})
    get_filename_component(dir ${file} DIRECTORY)
    file(GLOB headers ${dir}/*.h)
    foreach(source ${file} ${headers})
      file(STRINGS ${source} hits REGEX "${pattern}")
      if(hits)
        set(threaded TRUE)
      endif()
    endforeach()
  endforeach()
  set(${out} ${threaded} PARENT_SCOPE)
endfunction()

# sluice_add_test_folder(TARGET PREFIX "FILES" LINK_LIBRARY)
# Links the test files FILES of one folder into the executable TARGET and registers `PREFIX.NAME`
# (running `TARGET NAME`) for each NAME_test.cpp; a file without QTEST_*MAIN (its own main()) gets
# the executable TARGET_NAME instead. They reuse LINK_LIBRARY's precompiled header (see
# sluice_test_precompile_headers), which force-includes the registration header.
function(sluice_add_test_folder target prefix files link_library)
  set(registered)
  set(standalone)
  foreach(file ${files})
    file(STRINGS ${file} entry REGEX "^[ \t]*QTEST_(GUILESS_|APPLESS_)?MAIN[ \t]*\\(")
    if(entry)
      list(APPEND registered ${file})
    else()
      list(APPEND standalone ${file})
    endif()
  endforeach()

  set(made)
  if(registered)
    add_executable(${target} ${registered})
    target_link_libraries(${target} PRIVATE sluice_qtest_main)
    list(APPEND made ${target})
  endif()
  foreach(file ${standalone})
    get_filename_component(short ${file} NAME_WE)
    string(REGEX REPLACE "_test$" "" short ${short})
    add_executable(${target}_${short} ${file})
    list(APPEND made ${target}_${short})
  endforeach()

  foreach(exe ${made})
    set_target_properties(${exe} PROPERTIES AUTOMOC ON RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    target_compile_options(${exe} PRIVATE ${SLUICE_TEST_WARNINGS})
    target_link_libraries(${exe} PRIVATE ${link_library})
    if(CMAKE_DISABLE_PRECOMPILE_HEADERS)
      target_compile_options(${exe} PRIVATE -include ${SLUICE_QTEST_REGISTRATION_HEADER})
    else()
      target_precompile_headers(${exe} REUSE_FROM ${link_library})
    endif()
  endforeach()

  foreach(file ${registered})
    get_filename_component(short ${file} NAME_WE)
    string(REGEX REPLACE "_test$" "" short ${short})
    add_test(NAME ${prefix}.${short} COMMAND ${target} ${short})
  endforeach()
  foreach(file ${standalone})
    get_filename_component(short ${file} NAME_WE)
    string(REGEX REPLACE "_test$" "" short ${short})
    add_test(NAME ${prefix}.${short} COMMAND ${target}_${short})
  endforeach()
  set(SLUICE_LAST_TEST_TARGETS ${made} PARENT_SCOPE)
endfunction()

# The headers most test files include (Qt's are the bulk of a test file's compile time), plus the
# registration header, precompiled once for `library`, whose compile flags the test executables that
# link it share: they reuse its PCH (REUSE_FROM). GCC 12 loses its system-header exemption for the
# middle end's warnings on code inlined from a PCH (std::string's operator+ then trips the known
# -Warray-bounds false positive), so SLUICE_TEST_WARNINGS turns those off for test code, whose bounds
# the ASan pass checks at run time.
set(SLUICE_QTEST_REGISTRATION_HEADER ${CMAKE_CURRENT_LIST_DIR}/support/qtest_registry/qtest_registration.h)
set(SLUICE_TEST_WARNINGS ${SLUICE_WARNINGS})
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND SLUICE_TEST_WARNINGS -Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread -Wno-restrict)
endif()
function(sluice_test_precompile_headers library)
  target_compile_options(${library} PRIVATE ${SLUICE_TEST_WARNINGS})
  if(CMAKE_DISABLE_PRECOMPILE_HEADERS)
    return()
  endif()
  target_precompile_headers(${library} PRIVATE
    <QtTest> <QCoreApplication> <QJsonArray> <QJsonDocument> <QJsonObject> <QTemporaryDir> <QFile>
    <QDir> <QRegularExpression> <QElapsedTimer>
    <string> <string_view> <vector> <map> <set> <memory> <functional> <optional> <chrono> <thread>
    <atomic> <random> <cstring>
    ${ARGN} ${SLUICE_QTEST_REGISTRATION_HEADER})
endfunction()
