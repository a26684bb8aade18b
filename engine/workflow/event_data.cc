#include "engine/workflow/event_data.h"

#include <functional>
#include <map>
#include <string>

#include "events/event_json.h"
#include "events/funnel_events.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "events/workflow_event.h"

namespace exemplar {
namespace {

using nlohmann::json;

template <typename T>
json SystemData(const EventRecord& record) {
  Result<T> payload = DecodeRecordPayload<T>(record);
  return payload.ok() ? PayloadToJson(*payload) : json(nullptr);
}

using SystemDecoder = json (*)(const EventRecord&);
using SystemDecoderMap = std::map<std::string, SystemDecoder, std::less<>>;

template <typename... Payloads>
SystemDecoderMap DecodersOf() {
  return {{Payloads::kType, &SystemData<Payloads>}...};
}

// Every system event type with its codec.
const SystemDecoderMap& SystemDecoders() {
  static const SystemDecoderMap kDecoders =
      DecodersOf<UnitCreated, UnitRenamed, UnitMoved, UnitClosed,
                 UserRegistered, UserDeactivated, RoleGranted, RoleRevoked,
                 CampaignLaunched, CampaignClosed, TokenIssued, TokenRevoked,
                 WorkflowDefinitionRecorded, SetupCodeIssued, PasswordSet,
                 SignedIn, SignedOut, UnitsReorganised, ExemplarTransferred>();
  return kDecoders;
}

// The registration funnel's and the propagation assessment's events.
const SystemDecoderMap& FunnelDecoders() {
  static const SystemDecoderMap kDecoders =
      DecodersOf<AnnualListRegistered, AnnualListSubmitted,
                 PropagationScored>();
  return kDecoders;
}

// Whether `value` has the form in which field_check.cc stores a field of
// `type`.
bool StoredAs(FieldType type, const FieldValue& value) {
  switch (type) {
    case FieldType::kInt:
      return std::holds_alternative<std::int64_t>(value);
    case FieldType::kNumber:
      return std::holds_alternative<double>(value);
    case FieldType::kBool:
      return std::holds_alternative<bool>(value);
    case FieldType::kDate:
      return std::holds_alternative<CivilDate>(value);
    case FieldType::kStringList:
      return std::holds_alternative<std::vector<std::string>>(value);
    case FieldType::kCriteriaResults:
      return std::holds_alternative<std::vector<CriterionResult>>(value);
    case FieldType::kDocuments:
      return std::holds_alternative<std::vector<DocumentRef>>(value);
    default:  // text, choices, periods and references
      return std::holds_alternative<std::string>(value);
  }
}

json WorkflowData(const Definition& definition, const EventRecord& record,
                  const PersonalData* personal) {
  Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
  if (!event.ok() || event->definition_name != definition.name) return nullptr;
  const ActionSpec* action = definition.FindAction(event->action);
  if (action == nullptr || action->event != record.type) return nullptr;
  for (const auto& [name, value] : event->fields) {
    // A field the action no longer declares was recorded under an older
    // version of the definition: shown as stored.
    const FieldSpec* spec = action->FindField(name);
    if (spec != nullptr && !StoredAs(spec->type, value)) return nullptr;
  }
  if (personal != nullptr) {
    personal->Open(record.stream_id, &*event);
    return WorkflowEventToJson(*event);
  }
  const std::vector<std::string> withheld = WithholdSealed(&*event);
  json out = WorkflowEventToJson(*event);
  if (!withheld.empty()) out["withheld"] = withheld;
  return out;
}

}  // namespace

json EventData(const Definition& definition, const EventRecord& record,
               const PersonalData* personal) {
  const auto& system = SystemDecoders();
  if (auto found = system.find(record.type); found != system.end()) {
    return found->second(record);
  }
  const auto& funnel = FunnelDecoders();
  if (auto found = funnel.find(record.type); found != funnel.end()) {
    return found->second(record);
  }
  return WorkflowData(definition, record, personal);
}

json EventToJsonWithData(const Definition& definition,
                         const EventRecord& record,
                         const PersonalData* personal) {
  json out = EventToJson(record);
  // EventToJson left a sealed member null beside its stored bytes: readers
  // the API answers see it opened.
  if (personal != nullptr && IsSealed(record.reason)) {
    out["reason"] = personal->OpenReason(record.stream_id, record.reason);
  }
  if (personal != nullptr && IsSealed(record.remote_address)) {
    out["remote_address"] =
        personal->OpenAddress(record.stream_id, record.remote_address);
  }
  out["data"] = EventData(definition, record, personal);
  return out;
}

}  // namespace exemplar
