#include "engine/workflow/organisation.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "engine/workflow/credentials.h"
#include "engine/workflow/field_check.h"
#include "engine/workflow/organisation_rules.h"
#include "engine/workflow/tokens.h"
#include "events/payload_codec.h"
#include "events/sha256.h"
#include "events/text.h"

namespace exemplar {
namespace {

// Who may act is settled before anything about the target is told: a user
// who holds "admin" nowhere is refused at once; a target the admin may not
// see (SeesUnit) is answered as an unknown one; then the admin's scope over
// it, and only then its state and the command's fields.
class SystemDecider : public OrganisationRules {
 public:
  SystemDecider(const SystemCommand& command, const Authority& authority,
                const Definition& definition)
      : OrganisationRules(command.actor, command.at_us, authority),
        command_(command),
        definition_(definition),
        recorded_actor_(command.actor) {}

  // Who the event records as acting (see TokenManager).
  const Actor& recorded_actor() const { return recorded_actor_; }

  Status operator()(const UnitCreated& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(CheckId(e.unit_id, "unit_id"));
    if (authority_.FindUnit(e.unit_id) != nullptr) {
      return Exists("unit", e.unit_id);
    }
    std::string parent_level;
    if (!e.parent_id.empty()) {
      EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.parent_id, "parent_id"));
      EXEMPLAR_RETURN_IF_ERROR(Authorise(e.parent_id));
      EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.parent_id, "parent_id"));
      parent_level = authority_.FindUnit(e.parent_id)->level;
    } else {
      EXEMPLAR_RETURN_IF_ERROR(Authorise(""));
    }
    EXEMPLAR_RETURN_IF_ERROR(CheckName(e.name, "name"));
    if (!Contains(UnitLevels(), e.level)) {
      return Invalid("level", "unknown unit level \"" + e.level + "\"");
    }
    return CheckLevel(e.level, parent_level);
  }

  Status operator()(const UnitRenamed& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(e.unit_id));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.unit_id, "unit_id"));
    return CheckName(e.name, "name");
  }

  Status operator()(const UnitMoved& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.parent_id, "parent_id"));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(e.unit_id));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(e.parent_id));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.parent_id, "parent_id"));
    if (authority_.IsWithin(e.parent_id, e.unit_id, at_)) {
      return Status::Rejected("unit_cycle",
                              "unit \"" + e.unit_id +
                                  "\" cannot move under itself or its own "
                                  "descendant \"" +
                                  e.parent_id + "\"",
                              "parent_id");
    }
    return CheckLevel(authority_.FindUnit(e.unit_id)->level,
                      authority_.FindUnit(e.parent_id)->level);
  }

  Status operator()(const UnitClosed& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(e.unit_id));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(CheckReason(e.reason));
    if (authority_.units().HasOpenChild(e.unit_id, at_)) {
      return Status::Rejected(
          "unit_has_open_children",
          "unit \"" + e.unit_id + "\" still has open units under it",
          "unit_id");
    }
    return Status::Ok();
  }

  Status operator()(const UserRegistered& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(CheckId(e.user_id, "user_id"));
    if (authority_.FindUser(e.user_id) != nullptr) {
      return Exists("user", e.user_id);
    }
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.home_unit_id, "home_unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(e.home_unit_id));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.home_unit_id, "home_unit_id"));
    return CheckName(e.full_name, "full_name");
  }

  Status operator()(const UserDeactivated& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(SeenUser(e.user_id));
    EXEMPLAR_RETURN_IF_ERROR(
        Authorise(authority_.FindUser(e.user_id)->home_unit_id));
    EXEMPLAR_RETURN_IF_ERROR(ActiveUser(e.user_id));
    return CheckReason(e.reason);
  }

  Status operator()(const RoleGranted& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(CheckId(e.grant_id, "grant_id"));
    if (authority_.FindGrant(e.grant_id) != nullptr) {
      return Exists("grant", e.grant_id);
    }
    EXEMPLAR_RETURN_IF_ERROR(SeenUser(e.user_id));
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(e.unit_id));
    EXEMPLAR_RETURN_IF_ERROR(ActiveUser(e.user_id));
    if (!definition_.HasRole(e.role)) {
      return Status::Rejected("unknown_role",
                              "the definition has no role \"" + e.role + "\"",
                              "role");
    }
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.unit_id, "unit_id"));
    if (e.valid_to_us != 0 && e.valid_to_us <= e.valid_from_us) {
      return Invalid("valid_to_us", "must be after valid_from_us");
    }
    return Status::Ok();
  }

  Status operator()(const RoleRevoked& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    const GrantRecord* grant = authority_.FindGrant(e.grant_id);
    if (grant == nullptr || grant->user_id != e.user_id ||
        !Sees(grant->unit_id)) {
      return Status::Rejected(
          "unknown_grant",
          "user \"" + e.user_id + "\" has no grant \"" + e.grant_id + "\"",
          "grant_id");
    }
    EXEMPLAR_RETURN_IF_ERROR(Authorise(grant->unit_id));
    if (grant->revoked_at_us) {
      return Status::Rejected("already_revoked",
                              "grant \"" + e.grant_id + "\" is already revoked",
                              "grant_id");
    }
    return CheckReason(e.reason);
  }

  Status operator()(const CampaignLaunched& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(CheckId(e.campaign_id, "campaign_id"));
    if (authority_.FindCampaign(e.campaign_id) != nullptr) {
      return Exists("campaign", e.campaign_id);
    }
    EXEMPLAR_RETURN_IF_ERROR(SeenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(Authorise(e.unit_id));
    EXEMPLAR_RETURN_IF_ERROR(OpenUnit(e.unit_id, "unit_id"));
    EXEMPLAR_RETURN_IF_ERROR(CheckName(e.name, "name"));
    if (e.period_end < e.period_start) {
      return Invalid("period_end", "the period ends before it starts");
    }
    if (definition_.FindCriteriaSet(e.criteria_set) == nullptr) {
      return Status::Rejected(
          "unknown_criteria_set",
          "the definition has no criteria set \"" + e.criteria_set + "\"",
          "criteria_set");
    }
    if (definition_.FindDecidingBody(e.deciding_body) == nullptr &&
        !e.deciding_body.empty()) {
      return Status::Rejected(
          "unknown_deciding_body",
          "the definition has no deciding body \"" + e.deciding_body + "\"",
          "deciding_body");
    }
    return Status::Ok();
  }

  Status operator()(const CampaignClosed& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    const CampaignRecord* campaign = authority_.FindCampaign(e.campaign_id);
    if (campaign == nullptr || !Sees(campaign->unit_id)) {
      return Status::Rejected("unknown_campaign",
                              "no campaign \"" + e.campaign_id + "\"",
                              "campaign_id");
    }
    EXEMPLAR_RETURN_IF_ERROR(Authorise(campaign->unit_id));
    if (!campaign->OpenAt(at_)) {
      return Status::Rejected("campaign_closed",
                              "campaign \"" + e.campaign_id + "\" is closed",
                              "campaign_id");
    }
    return CheckReason(e.reason);
  }

  // The definition the server runs with, once per version: a version names
  // one definition, so a changed definition needs a new version.
  Status operator()(const WorkflowDefinitionRecorded& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    if (e.digest != ToHex(Sha256({e.source}))) {
      return Invalid("digest", "not the SHA-256 of the source");
    }
    Result<Definition> parsed = ParseDefinition(e.source);
    if (!parsed.ok()) return Invalid("source", parsed.status().message());
    if (parsed->name != e.name || parsed->version != e.version) {
      return Invalid("source", "names another workflow or version");
    }
    const WorkflowDefinitionRecorded* recorded =
        authority_.FindDefinition(e.name, e.version);
    if (recorded == nullptr) return Status::Ok();
    if (recorded->digest == e.digest) {
      return Status::Rejected("already_exists",
                              "version " + std::to_string(e.version) +
                                  " of workflow \"" + e.name +
                                  "\" is recorded already",
                              "version");
    }
    return Status::Rejected(
        "definition_version_reused",
        "version " + std::to_string(e.version) + " of workflow \"" + e.name +
            "\" was recorded with other content: a changed definition "
            "takes a new version",
        "version");
  }

  Status operator()(const TokenIssued& e) {
    EXEMPLAR_RETURN_IF_ERROR(TokenManager(e.user_id));
    if (!command_.console && !authority_.FindUser(e.user_id)->ActiveAt(at_)) {
      return Status::Rejected(
          "user_inactive",
          "user " + e.user_id + " is deactivated: a token would not work",
          "user_id");
    }
    EXEMPLAR_RETURN_IF_ERROR(CheckId(e.token_id, "token_id"));
    if (authority_.FindToken(e.token_id) != nullptr) {
      return Exists("token", e.token_id);
    }
    EXEMPLAR_RETURN_IF_ERROR(CheckSha256(e.secret_sha256, "secret_sha256"));
    const std::int64_t lifetime_us = e.expires_at_us - at_;
    if (lifetime_us < DaysUs(kMinTokenLifetimeDays) ||
        lifetime_us > DaysUs(kMaxTokenLifetimeDays)) {
      return Invalid("expires_at_us",
                     "expires_in_days must be a whole number of days from " +
                         std::to_string(kMinTokenLifetimeDays) + " to " +
                         std::to_string(kMaxTokenLifetimeDays));
    }
    return Status::Ok();
  }

  Status operator()(const TokenRevoked& e) {
    const TokenRecord* token = authority_.FindToken(e.token_id);
    if (token == nullptr || token->user_id != e.user_id) {
      return UnknownToken(e.token_id);
    }
    Status manager = TokenManager(token->user_id);
    // A token of a user out of sight is answered as an unknown one.
    if (manager.code() == StatusCode::kNotFound) {
      return UnknownToken(e.token_id);
    }
    EXEMPLAR_RETURN_IF_ERROR(manager);
    if (token->revoked_at_us) {
      return Status::Rejected("already_revoked",
                              "token " + e.token_id + " is already revoked");
    }
    return Status::Ok();
  }

  Status operator()(const SetupCodeIssued& e) const {
    EXEMPLAR_RETURN_IF_ERROR(AnyAdmin());
    EXEMPLAR_RETURN_IF_ERROR(SeenUser(e.user_id));
    EXEMPLAR_RETURN_IF_ERROR(
        Authorise(authority_.FindUser(e.user_id)->home_unit_id));
    EXEMPLAR_RETURN_IF_ERROR(ActiveUser(e.user_id));
    EXEMPLAR_RETURN_IF_ERROR(CheckSha256(e.code_sha256, "code_sha256"));
    if (e.expires_at_us <= at_ ||
        e.expires_at_us - at_ > Micros(kSetupCodeLifetime)) {
      return Invalid("expires_at_us",
                     "a setup code expires within " +
                         std::to_string(kSetupCodeLifetime.count()) + " hours");
    }
    return Status::Ok();
  }

  Status operator()(const PasswordSet& e) {
    EXEMPLAR_RETURN_IF_ERROR(CheckPasswordSet(e, authority_, at_));
    return Self(e.user_id);
  }

  Status operator()(const SignedIn& e) {
    EXEMPLAR_RETURN_IF_ERROR(CheckSignedIn(e, authority_, at_));
    return Self(e.user_id);
  }

  Status operator()(const SignedOut& e) {
    EXEMPLAR_RETURN_IF_ERROR(CheckSignedOut(e, authority_));
    return Self(e.user_id);
  }

 private:
  // Records `user` (known to exist) as acting with no role at their home
  // unit.
  Status Self(const std::string& user) {
    recorded_actor_ = Actor{user, "", authority_.FindUser(user)->home_unit_id};
    return Status::Ok();
  }

  static Status CheckSha256(const std::string& hex, const std::string& field) {
    if (hex.size() != 64 ||
        hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Invalid(field, "must be a SHA-256 in lower-case hex");
    }
    return Status::Ok();
  }

  static std::int64_t DaysUs(int days) {
    return std::chrono::duration_cast<std::chrono::microseconds>(days * kDay)
        .count();
  }

  static Status UnknownToken(const std::string& id) {
    return Status::NotFound("no token " + id);
  }

  // Whether the actor may manage the tokens of `owner`: the console, the
  // owner themself, or an admin over the owner's home unit; an owner out of
  // the actor's sight is unknown. Records a self-managing non-admin as
  // acting with no role at their home unit.
  Status TokenManager(const std::string& owner) {
    const UserRecord* record = authority_.FindUser(owner);
    if (command_.console) {
      return record ? Status::Ok() : Status::NotFound("no user " + owner);
    }
    EXEMPLAR_RETURN_IF_ERROR(
        MayManageTokens(authority_, command_.actor, owner, at_));
    // An owner acting on their own tokens, not as an admin: recorded so.
    const std::string& user = command_.actor.user_id;
    if (user == owner &&
        !authority_
             .HeldRole(user, kAdminRole, command_.actor.unit_id,
                       record->home_unit_id, at_)
             .ok()) {
      recorded_actor_ = Actor{user, "", record->home_unit_id};
    }
    return Status::Ok();
  }

  const SystemCommand& command_;
  const Definition& definition_;
  Actor recorded_actor_;
};

