#include "api/tokens.h"

#include <mutex>

#include "engine/workflow/stream_ids.h"
#include "events/clock.h"
#include "events/payload_codec.h"

namespace exemplar::api {

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

Status TokenRegistry::Learn(std::uint64_t first, std::uint64_t last) {
  for (std::uint64_t position = first; position <= last; ++position) {
    Result<EventRecord> record = store_->ReadEvent(position);
    if (!record.ok()) return record.status();
    EXEMPLAR_RETURN_IF_ERROR(Fold(*record));
  }
  return Status::Ok();
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

Result<IssuedToken> IssueToken(CommandHandler& handler, TokenRegistry* tokens,
                               const NewToken& token,
                               const SystemCommand& command) {
  const auto* issued = std::get_if<TokenIssued>(&command.action);
  if (issued == nullptr || issued->token_id != token.token_id) {
    return Status::InvalidArgument("the command issues another token");
  }
  Result<AppendResult> appended = handler.Handle(command);
  if (!appended.ok()) return appended.status();
  if (tokens != nullptr) {
    EXEMPLAR_RETURN_IF_ERROR(
        tokens->Learn(appended->first_position, appended->last_position));
  }
  return IssuedToken{token.token_id, token.secret, appended->last_position,
                     issued->expires_at_us};
}

}  // namespace exemplar::api
