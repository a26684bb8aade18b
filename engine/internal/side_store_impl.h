// What a SideStore is made of: the store's database and, for each space,
// its column family and key prefix. Private to engine/.
#pragma once

#include <rocksdb/db.h>

#include <array>
#include <string_view>

#include "engine/side_store.h"

namespace exemplar {

struct SideStore::Impl {
  struct Space {
    rocksdb::ColumnFamilyHandle* family = nullptr;
    std::string_view prefix;
  };

  rocksdb::DB* db = nullptr;
  std::array<Space, 6> spaces;  // by SideSpace

  const Space& of(SideSpace space) const {
    return spaces[static_cast<size_t>(space)];
  }
};

}  // namespace exemplar
