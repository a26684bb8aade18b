#include "engine/workflow/authority.h"

#include <algorithm>

#include "events/payload_codec.h"
#include "events/system_events.h"

namespace exemplar {
namespace {

template <typename Map>
auto* Find(Map& map, const std::string& id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

Status Unknown(const EventRecord& record, const std::string& what,
               const std::string& id) {
  return Status::Corruption(
      record.type + " names " + what + " \"" + id + "\" never created",
      record.position);
}

}  // namespace

bool UserRecord::ActiveAt(std::int64_t at_us) const {
  return registered_at_us <= at_us &&
         (!deactivated_at_us || at_us < *deactivated_at_us);
}

bool GrantRecord::ValidAt(std::int64_t at_us) const {
  return valid_from_us <= at_us && (valid_to_us == 0 || at_us < valid_to_us) &&
         (!revoked_at_us || at_us < *revoked_at_us) &&
         (!ended_at_us || at_us < *ended_at_us);
}

bool CampaignRecord::OpenAt(std::int64_t at_us) const {
  return launched_at_us <= at_us && (!closed_at_us || at_us < *closed_at_us);
}

Status Authority::Apply(const EventRecord& record) {
  position_ = record.position;
  const std::string& type = record.type;
  if (type == UnitCreated::kType || type == UnitRenamed::kType ||
      type == UnitMoved::kType || type == UnitClosed::kType) {
    return units_.Apply(record);
  }
  if (type == UnitsReorganised::kType) return ApplyReorganised(record);
  if (type == UserRegistered::kType || type == UserDeactivated::kType ||
      type == RoleGranted::kType || type == RoleRevoked::kType) {
    return ApplyUser(record);
  }
  if (type == CampaignLaunched::kType || type == CampaignClosed::kType) {
    return ApplyCampaign(record);
  }
  if (type == TokenIssued::kType || type == TokenRevoked::kType) {
    return ApplyToken(record);
  }
  if (type == SetupCodeIssued::kType || type == PasswordSet::kType) {
    return ApplyCredential(record);
  }
  if (type == WorkflowDefinitionRecorded::kType) return ApplyDefinition(record);
  return Status::Ok();
}

Status Authority::ApplyDefinition(const EventRecord& record) {
  Result<WorkflowDefinitionRecorded> e =
      DecodeRecordPayload<WorkflowDefinitionRecorded>(record);
  if (!e.ok()) return e.status();
  definitions_[{e->name, e->version}] = std::move(*e);
  return Status::Ok();
}

const WorkflowDefinitionRecorded* Authority::FindDefinition(
    const std::string& name, std::uint32_t version) const {
  auto found = definitions_.find({name, version});
  return found == definitions_.end() ? nullptr : &found->second;
}

Status Authority::ApplyUser(const EventRecord& record) {
  const std::int64_t at = record.recorded_at_us;
  if (record.type == UserRegistered::kType) {
    Result<UserRegistered> e = DecodeRecordPayload<UserRegistered>(record);
    if (!e.ok()) return e.status();
    users_[e->user_id] =
        UserRecord{e->user_id, e->full_name, e->home_unit_id, at, {}};
    return Status::Ok();
  }
  if (record.type == UserDeactivated::kType) {
    Result<UserDeactivated> e = DecodeRecordPayload<UserDeactivated>(record);
    if (!e.ok()) return e.status();
    UserRecord* user = Find(users_, e->user_id);
    if (user == nullptr) return Unknown(record, "user", e->user_id);
    user->deactivated_at_us = at;
    return Status::Ok();
  }
  if (record.type == RoleGranted::kType) {
    Result<RoleGranted> e = DecodeRecordPayload<RoleGranted>(record);
    if (!e.ok()) return e.status();
    grants_[e->grant_id] = GrantRecord{
        e->grant_id,    e->user_id, e->role, e->unit_id, e->valid_from_us,
        e->valid_to_us, {},         {},      ""};
    return Status::Ok();
  }
  Result<RoleRevoked> e = DecodeRecordPayload<RoleRevoked>(record);
  if (!e.ok()) return e.status();
  GrantRecord* grant = Find(grants_, e->grant_id);
  if (grant == nullptr) return Unknown(record, "grant", e->grant_id);
  grant->revoked_at_us = at;
  return Status::Ok();
}

Status Authority::ApplyReorganised(const EventRecord& record) {
  EXEMPLAR_RETURN_IF_ERROR(units_.Apply(record));
  Result<UnitsReorganised> e = DecodeRecordPayload<UnitsReorganised>(record);
  if (!e.ok()) return e.status();
  const std::int64_t at = record.recorded_at_us;
  for (auto& [id, grant] : grants_) {
    bool on_ended = std::find(e->ended.begin(), e->ended.end(),
                              grant.unit_id) != e->ended.end();
    if (!on_ended || grant.revoked_at_us || grant.ended_at_us) continue;
    if (grant.valid_to_us != 0 && grant.valid_to_us <= at) continue;
    grant.ended_at_us = at;
    grant.ended_by = e->reorganisation_id;
  }
  return Status::Ok();
}

Status Authority::ApplyCampaign(const EventRecord& record) {
  const std::int64_t at = record.recorded_at_us;
  if (record.type == CampaignLaunched::kType) {
    Result<CampaignLaunched> e = DecodeRecordPayload<CampaignLaunched>(record);
    if (!e.ok()) return e.status();
    campaigns_[e->campaign_id] = CampaignRecord{
        e->campaign_id,  e->name, e->unit_id, e->period_start, e->period_end,
        e->criteria_set, at,      {},         e->deciding_body};
    return Status::Ok();
  }
  Result<CampaignClosed> e = DecodeRecordPayload<CampaignClosed>(record);
  if (!e.ok()) return e.status();
  CampaignRecord* campaign = Find(campaigns_, e->campaign_id);
  if (campaign == nullptr) return Unknown(record, "campaign", e->campaign_id);
  campaign->closed_at_us = at;
  return Status::Ok();
}

Status Authority::ApplyToken(const EventRecord& record) {
  const std::int64_t at = record.recorded_at_us;
  if (record.type == TokenIssued::kType) {
    Result<TokenIssued> e = DecodeRecordPayload<TokenIssued>(record);
    if (!e.ok()) return e.status();
    tokens_[e->token_id] =
        TokenRecord{e->token_id, e->user_id, at, e->expires_at_us, {}};
    return Status::Ok();
  }
  Result<TokenRevoked> e = DecodeRecordPayload<TokenRevoked>(record);
  if (!e.ok()) return e.status();
  TokenRecord* token = Find(tokens_, e->token_id);
  if (token == nullptr) return Unknown(record, "token", e->token_id);
  token->revoked_at_us = at;
  return Status::Ok();
}

Status Authority::ApplyCredential(const EventRecord& record) {
  if (record.type == SetupCodeIssued::kType) {
    Result<SetupCodeIssued> e = DecodeRecordPayload<SetupCodeIssued>(record);
    if (!e.ok()) return e.status();
    CredentialRecord& credential = credentials_[e->user_id];
    credential.code_sha256 = e->code_sha256;
    credential.code_expires_at_us = e->expires_at_us;
    credential.code_used = false;
    return Status::Ok();
  }
  Result<PasswordSet> e = DecodeRecordPayload<PasswordSet>(record);
  if (!e.ok()) return e.status();
  CredentialRecord* credential = Find(credentials_, e->user_id);
  if (credential == nullptr || credential->code_sha256 != e->code_sha256) {
    return Unknown(record, "setup code", e->code_sha256);
  }
  credential->code_used = true;
  credential->password_set = true;
  return Status::Ok();
}

const UnitRecord* Authority::FindUnit(const std::string& id) const {
  return units_.Find(id);
}
const UserRecord* Authority::FindUser(const std::string& id) const {
  return Find(users_, id);
}
const GrantRecord* Authority::FindGrant(const std::string& id) const {
  return Find(grants_, id);
}
const CampaignRecord* Authority::FindCampaign(const std::string& id) const {
  return Find(campaigns_, id);
}
const TokenRecord* Authority::FindToken(const std::string& id) const {
  return Find(tokens_, id);
}
std::vector<const TokenRecord*> Authority::TokensOf(
    const std::string& user_id) const {
  std::vector<const TokenRecord*> tokens;
  for (const auto& [id, token] : tokens_) {
    if (token.user_id == user_id) tokens.push_back(&token);
  }
  return tokens;
}

const CredentialRecord* Authority::FindCredential(
    const std::string& user_id) const {
  return Find(credentials_, user_id);
}

Status Authority::HeldRole(const std::string& user, const std::string& role,
                           const std::string& acting_unit,
                           const std::string& target_unit,
                           std::int64_t at_us) const {
  const UserRecord* record = FindUser(user);
  if (record == nullptr || !record->ActiveAt(at_us)) {
    return Status::Rejected("user_inactive",
                            "user \"" + user + "\" is not an active user");
  }
  bool granted = std::any_of(grants_.begin(), grants_.end(), [&](auto& g) {
    const GrantRecord& grant = g.second;
    return grant.user_id == user && grant.role == role &&
           grant.unit_id == acting_unit && grant.ValidAt(at_us);
  });
  if (!granted) {
    return Status::Rejected(
        "not_authorised", "user \"" + user + "\" does not hold role \"" + role +
                              "\" at unit \"" + acting_unit + "\" then");
  }
  if (!IsWithin(target_unit, acting_unit, at_us)) {
    return Status::Rejected(
        "not_in_scope",
        "unit \"" + target_unit + "\" is outside unit \"" + acting_unit + "\"");
  }
  return Status::Ok();
}

bool Authority::EverGranted(const std::string& role) const {
  return std::any_of(grants_.begin(), grants_.end(),
                     [&](auto& g) { return g.second.role == role; });
}

std::vector<const UserRecord*> Authority::UsersWithoutGrant(
    std::int64_t at_us) const {
  std::vector<const UserRecord*> users;
  for (const auto& [id, user] : users_) {
    if (user.ActiveAt(at_us) && GrantsOf(id, at_us).empty()) {
      users.push_back(&user);
    }
  }
  return users;
}

std::vector<const GrantRecord*> Authority::GrantsEndedBy(
    const std::string& reorganisation_id) const {
  std::vector<const GrantRecord*> ended;
  if (reorganisation_id.empty()) return ended;
  for (const auto& [id, grant] : grants_) {
    if (grant.ended_by == reorganisation_id) ended.push_back(&grant);
  }
  return ended;
}

std::vector<const GrantRecord*> Authority::GrantsOf(const std::string& user,
                                                    std::int64_t at_us) const {
  std::vector<const GrantRecord*> grants;
  const UserRecord* record = FindUser(user);
  if (record == nullptr || !record->ActiveAt(at_us)) return grants;
  for (const auto& [id, grant] : grants_) {
    if (grant.user_id == user && grant.ValidAt(at_us)) grants.push_back(&grant);
  }
  return grants;
}

}  // namespace exemplar