// The event of an allowed action.
struct EventOf {
  template <typename T>
  NewEvent operator()(const T& e) const {
    NewEvent event;
    event.type = T::kType;
    event.schema_version = T::kSchemaVersion;
    event.payload = EncodePayload(e);
    return event;
  }
};

// The action with what the command may leave out filled from the log.
SystemAction Completed(SystemAction action, const Authority& authority) {
  if (auto* revoked = std::get_if<TokenRevoked>(&action)) {
    const TokenRecord* token = authority.FindToken(revoked->token_id);
    if (revoked->user_id.empty() && token != nullptr) {
      revoked->user_id = token->user_id;
    }
  }
  return action;
}

struct StreamOf {
  std::string operator()(const UnitCreated& e) const { return Unit(e.unit_id); }
  std::string operator()(const UnitRenamed& e) const { return Unit(e.unit_id); }
  std::string operator()(const UnitMoved& e) const { return Unit(e.unit_id); }
  std::string operator()(const UnitClosed& e) const { return Unit(e.unit_id); }
  std::string operator()(const UserRegistered& e) const {
    return User(e.user_id);
  }
  std::string operator()(const UserDeactivated& e) const {
    return User(e.user_id);
  }
  std::string operator()(const RoleGranted& e) const { return User(e.user_id); }
  std::string operator()(const RoleRevoked& e) const { return User(e.user_id); }
  std::string operator()(const CampaignLaunched& e) const {
    return StreamIdOf(StreamKind::kCampaign, e.campaign_id);
  }
  std::string operator()(const CampaignClosed& e) const {
    return StreamIdOf(StreamKind::kCampaign, e.campaign_id);
  }
  std::string operator()(const TokenIssued& e) const {
    return StreamIdOf(StreamKind::kToken, e.token_id);
  }
  std::string operator()(const TokenRevoked& e) const {
    return StreamIdOf(StreamKind::kToken, e.token_id);
  }
  std::string operator()(const WorkflowDefinitionRecorded& e) const {
    return StreamIdOf(StreamKind::kWorkflow, e.name);
  }
  std::string operator()(const SetupCodeIssued& e) const {
    return Credential(e.user_id);
  }
  std::string operator()(const PasswordSet& e) const {
    return Credential(e.user_id);
  }
  std::string operator()(const SignedIn& e) const {
    return Credential(e.user_id);
  }
  std::string operator()(const SignedOut& e) const {
    return Credential(e.user_id);
  }
  static std::string Credential(const std::string& user_id) {
    return StreamIdOf(StreamKind::kCredential, user_id);
  }
  static std::string Unit(const std::string& id) {
    return StreamIdOf(StreamKind::kUnit, id);
  }
  static std::string User(const std::string& id) {
    return StreamIdOf(StreamKind::kUser, id);
  }
};

}  // namespace

