// The store's database and column families, for the parts of engine/ that
// read them directly (the log reader, the audit tree and verifier). Private
// to engine/; everyone else goes through the store's public headers.
#pragma once

#include <rocksdb/db.h>

#include "engine/event_store.h"

namespace exemplar {

class StoreInternals {
 public:
  static rocksdb::DB* db(const EventStore& store);
  // The handle of family `name` (engine/internal/layout.h).
  static rocksdb::ColumnFamilyHandle* family(const EventStore& store,
                                             const char* name);
};

}  // namespace exemplar
