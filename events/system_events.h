// Typed system events: the organisation (units), the people (users), their
// authority (role grants and revocations) and the emulation campaigns. They
// live in the same log as the workflow events, so who held which authority
// at any moment is history an auditor can replay.
//
// Each type has a stable tag `kType`, a `kSchemaVersion`, a cereal
// `serialize` (see payload_codec.h) and a JSON mapping (PayloadToJson /
// PayloadFromJson). The time an event takes effect is the event's
// recorded_at_us, which the command supplies.
//
// Streams: "unit-<id>" (unit events), "user-<id>" (user and role events),
// "campaign-<id>" (campaign events), "reorganisation-<id>" (a reform's
// units_reorganised), "token-<id>" (API token events),
// "credential-<user id>" (setup codes, passwords, sign-in and sign-out).
//
// API tokens: issuing and revoking one are events in the log, one stream per
// token, the payload holding only the secret's hash. So a revocation
// survives restarts, is hash-chained like every other fact, and an auditor
// can see who issued or revoked which token when. A stream of its own
// (rather than "user-<id>") keeps token churn from moving the user's stream
// version, which clients use with If-Match, and makes a second revocation
// of the same token a version conflict the store itself refuses.
#pragma once

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "events/civil_date.h"
#include "events/status.h"

namespace exemplar {

// Unit levels, from the top of the territorial tree down, then the units
// beside it: "central", "province", "district", "commune", "branch",
// "department" (sở, ban, ngành, đoàn thể), "bloc" (khối thi đua).
const std::vector<std::string>& UnitLevels();

struct UnitCreated {
  static constexpr char kType[] = "unit_created";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string unit_id;
  std::string name;
  std::string level;      // one of UnitLevels()
  std::string parent_id;  // empty for a root
  bool operator==(const UnitCreated&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(unit_id, name, level, parent_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UnitCreated, unit_id, name, level, parent_id)
};

struct UnitRenamed {
  static constexpr char kType[] = "unit_renamed";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string unit_id;
  std::string name;
  bool operator==(const UnitRenamed&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(unit_id, name);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UnitRenamed, unit_id, name)
};

struct UnitMoved {
  static constexpr char kType[] = "unit_moved";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string unit_id;
  std::string parent_id;  // the new parent
  bool operator==(const UnitMoved&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(unit_id, parent_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UnitMoved, unit_id, parent_id)
};

struct UnitClosed {
  static constexpr char kType[] = "unit_closed";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string unit_id;
  std::string reason;
  bool operator==(const UnitClosed&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(unit_id, reason);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UnitClosed, unit_id, reason)
};

// The 2025 reform's reorganisations (stream "reorganisation-<id>"): units
// merge, split or a whole level is dissolved, by one event that names its
// legal basis and keeps the lineage (which units each ended unit became).
// It takes effect at its recorded_at_us: an office records it on the day it
// takes effect; the legal basis carries the document's own date.
struct LegalBasis {
  std::string document_number;  // "202/2025/QH15"
  CivilDate document_date;      // the document's own date
  std::string issuer;           // "Quốc hội"
  bool operator==(const LegalBasis&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(document_number, document_date, issuer);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(LegalBasis, document_number, document_date,
                                 issuer)
};

// A unit a reorganisation creates.
struct UnitSpec {
  std::string unit_id;
  std::string name;
  std::string level;
  std::string parent_id;
  bool operator==(const UnitSpec&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(unit_id, name, level, parent_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UnitSpec, unit_id, name, level, parent_id)
};

// An open unit a reorganisation gives a new parent.
struct UnitParent {
  std::string unit_id;
  std::string parent_id;
  bool operator==(const UnitParent&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(unit_id, parent_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UnitParent, unit_id, parent_id)
};

// A lineage edge: the ended unit `from` became the units `to`.
struct Succession {
  std::string from;
  std::vector<std::string> to;
  bool operator==(const Succession&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(from, to);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(Succession, from, to)
};

// An exemplar a split assigns by hand to one of the successors.
struct ExemplarAssignment {
  std::string exemplar_id;
  std::string unit_id;
  bool operator==(const ExemplarAssignment&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(exemplar_id, unit_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ExemplarAssignment, exemplar_id, unit_id)
};

struct UnitsReorganised {
  static constexpr char kType[] = "units_reorganised";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string reorganisation_id;
  std::string kind;  // "merge", "split" or "dissolve_level"
  LegalBasis legal_basis;
  std::vector<UnitSpec> created;       // successors that are new units
  std::vector<std::string> ended;      // units that end with this event
  std::vector<UnitParent> reparented;  // open units given a new parent
  // Every ended unit -> its successors; the first successor is where the
  // ended unit's exemplars go unless `assignments` says otherwise.
  std::vector<Succession> successions;
  std::vector<ExemplarAssignment> assignments;  // a split's, by hand
  bool operator==(const UnitsReorganised&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(reorganisation_id, kind, legal_basis, created, ended, reparented,
       successions, assignments);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UnitsReorganised, reorganisation_id, kind,
                                 legal_basis, created, ended, reparented,
                                 successions, assignments)
};

// An exemplar of a unit a reorganisation ended moves to one of its
// successors (on the exemplar's stream "exemplar-<id>"). Its state, its
// nomination in flight and its slots carry over unchanged.
struct ExemplarTransferred {
  static constexpr char kType[] = "exemplar_transferred";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string exemplar_id;
  std::string reorganisation_id;
  std::string from_unit_id;
  std::string to_unit_id;
  bool operator==(const ExemplarTransferred&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(exemplar_id, reorganisation_id, from_unit_id, to_unit_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(ExemplarTransferred, exemplar_id,
                                 reorganisation_id, from_unit_id, to_unit_id)
};

struct UserRegistered {
  static constexpr char kType[] = "user_registered";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string user_id;
  std::string full_name;
  std::string home_unit_id;
  bool operator==(const UserRegistered&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, full_name, home_unit_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UserRegistered, user_id, full_name,
                                 home_unit_id)
};

struct UserDeactivated {
  static constexpr char kType[] = "user_deactivated";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string user_id;
  std::string reason;
  bool operator==(const UserDeactivated&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, reason);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(UserDeactivated, user_id, reason)
};

struct RoleGranted {
  static constexpr char kType[] = "role_granted";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string grant_id;
  std::string user_id;
  std::string role;
  std::string unit_id;
  std::int64_t valid_from_us = 0;  // UTC microseconds, inclusive
  std::int64_t valid_to_us = 0;    // exclusive; 0 for open-ended
  bool operator==(const RoleGranted&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(grant_id, user_id, role, unit_id, valid_from_us, valid_to_us);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(RoleGranted, grant_id, user_id, role, unit_id,
                                 valid_from_us, valid_to_us)
};

struct RoleRevoked {
  static constexpr char kType[] = "role_revoked";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string grant_id;
  std::string user_id;
  std::string reason;
  bool operator==(const RoleRevoked&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(grant_id, user_id, reason);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(RoleRevoked, grant_id, user_id, reason)
};

// Phong trào thi đua.
struct CampaignLaunched {
  static constexpr char kType[] = "campaign_launched";
  // 2: deciding_body added. Version 1 upcasts with none (the definition's
  // first deciding body).
  static constexpr std::uint32_t kSchemaVersion = 2;
  std::string campaign_id;
  std::string name;
  std::string unit_id;  // the launching unit; its level is the campaign's
  CivilDate period_start;
  CivilDate period_end;      // inclusive
  std::string criteria_set;  // a criteria set of the workflow definition
  // A deciding body of the workflow definition, whose roles decide the
  // campaign's nominations; "": the definition's first.
  std::string deciding_body = {};
  bool operator==(const CampaignLaunched&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(campaign_id, name, unit_id, period_start, period_end, criteria_set,
       deciding_body);
  }
  static Result<CampaignLaunched> Upcast(std::uint32_t version,
                                         std::string_view bytes);
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(CampaignLaunched, campaign_id, name, unit_id,
                                 period_start, period_end, criteria_set,
                                 deciding_body)
};

// A workflow definition the server decides under, recorded the first time
// it runs with it (engine/workflow/definition_versions.h): every version the
// log was decided under stays in the log, so a nomination in flight is
// judged under the version it began under, and an auditor reads the rules
// each decision followed.
struct WorkflowDefinitionRecorded {
  static constexpr char kType[] = "workflow_definition_recorded";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string name;
  std::uint32_t version = 0;
  std::string digest;  // SHA-256 of `source`, lowercase hex
  std::string source;  // the definition's JSON, compact
  bool operator==(const WorkflowDefinitionRecorded&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(name, version, digest, source);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(WorkflowDefinitionRecorded, name, version,
                                 digest, source)
};

struct CampaignClosed {
  static constexpr char kType[] = "campaign_closed";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string campaign_id;
  std::string reason;
  bool operator==(const CampaignClosed&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(campaign_id, reason);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(CampaignClosed, campaign_id, reason)
};

// An API token was issued: every token stops working at a wall-clock
// instant fixed when it is issued. Tokens issued before expiry existed
// (schema version 1) never expire.
struct TokenIssued {
  static constexpr char kType[] = "token_issued";
  // 2: expires_at_us added. Version 1 upcasts with no expiry.
  static constexpr std::uint32_t kSchemaVersion = 2;
  std::string token_id;
  std::string user_id;
  std::string secret_sha256;  // hex of SHA-256 of the secret
  // Wall-clock UTC microseconds from which the token is refused; 0: never.
  std::int64_t expires_at_us = 0;
  bool operator==(const TokenIssued&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id, secret_sha256, expires_at_us);
  }
  static Result<TokenIssued> Upcast(std::uint32_t version,
                                    std::string_view bytes);
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(TokenIssued, token_id, user_id, secret_sha256,
                                 expires_at_us)
};

struct TokenRevoked {
  static constexpr char kType[] = "token_revoked";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string token_id;
  std::string user_id;  // the token's user
  bool operator==(const TokenRevoked&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(TokenRevoked, token_id, user_id)
};

// Sign-in credentials (stream "credential-<user>"): an admin issues a
// one-time setup code, the user sets a password with it, and signs in and
// out. The log keeps who and when (and, in the envelope, from where); a
// code only as its SHA-256, a password and a session's secret not at all:
// the password's Argon2id hash and the live sessions are derived state in
// the side store (api/passwords.h, api/web_sessions.h), since a secret's
// hash has no place in a log that is exported and relayed.
struct SetupCodeIssued {
  static constexpr char kType[] = "setup_code_issued";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string user_id;
  std::string code_sha256;  // hex of SHA-256 of the code
  // Wall-clock UTC microseconds from which the code is refused.
  std::int64_t expires_at_us = 0;
  bool operator==(const SetupCodeIssued&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, code_sha256, expires_at_us);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(SetupCodeIssued, user_id, code_sha256,
                                 expires_at_us)
};

// The user set their password with the setup code of this hash.
struct PasswordSet {
  static constexpr char kType[] = "password_set";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string user_id;
  std::string code_sha256;
  bool operator==(const PasswordSet&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, code_sha256);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(PasswordSet, user_id, code_sha256)
};

// A person signed in with their password; `session_id` names the session
// (never its secret) so its sign-out can be paired with it.
struct SignedIn {
  static constexpr char kType[] = "signed_in";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string user_id;
  std::string session_id;
  std::int64_t expires_at_us = 0;  // the session's absolute end
  bool operator==(const SignedIn&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, session_id, expires_at_us);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(SignedIn, user_id, session_id, expires_at_us)
};

struct SignedOut {
  static constexpr char kType[] = "signed_out";
  static constexpr std::uint32_t kSchemaVersion = 1;
  std::string user_id;
  std::string session_id;
  bool operator==(const SignedOut&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(user_id, session_id);
  }
  NLOHMANN_DEFINE_TYPE_INTRUSIVE(SignedOut, user_id, session_id)
};

// The type tags of the organisation's events (units, users, roles,
// campaigns, reorganisations), for filtering the log. Token events are apart:
// read models of the organisation do not follow them.
const std::vector<std::string>& SystemEventTypes();

// The type tags of the token events.
const std::vector<std::string>& TokenEventTypes();

// The type tags of the credential events (setup codes, passwords, sign-in
// and sign-out).
const std::vector<std::string>& CredentialEventTypes();

// JSON of a payload: an object with one member per field; dates as
// "YYYY-MM-DD".
template <typename T>
nlohmann::json PayloadToJson(const T& payload) {
  return nlohmann::json(payload);
}

// A payload from JSON; kInvalidArgument naming the problem when a member is
// missing or of the wrong type, or a date is not a real date.
template <typename T>
Result<T> PayloadFromJson(const nlohmann::json& json) {
  try {
    return json.get<T>();
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string(T::kType) + ": " + e.what());
  }
}

}  // namespace exemplar