bool SeesUnit(const Authority& authority, const std::string& user,
              const std::string& unit, std::int64_t at_us) {
  for (const GrantRecord* grant : authority.GrantsOf(user, at_us)) {
    if (authority.IsWithin(unit, grant->unit_id, at_us)) return true;
  }
  return false;
}

Status MayManageTokens(const Authority& authority, const Actor& actor,
                       const std::string& owner, std::int64_t at_us) {
  const UserRecord* record = authority.FindUser(owner);
  const std::string& user = actor.user_id;
  if (record == nullptr ||
      (user != owner &&
       !SeesUnit(authority, user, record->home_unit_id, at_us))) {
    return Status::NotFound("no user " + owner);
  }
  if (user == owner || authority
                           .HeldRole(user, kAdminRole, actor.unit_id,
                                     record->home_unit_id, at_us)
                           .ok()) {
    return Status::Ok();
  }
  return Status::PermissionDenied(
      "only the user or an admin over their unit manages their tokens");
}

bool IsValidId(const std::string& id) {
  return !id.empty() && id.size() <= 100 &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
                  c == '-';
         });
}

std::string SystemStreamId(const SystemCommand& command) {
  return std::visit(StreamOf{}, command.action);
}

RoleGranted StartingByDefault(RoleGranted grant, std::int64_t at_us) {
  if (grant.valid_from_us == 0) grant.valid_from_us = at_us;
  return grant;
}

Result<std::vector<NewEvent>> DecideSystem(const SystemCommand& command,
                                           const Authority& authority,
                                           const Definition& definition) {
  const SystemAction action = Completed(command.action, authority);
  SystemDecider decider(command, authority, definition);
  EXEMPLAR_RETURN_IF_ERROR(std::visit(decider, action));
  NewEvent event = std::visit(EventOf{}, action);
  event.actor = decider.recorded_actor();
  event.request_id = command.request_id;
  event.remote_address = command.remote_address;
  event.recorded_at_us = command.at_us;
  return std::vector<NewEvent>{std::move(event)};
}

}  // namespace exemplar
