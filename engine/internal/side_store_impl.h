// What a SideStore is made of: the store's database and, for each space,
// its column family and key prefix. Private to engine/.
#pragma once

#include <rocksdb/db.h>

#include <array>
#include <string_view>
#include <vector>

#include "engine/side_store.h"

namespace exemplar {

struct SideStore::Impl {
  struct Space {
    rocksdb::ColumnFamilyHandle* family = nullptr;
    std::string_view prefix;
  };

  rocksdb::DB* db = nullptr;
  // Every column family of the store, for Purge's flush.
  std::vector<rocksdb::ColumnFamilyHandle*> all_families;
  std::array<Space, 7> spaces;  // by SideSpace

  const Space& of(SideSpace space) const {
    return spaces[static_cast<size_t>(space)];
  }
};

}  // namespace exemplar
