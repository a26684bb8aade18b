// Authority: the read model of who may act where and when, folded purely
// from the system events (units, users, role grants and revocations,
// campaigns, API tokens issued and revoked, setup codes and passwords
// set, reorganisations, which end the grants on the units they end).
// Because authority is history,
// every record keeps its times, so a query can be asked "at" any instant: the
// unit tree as it was (moves included), the users active then, the grants valid
// then.
//
// Thread safety: const methods may be called concurrently; Apply needs
// exclusive access.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/workflow/unit_tree.h"
#include "events/civil_date.h"
#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

struct UserRecord {
  std::string id;
  std::string full_name;
  std::string home_unit_id;
  std::int64_t registered_at_us = 0;
  std::optional<std::int64_t> deactivated_at_us;

  bool ActiveAt(std::int64_t at_us) const;
};

struct GrantRecord {
  std::string id;
  std::string user_id;
  std::string role;
  std::string unit_id;
  std::int64_t valid_from_us = 0;
  std::int64_t valid_to_us = 0;  // exclusive; 0 for open-ended
  std::optional<std::int64_t> revoked_at_us;
  // A grant on a unit a reorganisation ended ends with it: the instant and
  // the reorganisation, derived when the reorganisation is folded.
  std::optional<std::int64_t> ended_at_us;
  std::string ended_by;

  // Within [valid_from, valid_to), and neither revoked nor ended at or
  // before `at_us`.
  bool ValidAt(std::int64_t at_us) const;
};

struct CampaignRecord {
  std::string id;
  std::string name;
  std::string unit_id;
  CivilDate period_start;
  CivilDate period_end;
  std::string criteria_set;
  std::int64_t launched_at_us = 0;
  std::optional<std::int64_t> closed_at_us;
  std::string deciding_body = {};  // "" : the definition's first

  bool OpenAt(std::int64_t at_us) const;
};

// An API token as the log knows it (never its secret or hash).
struct TokenRecord {
  std::string id;
  std::string user_id;
  std::int64_t issued_at_us = 0;
  std::int64_t expires_at_us = 0;  // 0: never
  std::optional<std::int64_t> revoked_at_us;
};

// A user's sign-in credentials as the log knows them: the latest setup
// code (a new one replaces any earlier) and whether a password was ever set.
struct CredentialRecord {
  std::string code_sha256;  // the latest code's hash; empty: none issued
  std::int64_t code_expires_at_us = 0;
  bool code_used = false;
  bool password_set = false;
};

class Authority {
 public:
  // Folds one event, using its recorded_at_us as the time it takes effect.
  // Events that are not system events are ignored. kCorruption (naming the
  // position) when the payload does not decode or names a unit, user, grant
  // campaign or token the log never created.
  Status Apply(const EventRecord& record);

  // nullptr when unknown.
  const UnitRecord* FindUnit(const std::string& id) const;
  const UserRecord* FindUser(const std::string& id) const;
  const GrantRecord* FindGrant(const std::string& id) const;
  const CampaignRecord* FindCampaign(const std::string& id) const;
  const TokenRecord* FindToken(const std::string& id) const;
  // A user's credentials; nullptr when none was ever issued.
  const CredentialRecord* FindCredential(const std::string& user_id) const;

  // Every token ever issued to `user_id`, revoked and expired ones
  // included, by id.
  std::vector<const TokenRecord*> TokensOf(const std::string& user_id) const;

  // The workflow definition `name` at `version` as the log recorded it;
  // nullptr when it never did.
  const WorkflowDefinitionRecorded* FindDefinition(const std::string& name,
                                                   std::uint32_t version) const;

  // Every campaign ever launched, closed ones included, by id.
  const std::map<std::string, CampaignRecord>& campaigns() const {
    return campaigns_;
  }

  // The grants of `user` valid at `at_us`, in grant id order; none when the
  // user is unknown or not active then (a deactivated user holds nothing).
  std::vector<const GrantRecord*> GrantsOf(const std::string& user,
                                           std::int64_t at_us) const;

  // The users active at `at_us` who hold no grant valid then, in id order
  // (e.g. those whose only grants a reorganisation ended).
  std::vector<const UserRecord*> UsersWithoutGrant(std::int64_t at_us) const;

  // The grants the reorganisation `reorganisation_id` ended, in grant id
  // order.
  std::vector<const GrantRecord*> GrantsEndedBy(
      const std::string& reorganisation_id) const;

  // The unit tree (UnitTree::IsWithin, HasOpenChild, PathAt).
  const UnitTree& units() const { return units_; }

  // True when `unit` is `ancestor` or lies below it in the tree as it was at
  // `at_us`.
  bool IsWithin(const std::string& unit, const std::string& ancestor,
                std::int64_t at_us) const {
    return units_.IsWithin(unit, ancestor, at_us);
  }

  // Whether `user`, acting for `acting_unit`, may use `role` on something
  // that belongs to `target_unit` at `at_us`: the user is registered and
  // active, holds a grant of `role` at `acting_unit` valid then, and
  // `target_unit` is within `acting_unit` then (authority flows down the
  // tree). Rejections: "user_inactive", "not_authorised", "not_in_scope".
  Status HeldRole(const std::string& user, const std::string& role,
                  const std::string& acting_unit,
                  const std::string& target_unit, std::int64_t at_us) const;

  // True once any grant of `role` was ever made (used to end bootstrap).
  bool EverGranted(const std::string& role) const;

  // Position of the last event folded; 0 before any.
  std::uint64_t position() const { return position_; }

 private:
  Status ApplyUser(const EventRecord& record);
  Status ApplyReorganised(const EventRecord& record);
  Status ApplyCampaign(const EventRecord& record);
  Status ApplyToken(const EventRecord& record);
  Status ApplyCredential(const EventRecord& record);
  Status ApplyDefinition(const EventRecord& record);

  UnitTree units_;
  std::map<std::string, UserRecord> users_;
  std::map<std::string, GrantRecord> grants_;
  std::map<std::string, CampaignRecord> campaigns_;
  std::map<std::string, TokenRecord> tokens_;
  std::map<std::string, CredentialRecord> credentials_;  // by user
  std::map<std::pair<std::string, std::uint32_t>, WorkflowDefinitionRecorded>
      definitions_;  // by (name, version)
  std::uint64_t position_ = 0;
};

}  // namespace exemplar
