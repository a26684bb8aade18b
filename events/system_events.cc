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
      UnitCreated::kType,    UnitRenamed::kType,     UnitMoved::kType,
      UnitClosed::kType,     UserRegistered::kType,  UserDeactivated::kType,
      RoleGranted::kType,    RoleRevoked::kType,     CampaignLaunched::kType,
      CampaignClosed::kType, UnitsReorganised::kType};
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

}  // namespace exemplar
