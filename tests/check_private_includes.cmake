# Fails when a file outside engine/ includes the store's private layout
# (engine/internal/) or RocksDB itself: the store keeps its storage, and
# everyone else goes through its public headers (event_store.h,
# side_store.h, log_reader.h, audit/tree_reader.h).
# Usage: cmake -DROOT=<source dir> -P check_private_includes.cmake
cmake_minimum_required(VERSION 3.25)
set(allowed
  # Tampers with stored bytes for corruption tests: the one test helper
  # that may see the layout.
  tests/support/raw_db.h
  # Wraps RocksDB's file system to stall or fail the log's sync
  # (StoreOptions::env); includes <rocksdb/env.h> only.
  tests/support/sync_gate.h
  # Measures raw RocksDB as the baseline of the append bench.
  tools/bench_append.cc
  # Tests the Merkle tree's writer, a part of the store that writes into
  # the sequencer's RocksDB batch, against a database of its own.
  tests/engine/audit_observer_test.cc)

set(violations "")
foreach(folder api events projections relay tools tests)
  file(GLOB_RECURSE files RELATIVE ${ROOT}
       ${ROOT}/${folder}/*.h ${ROOT}/${folder}/*.cc)
  foreach(file IN LISTS files)
    if(file IN_LIST allowed)
      continue()
    endif()
    file(STRINGS ${ROOT}/${file} lines
         REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](engine/internal/|rocksdb/)")
    foreach(line IN LISTS lines)
      string(APPEND violations "  ${file}: ${line}\n")
    endforeach()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR
    "outside engine/, only the store's public headers may be included:\n"
    "${violations}")
endif()
