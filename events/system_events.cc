#include "events/system_events.h"

#include "events/payload_codec.h"

namespace exemplar {

const std::vector<std::string>& UnitLevels() {
  static const std::vector<std::string> kLevels = {
      "central", "province",   "district", "commune",
      "branch",  "department", "bloc"};
  return kLevels;
}

const std::vector<std::string>& SystemEventTypes() {
  static const std::vector<std::string> kTypes = {
      UnitCreated::kType,      UnitRenamed::kType,
      UnitMoved::kType,        UnitClosed::kType,
      UserRegistered::kType,   UserDeactivated::kType,
      RoleGranted::kType,      RoleRevoked::kType,
      CampaignLaunched::kType, CampaignClosed::kType,
      UnitsReorganised::kType, WorkflowDefinitionRecorded::kType};
  return kTypes;
}

const std::vector<std::string>& TokenEventTypes() {
  static const std::vector<std::string> kTypes = {TokenIssued::kType,
                                                  TokenRevoked::kType};
  return kTypes;
}

const std::vector<std::string>& CredentialEventTypes() {
  static const std::vector<std::string> kTypes = {
      SetupCodeIssued::kType, PasswordSet::kType, SignedIn::kType,
      SignedOut::kType};
  return kTypes;
}

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

// campaign_launched as schema version 1 wrote it: no deciding body.
struct CampaignLaunchedV1 {
  std::string campaign_id;
  std::string name;
  std::string unit_id;
  CivilDate period_start;
  CivilDate period_end;
  std::string criteria_set;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(campaign_id, name, unit_id, period_start, period_end, criteria_set);
  }
};

}  // namespace

Result<CampaignLaunched> CampaignLaunched::Upcast(std::uint32_t version,
                                                  std::string_view bytes) {
  if (version != 1) {
    return Status::Corruption(
        "no upcast from campaign_launched version " + std::to_string(version),
        0);
  }
  Result<CampaignLaunchedV1> old = DecodeExactLayout<CampaignLaunchedV1>(bytes);
  if (!old.ok()) return old.status();
  return CampaignLaunched{old->campaign_id,
                          old->name,
                          old->unit_id,
                          old->period_start,
                          old->period_end,
                          old->criteria_set,
                          ""};
}

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

}  // namespace exemplar
