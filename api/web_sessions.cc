#include "api/web_sessions.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "engine/workflow/tokens.h"
#include "events/clock.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

json ToJson(const WebSession& s) {
  return {{"session_id", s.session_id},
          {"user_id", s.user_id},
          {"created_at_us", s.created_at_us},
          {"expires_at_us", s.expires_at_us},
          {"last_seen_at_us", s.last_seen_at_us}};
}

Result<WebSession> FromJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  try {
    return WebSession{j.at("session_id").get<std::string>(),
                      j.at("user_id").get<std::string>(),
                      j.at("created_at_us").get<std::int64_t>(),
                      j.at("expires_at_us").get<std::int64_t>(),
                      j.at("last_seen_at_us").get<std::int64_t>()};
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("a stored session: ") + e.what(), 0);
  }
}

// The last use is written again once it has moved this far.
std::int64_t PersistStepUs(std::chrono::seconds idle_timeout) {
  const std::int64_t tenth = Micros(idle_timeout) / 10;
  return std::min<std::int64_t>(tenth, Micros(std::chrono::minutes(1)));
}

}  // namespace

WebSessions::WebSessions(SideStore& side, WebSessionOptions options)
    : side_(side), options_(std::move(options)) {}

Result<std::unique_ptr<WebSessions>> WebSessions::Load(
    SideStore& side, WebSessionOptions options) {
  if (!options.clock) options.clock = SystemClockMicros;
  std::unique_ptr<WebSessions> sessions(
      new WebSessions(side, std::move(options)));
  Status corrupt;
  Status scanned = side.Scan(
      SideSpace::kWebSessions, "", "",
      [&](std::string_view key, std::string_view value) {
        Result<WebSession> session = FromJson(value);
        if (!session.ok()) {
          corrupt = session.status();
          return false;
        }
        sessions->persisted_seen_[std::string(key)] = session->last_seen_at_us;
        sessions->by_hash_.emplace(std::string(key), std::move(*session));
        return true;
      });
  EXEMPLAR_RETURN_IF_ERROR(scanned);
  EXEMPLAR_RETURN_IF_ERROR(corrupt);
  return sessions;
}

bool WebSessions::Ended(const WebSession& session, std::int64_t now) const {
  return now >= session.expires_at_us ||
         now - session.last_seen_at_us >= Micros(options_.idle_timeout);
}

Status WebSessions::Persist(const std::string& key, const WebSession& session,
                            Durability durability) {
  SideStore::Batch batch = side_.NewBatch();
  batch.Put(SideSpace::kWebSessions, key, ToJson(session).dump());
  persisted_seen_[key] = session.last_seen_at_us;
  return side_.Write(&batch, durability);
}

Status WebSessions::Forget(const std::vector<std::string>& keys,
                           Durability durability) {
  if (keys.empty()) return Status::Ok();
  SideStore::Batch batch = side_.NewBatch();
  for (const std::string& key : keys) {
    batch.Delete(SideSpace::kWebSessions, key);
    by_hash_.erase(key);
    persisted_seen_.erase(key);
  }
  return side_.Write(&batch, durability);
}

Status WebSessions::Add(const NewSession& session, const std::string& user_id,
                        std::int64_t expires_at_us) {
  const std::int64_t now = options_.clock();
  const std::string key = HashSecret(session.secret);
  WebSession record{session.session_id, user_id, now, expires_at_us, now};
  std::lock_guard lock(mutex_);
  std::vector<std::string> ended;
  for (const auto& [hash, known] : by_hash_) {
    if (Ended(known, now)) ended.push_back(hash);
  }
  EXEMPLAR_RETURN_IF_ERROR(Forget(ended, Durability::kBuffered));
  EXEMPLAR_RETURN_IF_ERROR(Persist(key, record, Durability::kSynced));
  by_hash_[key] = std::move(record);
  return Status::Ok();
}

Result<WebSession> WebSessions::Touch(std::string_view secret) {
  const std::int64_t now = options_.clock();
  const std::string key = HashSecret(secret);
  std::lock_guard lock(mutex_);
  auto found = by_hash_.find(key);
  if (found == by_hash_.end()) return Status::NotFound("no such session");
  if (Ended(found->second, now)) {
    EXEMPLAR_RETURN_IF_ERROR(Forget({key}, Durability::kBuffered));
    return Status::NotFound("the session has ended");
  }
  WebSession& session = found->second;
  session.last_seen_at_us = now;
  if (now - persisted_seen_[key] >= PersistStepUs(options_.idle_timeout)) {
    EXEMPLAR_RETURN_IF_ERROR(Persist(key, session, Durability::kBuffered));
  }
  return session;
}

Result<std::optional<WebSession>> WebSessions::Remove(std::string_view secret) {
  const std::string key = HashSecret(secret);
  std::lock_guard lock(mutex_);
  auto found = by_hash_.find(key);
  if (found == by_hash_.end()) return std::optional<WebSession>();
  std::optional<WebSession> removed = found->second;
  EXEMPLAR_RETURN_IF_ERROR(Forget({key}, Durability::kSynced));
  return removed;
}

Status WebSessions::RemoveUser(const std::string& user_id) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys;
  for (const auto& [hash, session] : by_hash_) {
    if (session.user_id == user_id) keys.push_back(hash);
  }
  return Forget(keys, Durability::kSynced);
}

std::size_t WebSessions::size() const {
  std::lock_guard lock(mutex_);
  return by_hash_.size();
}

std::string WebSessions::CsrfToken(std::string_view secret) {
  return HashSecret("csrf:" + std::string(secret));
}

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? "" : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return {};
}

}  // namespace exemplar::api
