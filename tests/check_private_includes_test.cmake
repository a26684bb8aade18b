# The check in check_private_includes.cmake must fail on a leak: a tree
# whose api/ includes RocksDB, or whose relay/ includes engine/internal/,
# fails it naming the file, and the same tree without them passes.
# Usage: cmake -DWORK=<scratch dir> -DCHECK=<check script> -P this
cmake_minimum_required(VERSION 3.25)
set(root ${WORK}/private-includes-tree)

function(run_check result output)
  execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${root} -P ${CHECK}
                  RESULT_VARIABLE code ERROR_VARIABLE err OUTPUT_VARIABLE out)
  set(${result} ${code} PARENT_SCOPE)
  set(${output} "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${root})
file(WRITE ${root}/projections/fine.h "#include \"engine/side_store.h\"\n")
file(WRITE ${root}/engine/internal/layout.h "#include <rocksdb/db.h>\n")
run_check(code out)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "a tree without leaks failed the check:\n${out}")
endif()

foreach(leak "api/leak.h|#include <rocksdb/db.h>"
             "relay/leak.cc|#include \"engine/internal/layout.h\"")
  string(REPLACE "|" ";" parts "${leak}")
  list(GET parts 0 file)
  list(GET parts 1 line)
  file(WRITE ${root}/${file} "${line}\n")
  run_check(code out)
  if(code EQUAL 0 OR NOT out MATCHES "${file}")
    message(FATAL_ERROR "the check let ${file} (${line}) pass:\n${out}")
  endif()
  file(REMOVE ${root}/${file})
endforeach()
file(REMOVE_RECURSE ${root})
