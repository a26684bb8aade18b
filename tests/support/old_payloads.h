// Payloads as older schema versions wrote them, for tests that store one
// and read it back through the upcast.
#pragma once

#include <cereal/types/string.hpp>
#include <string>

namespace exemplar::testing {

// token_issued as schema version 1 wrote it, before tokens expired.
struct TokenIssuedV1 {
  std::string token_id, user_id, secret_sha256;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id, secret_sha256);
  }
};

}  // namespace exemplar::testing
