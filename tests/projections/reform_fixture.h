// A history across the 2025 reform for the projection tests: exemplars in
// communes c1, c2 (district d1) and c3 (d2) before 1 July 2025; on that day
// the district level is dissolved (its communes move under the province)
// and c1 and c2 merge into the new commune c12, their exemplars transferred
// to it; after it, work in c12.
#pragma once

#include <functional>
#include <string>

#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {

class ReformTest : public ProjectionTest {
 protected:
  static std::int64_t Reform() { return At(2025, 7, 1); }

  // e1 detected in c1, honoured and propagated before the reform and
  // propagated again after it in c12; e2 detected in c2; e3 in c3; e4
  // detected in c12 after the reform.
  // `before_reform` runs just before the reorganisations are recorded.
  void ReformHistory(const std::function<void()>& before_reform = {}) {
    Detect("e1", "Hộ Lê Văn Một", At(2025, 3, 1));
    AdvanceTo("e1", "honoured", At(2025, 3, 2));
    Do("e1", "record_propagation", At(2025, 5, 1));
    People("reporter_c2", "reporter", "c2", At(2025, 1, 2));
    nlohmann::json e2 = ValidFields("detect");
    e2["name"] = "Hộ Trần Thị Hai";
    e2["unit_id"] = "c2";
    Act("e2", {"reporter_c2", "reporter", "c2"}, "detect", e2, At(2025, 4, 1));
    Detect("e3", "Hộ Phạm Ba", At(2025, 4, 2), "c3");
    if (before_reform) before_reform();

    UnitsReorganised dissolve;
    dissolve.reorganisation_id = "r-dist";
    dissolve.kind = "dissolve_level";
    dissolve.legal_basis = {"1656/NQ-UBTVQH15", CivilDate::FromYmd(2025, 6, 16),
                            "Ủy ban Thường vụ Quốc hội"};
    dissolve.ended = {"d1", "d2"};
    dissolve.reparented = {{"c1", "kh"}, {"c2", "kh"}, {"c3", "kh"}};
    dissolve.successions = {{"d1", {"kh"}}, {"d2", {"kh"}}};
    Append(StreamIdOf(StreamKind::kReorganisation, "r-dist"), dissolve,
           Reform());
    UnitsReorganised merge;
    merge.reorganisation_id = "r-merge";
    merge.kind = "merge";
    merge.legal_basis = {"SAMPLE-01/NQ", CivilDate::FromYmd(2025, 6, 16),
                         "Ủy ban Thường vụ Quốc hội"};
    merge.created = {{"c12", "Xã Cam Hải", "commune", "kh"}};
    merge.ended = {"c1", "c2"};
    merge.successions = {{"c1", {"c12"}}, {"c2", {"c12"}}};
    Append(StreamIdOf(StreamKind::kReorganisation, "r-merge"), merge,
           Reform() + kMinute);
    Transfer("e1", "c1", Reform() + 2 * kMinute);
    Transfer("e2", "c2", Reform() + 2 * kMinute);

    const std::int64_t after = Reform() + 3 * kMinute;
    People("reporter_c12", "reporter", "c12", after);
    People("propagandist_kh", "propagandist", "kh", after);
    Act("e1", {"propagandist_kh", "propagandist", "kh"}, "record_propagation",
        ValidFields("record_propagation"), At(2025, 9, 10));
    nlohmann::json fields = ValidFields("detect");
    fields["name"] = "Hộ Bốn";
    fields["unit_id"] = "c12";
    Act("e4", {"reporter_c12", "reporter", "c12"}, "detect", fields,
        At(2025, 9, 1));
  }

  template <typename Payload>
  void Append(const std::string& stream, const Payload& payload,
              std::int64_t at) {
    NewEvent event;
    event.type = Payload::kType;
    event.schema_version = Payload::kSchemaVersion;
    event.payload = EncodePayload(payload);
    event.actor = Actor{"admin", "admin", "vn"};
    event.recorded_at_us = at;
    Result<AppendResult> appended =
        store_->Append({stream, ExpectedVersion::Any(), {event}, ""});
    ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  }

  void Transfer(const std::string& exemplar, const std::string& from,
                std::int64_t at) {
    Append(StreamIdOf(StreamKind::kExemplar, exemplar),
           ExemplarTransferred{exemplar, "r-merge", from, "c12"}, at);
  }

  void Act(const std::string& id, const Person& person,
           const std::string& action, nlohmann::json fields, std::int64_t at) {
    Result<AppendResult> result = handler_->Handle(WorkflowCommand{
        id, action, std::move(fields), person.actor(), at, "", "", ""});
    ASSERT_TRUE(result.ok())
        << id << " " << action << ": " << result.status().ToString();
  }

  static constexpr std::int64_t kMinute = 60LL * 1000 * 1000;
};

}  // namespace exemplar::testing
