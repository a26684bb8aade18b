// Payloads as older schema versions wrote them, for tests that store one
// and read it back through the upcast.
#pragma once

#include <cereal/types/string.hpp>
#include <string>

#include "events/civil_date.h"

namespace exemplar::testing {

// token_issued as schema version 1 wrote it, before tokens expired.
struct TokenIssuedV1 {
  std::string token_id, user_id, secret_sha256;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(token_id, user_id, secret_sha256);
  }
};

// campaign_launched as schema version 1 wrote it, before a campaign named
// the body that decides it.
struct CampaignLaunchedV1 {
  std::string campaign_id, name, unit_id;
  CivilDate period_start, period_end;
  std::string criteria_set;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(campaign_id, name, unit_id, period_start, period_end, criteria_set);
  }
};

}  // namespace exemplar::testing
