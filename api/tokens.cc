#include "api/tokens.h"

#include <openssl/rand.h>

#include <algorithm>
#include <mutex>
#include <random>

#include "engine/workflow/stream_ids.h"
#include "events/clock.h"
#include "events/payload_codec.h"
#include "events/sha256.h"

namespace exemplar::api {
namespace {

std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

}  // namespace

Result<std::string> RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(bytes)) != 1) {
    return Status::Internal("the random generator failed");
  }
  return Hex(raw);
}

std::string RandomIdHex(std::size_t bytes) {
  thread_local std::mt19937_64 generator = [] {
    std::uint64_t seed = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
      seed = std::random_device{}();
    }
    return std::mt19937_64(seed);
  }();
  std::string raw;
  while (raw.size() < bytes) {
    std::uint64_t word = generator();
    raw.append(reinterpret_cast<const char*>(&word),
               std::min(sizeof word, bytes - raw.size()));
  }
  return Hex(raw);
}

namespace {

template <typename T>
NewEvent TokenEvent(const T& payload, const TokenChange& change) {
  NewEvent event;
  event.type = T::kType;
  event.schema_version = T::kSchemaVersion;
  event.payload = EncodePayload(payload);
  event.actor = change.actor;
  event.request_id = change.request_id;
  event.remote_address = change.remote_address;
  event.recorded_at_us = change.at_us;
  return event;
}

}  // namespace

namespace {

// token_issued as schema version 1 wrote it: no expiry.
struct TokenIssuedV1 {
  std::string token_id;
  std::string user_id;
  std::string secret_sha256;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id, secret_sha256);
  }
};

}  // namespace

Result<TokenIssued> TokenIssued::Upcast(std::uint32_t version,
                                        std::string_view bytes) {
  if (version != 1) {
    return Status::Corruption(
        "no upcast from token_issued version " + std::to_string(version), 0);
  }
  Result<TokenIssuedV1> old = DecodeExactLayout<TokenIssuedV1>(bytes);
  if (!old.ok()) return old.status();
  return TokenIssued{old->token_id, old->user_id, old->secret_sha256, 0};
}

std::string HashSecret(std::string_view secret) {
  return ToHex(Sha256({secret}));
}

Result<std::unique_ptr<TokenRegistry>> TokenRegistry::Load(
    EventStore* store, std::function<std::int64_t()> clock) {
  if (!clock) clock = SystemClockMicros;
  std::unique_ptr<TokenRegistry> registry(
      new TokenRegistry(store, std::move(clock)));
  Result<std::vector<EventRecord>> events = store->ReadStreamsWithPrefix(
      std::string(StreamPrefix(StreamKind::kToken)));
  if (!events.ok()) return events.status();
  for (const EventRecord& record : *events) {
    EXEMPLAR_RETURN_IF_ERROR(registry->Fold(record));
  }
  return registry;
}

Status TokenRegistry::Fold(const EventRecord& record) {
  if (record.type == TokenIssued::kType) {
    Result<TokenIssued> issued = DecodeRecordPayload<TokenIssued>(record);
    if (!issued.ok()) return issued.status();
    std::unique_lock lock(mutex_);
    by_id_[issued->token_id] = TokenInfo{issued->token_id, issued->user_id,
                                         false, issued->expires_at_us};
    id_by_hash_[issued->secret_sha256] = issued->token_id;
  } else if (record.type == TokenRevoked::kType) {
    Result<TokenRevoked> revoked = DecodeRecordPayload<TokenRevoked>(record);
    if (!revoked.ok()) return revoked.status();
    std::unique_lock lock(mutex_);
    by_id_[revoked->token_id].revoked = true;
  }
  return Status::Ok();
}

Result<IssuedToken> TokenRegistry::Issue(const std::string& user_id,
                                         const TokenChange& change,
                                         std::chrono::seconds lifetime,
                                         const std::string& secret) {
  IssuedToken token;
  token.expires_at_us =
      clock_() +
      std::chrono::duration_cast<std::chrono::microseconds>(lifetime).count();
  if (secret.empty()) {
    Result<std::string> random = RandomHex(32);
    if (!random.ok()) return random.status();
    token.secret = "exm_" + *random;
  } else {
    EXEMPLAR_RETURN_IF_ERROR(CheckTokenSecret(secret));
    token.secret = secret;
  }
  Result<std::string> id = RandomHex(8);
  if (!id.ok()) return id.status();
  token.token_id = "tok" + *id;

  AppendRequest request;
  request.stream_id = StreamIdOf(StreamKind::kToken, token.token_id);
  request.expected_version = ExpectedVersion::NoStream();
  request.events.push_back(
      TokenEvent(TokenIssued{token.token_id, user_id, HashSecret(token.secret),
                             token.expires_at_us},
                 change));
  Result<AppendResult> appended = store_->Append(std::move(request));
  if (!appended.ok()) return appended.status();
  token.position = appended->last_position;
  Result<EventRecord> record = store_->ReadEvent(token.position);
  if (!record.ok()) return record.status();
  EXEMPLAR_RETURN_IF_ERROR(Fold(*record));
  return token;
}

Result<std::uint64_t> TokenRegistry::Revoke(const std::string& token_id,
                                            const TokenChange& change) {
  std::optional<TokenInfo> known = Find(token_id);
  if (!known) return Status::NotFound("no token " + token_id);
  if (known->revoked) {
    return Status::Rejected("already_revoked",
                            "token " + token_id + " is already revoked");
  }
  AppendRequest request;
  request.stream_id = StreamIdOf(StreamKind::kToken, token_id);
  // Only the issuing event may precede: a concurrent revocation loses here.
  request.expected_version = ExpectedVersion::Exact(0);
  request.events.push_back(
      TokenEvent(TokenRevoked{token_id, known->user_id}, change));
  Result<AppendResult> appended = store_->Append(std::move(request));
  if (!appended.ok()) {
    if (appended.status().code() == StatusCode::kVersionConflict) {
      return Status::Rejected("already_revoked",
                              "token " + token_id + " is already revoked");
    }
    return appended.status();
  }
  std::unique_lock lock(mutex_);
  by_id_[token_id].revoked = true;
  return appended->last_position;
}

Result<TokenInfo> TokenRegistry::Authenticate(std::string_view secret) const {
  const std::string hash = HashSecret(secret);
  std::shared_lock lock(mutex_);
  auto id = id_by_hash_.find(hash);
  if (id == id_by_hash_.end()) return Status::NotFound("unknown token");
  auto token = by_id_.find(id->second);
  if (token == by_id_.end() || token->second.revoked) {
    return Status::NotFound("revoked token");
  }
  if (token->second.ExpiredAt(clock_())) {
    return Status::Rejected("token_expired", "the token has expired");
  }
  return token->second;
}

std::optional<TokenInfo> TokenRegistry::Find(
    const std::string& token_id) const {
  std::shared_lock lock(mutex_);
  auto token = by_id_.find(token_id);
  if (token == by_id_.end()) return std::nullopt;
  return token->second;
}

Status CheckTokenSecret(const std::string& secret) {
  if (secret.size() < 20 || secret.size() > 200) {
    return Status::InvalidArgument("a token is 20 to 200 characters", "token");
  }
  for (char c : secret) {
    if (c <= ' ' || c > '~') {
      return Status::InvalidArgument("a token is printable ASCII", "token");
    }
  }
  return Status::Ok();
}

}  // namespace exemplar::api
