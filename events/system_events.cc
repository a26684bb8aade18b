#include "events/system_events.h"

namespace exemplar {

const std::vector<std::string>& UnitLevels() {
  static const std::vector<std::string> kLevels = {
      "central", "province",   "district", "commune",
      "branch",  "department", "bloc"};
  return kLevels;
}

const std::vector<std::string>& SystemEventTypes() {
  static const std::vector<std::string> kTypes = {
      UnitCreated::kType,   UnitRenamed::kType,    UnitMoved::kType,
      UnitClosed::kType,    UserRegistered::kType, UserDeactivated::kType,
      RoleGranted::kType,   RoleRevoked::kType,    CampaignLaunched::kType,
      CampaignClosed::kType};
  return kTypes;
}

}  // namespace exemplar
