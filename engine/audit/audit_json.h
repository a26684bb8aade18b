// JSON forms of signed tree heads and proofs, shared by the HTTP API and the
// offline `check-proof` command. Hashes and signatures are lower-case hex.
//
//   SignedTreeHead:       {"tree_size": 8, "timestamp_us": 1700000000000000,
//                          "root_hash": "<64 hex>", "signature": "<128 hex>"}
//   InclusionProofData:   {"leaf_index": 5, "tree_size": 8,
//                          "event_hash": "<64 hex>", "path": ["<64 hex>", ...]}
//   ConsistencyProofData: {"first_size": 6, "second_size": 8,
//                          "path": ["<64 hex>", ...]}
//
// FromJson accepts upper-case hex and ignores unknown members.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/audit/merkle.h"
#include "engine/audit/signed_head.h"
#include "events/status.h"

namespace exemplar::audit {

nlohmann::json ToJson(const SignedTreeHead& head);
nlohmann::json ToJson(const InclusionProofData& proof);
nlohmann::json ToJson(const ConsistencyProofData& proof);

// Parses the JSON form of T. kInvalidArgument, with field() naming the
// member, when a member is missing, of the wrong type or badly encoded.
template <typename T>
Result<T> FromJson(const nlohmann::json& json);

template <>
Result<SignedTreeHead> FromJson<SignedTreeHead>(const nlohmann::json& json);
template <>
Result<InclusionProofData> FromJson<InclusionProofData>(
    const nlohmann::json& json);
template <>
Result<ConsistencyProofData> FromJson<ConsistencyProofData>(
    const nlohmann::json& json);

}  // namespace exemplar::audit
