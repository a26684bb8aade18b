// The store's damaged files named for an operator. Private to engine/.
#pragma once

#include <rocksdb/db.h>

#include <string>

#include "events/status.h"

namespace exemplar {

// `fault` with the table file it comes from named, when that file can be
// told: the file's path, its column family and what the family holds, then
// the fault's own message (RocksDB's corruption message, or ours at a
// position). A RocksDB corruption (a message holding "Corruption: ") names
// its file in its message, or comes from a read of the log at
// `fault.number()`; the result is kCorruption at the same position (0 when
// none). Any other fault is returned as it is. `db` may be null (the store did
// not open): the file is then named without its family.
Status NameDamagedFile(rocksdb::DB* db, Status fault);

// Whether `fault` is a RocksDB corruption turned into our Status (kIoError,
// or kCorruption at the position of the log being read).
bool IsStorageCorruption(const Status& fault);

}  // namespace exemplar
