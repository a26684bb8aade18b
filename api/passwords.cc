#include "api/passwords.h"

#include <sodium.h>

#include "api/json_body.h"
#include "engine/workflow/ids.h"
#include "events/text.h"

namespace exemplar::api {
namespace {

Status Busy() {
  return Status::Unavailable("busy: too many passwords are being checked");
}

}  // namespace

Status CheckNewPassword(std::string_view password) {
  if (!IsValidUtf8(password)) {
    return Status::InvalidArgument("a password is UTF-8 text", "password");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument(
        "a password is at most " + std::to_string(kMaxPasswordBytes) + " bytes",
        "password");
  }
  if (CodePointCount(password) < kMinPasswordCodePoints) {
    return Status::InvalidArgument("a password is at least " +
                                       std::to_string(kMinPasswordCodePoints) +
                                       " characters",
                                   "password");
  }
  return Status::Ok();
}

TurnGate::TurnGate(int concurrent, int queued)
    : concurrent_(concurrent), queued_(queued) {}

TurnGate::Turn::~Turn() {
  if (gate_) gate_->Leave();
}

std::optional<TurnGate::Turn> TurnGate::Enter() {
  std::unique_lock lock(mutex_);
  if (running_ >= concurrent_) {
    if (waiting_ >= queued_) return std::nullopt;
    ++waiting_;
    turn_free_.wait(lock, [this] { return running_ < concurrent_; });
    --waiting_;
  }
  ++running_;
  return std::optional<Turn>(std::in_place, this);
}

void TurnGate::Leave() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  turn_free_.notify_one();
}

int TurnGate::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

int TurnGate::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

PasswordHasher::PasswordHasher(PasswordOptions options)
    : options_(options), gate_(options.concurrent, options.queued) {
  if (sodium_init() < 0) return;  // Hash then fails and says so
  char decoy[crypto_pwhash_STRBYTES];
  const std::string random = RandomIdHex(16);
  if (crypto_pwhash_str(decoy, random.data(), random.size(),
                        options_.operations, options_.memory_bytes) == 0) {
    decoy_ = decoy;
  }
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  std::optional<TurnGate::Turn> turn = gate_.Enter();
  if (!turn) return Busy();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(),
                        options_.operations, options_.memory_bytes) != 0) {
    return Status::Internal("cannot hash a password (out of memory?)");
  }
  return std::string(hash);
}

Result<bool> PasswordHasher::Verify(const std::optional<std::string>& stored,
                                    std::string_view password) {
  std::optional<TurnGate::Turn> turn = gate_.Enter();
  if (!turn) return Busy();
  const std::string& hash = stored ? *stored : decoy_;
  const bool matches = crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                                password.size()) == 0;
  return stored.has_value() && matches;
}

Result<std::optional<std::string>> StoredPassword(const SideStore& side,
                                                  const std::string& user_id) {
  return side.Get(SideSpace::kPasswords, user_id);
}

Status StorePassword(SideStore& side, const std::string& user_id,
                     const std::string& hash) {
  SideStore::Batch batch = side.NewBatch();
  batch.Put(SideSpace::kPasswords, user_id, hash);
  return side.Write(&batch, Durability::kSynced);
}

}  // namespace exemplar::api
