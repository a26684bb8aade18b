// Test support for the workflow tests: the default definition, an
// organisation seeded from the documents (a province, two districts, their
// communes, users in every role), and a pure driver that decides commands
// against an exemplar's state and applies what is accepted, keeping the log
// as records so replay can be compared with the live state.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/workflow/authority.h"
#include "engine/workflow/decide.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/exemplar_state.h"
#include "engine/workflow/organisation.h"
#include "engine/workflow/reorganisation.h"
#include "engine/workflow/sample_fields.h"
#include "events/civil_date.h"
#include "tests/support/default_definition.h"

namespace exemplar::testing {

inline constexpr int kOffset = 420;  // UTC+7
inline constexpr std::int64_t kHour = 3600LL * 1000 * 1000;
inline constexpr std::int64_t kDay = 24 * kHour;

// 09:00 local time on the given date.
inline std::int64_t At(int year, unsigned month, unsigned day, int hour = 9) {
  return CivilDate::FromYmd(year, month, day).StartUnixMicros(kOffset) +
         hour * kHour;
}

inline const Definition& DefaultDefinition() {
  static const Definition* definition = [] {
    Result<Definition> loaded = LoadDefinition(DefaultDefinitionPath());
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new Definition(std::move(loaded).value());
  }();
  return *definition;
}

// The name of every action of the default definition, for tests over each.
inline std::vector<std::string> ActionNames() {
  std::vector<std::string> names;
  for (const ActionSpec& action : DefaultDefinition().actions) {
    names.push_back(action.name);
  }
  return names;
}

// An EventRecord as the store would keep it, for pure folds.
inline EventRecord ToRecord(const NewEvent& event, const std::string& stream,
                            std::uint64_t position, std::uint64_t version) {
  EventRecord record;
  static_cast<NewEvent&>(record) = event;
  record.position = position;
  record.stream_id = stream;
  record.stream_version = version;
  return record;
}

// One user in one role at one unit.
struct Person {
  std::string user;
  std::string role;
  std::string unit;
  Actor actor() const { return Actor{user, role, unit}; }
};

// The test organisation: a province with two districts and three communes.
struct TestUnit {
  std::string id, name, level, parent;
};
inline const std::vector<TestUnit>& TestUnits() {
  static const std::vector<TestUnit> units = {
      {"vn", "Trung ương", "central", ""},
      {"kh", "Tỉnh Khánh Hòa", "province", "vn"},
      {"d1", "Huyện Cam Lâm", "district", "kh"},
      {"d2", "Huyện Diên Khánh", "district", "kh"},
      {"c1", "Xã Cam Hải Tây", "commune", "d1"},
      {"c2", "Xã Cam Thành Nam", "commune", "d1"},
      {"c3", "Xã Diên An", "commune", "d2"}};
  return units;
}

// Where each role sits: once at `unit` in d1, once at its `twin` in d2.
struct RoleSeat {
  std::string role, unit, twin;
};
inline const std::vector<RoleSeat>& RoleSeats() {
  static const std::vector<RoleSeat> seats = {
      {"reporter", "c1", "c3"},
      {"mentor", "c1", "c3"},
      {"nominator", "c1", "c3"},
      {"appraiser", "d1", "d2"},
      {"council_member", "d1", "d2"},
      {"approver", "d1", "d2"},
      {"propagandist", "d1", "d2"},
      {"auditor", "d1", "d2"},
      {"data_protection_officer", "d1", "d2"}};
  return seats;
}

// The organisation, built through DecideSystem and folded into Authority.
class World {
 public:
  World() {
    const std::int64_t t0 = At(2024, 1, 2);
    for (const TestUnit& unit : TestUnits()) {
      Unit(unit.id, unit.name, unit.level, unit.parent, t0);
    }
    People("admin", "admin", "vn", "vn", t0);
    // Each role once at its home unit in d1 and once in sibling district d2.
    for (const RoleSeat& seat : RoleSeats()) {
      People(seat.role, seat.role, seat.unit, seat.unit, t0);
      People(seat.role + "_d2", seat.role, seat.twin, seat.twin, t0);
    }
    // One person holding three roles at the district, for four-eyes.
    People("multi", "nominator", "d1", "d1", t0);
    Grant("multi", "appraiser", "d1", t0);
    Grant("multi", "approver", "d1", t0);
    Campaign("wu2024", "Phụ nữ tích cực học tập, lao động sáng tạo", "kh",
             "womens_union", t0);
    Campaign("gen2024", "Thi đua yêu nước 2024", "kh", "general", t0);
  }

  // Runs a system command as the admin and folds its event; fails the test
  // when it is rejected.
  void System(SystemAction action, std::int64_t at,
              Actor actor = Actor{"admin", "admin", "vn"}) {
    Status status = TrySystem(std::move(action), at, std::move(actor));
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  Status TrySystem(SystemAction action, std::int64_t at, Actor actor) {
    SystemCommand command{std::move(action), std::move(actor), at, "", ""};
    Result<std::vector<NewEvent>> events =
        DecideSystem(command, authority_, DefaultDefinition());
    if (!events.ok()) return events.status();
    for (const NewEvent& event : *events) {
      EXEMPLAR_RETURN_IF_ERROR(authority_.Apply(
          ToRecord(event, SystemStreamId(command), ++position_, 0)));
    }
    return Status::Ok();
  }

  // Decides a reorganisation and folds its event; the refusal otherwise.
  Status Reorganise(ReorganisationAction action, std::int64_t at,
                    Actor actor = Actor{"admin", "admin", "vn"}) {
    ReorganisationCommand command{std::move(action), std::move(actor), at, "",
                                  ""};
    Result<std::vector<NewEvent>> events =
        DecideSystem(command, authority_, DefaultDefinition());
    if (!events.ok()) return events.status();
    for (const NewEvent& event : *events) {
      EXEMPLAR_RETURN_IF_ERROR(authority_.Apply(
          ToRecord(event, ReorganisationStreamId(command), ++position_, 0)));
    }
    return Status::Ok();
  }

  void Unit(const std::string& id, const std::string& name,
            const std::string& level, const std::string& parent,
            std::int64_t at) {
    System(UnitCreated{id, name, level, parent}, at);
  }
  void People(const std::string& user, const std::string& role,
              const std::string& home, const std::string& unit,
              std::int64_t at) {
    System(UserRegistered{user, "Cán bộ " + user, home}, at);
    Grant(user, role, unit, at);
  }
  void Grant(const std::string& user, const std::string& role,
             const std::string& unit, std::int64_t at) {
    std::string id = "g-" + user + "-" + role + "-" + unit;
    System(RoleGranted{id, user, role, unit, at, 0}, at);
  }
  void Campaign(const std::string& id, const std::string& name,
                const std::string& unit, const std::string& set,
                std::int64_t at) {
    System(CampaignLaunched{id, name, unit, CivilDate::FromYmd(2024, 1, 1),
                            CivilDate::FromYmd(2024, 12, 31), set},
           at);
  }

  const Authority& authority() const { return authority_; }

 private:
  Authority authority_;
  std::uint64_t position_ = 0;
};

// The person who takes each role in the tests, at their home unit.
inline Person Who(const std::string& user) {
  static const std::map<std::string, std::string> kUnits = {
      {"reporter", "c1"},     {"mentor", "c1"},         {"nominator", "c1"},
      {"appraiser", "d1"},    {"council_member", "d1"}, {"approver", "d1"},
      {"propagandist", "d1"}, {"auditor", "d1"},        {"admin", "vn"}};
  auto it = kUnits.find(user);
  return Person{user, user, it == kUnits.end() ? "d1" : it->second};
}

// Decides commands against one exemplar, applying what is accepted.
class Driver {
 public:
  Driver(const World& world, std::string id = "ex1")
      : world_(world), id_(std::move(id)) {}

  // Decides at `at` (default: the driver's clock, which then moves a day).
  // On acceptance the events are applied and logged; on rejection the test
  // checks that nothing changed.
  Status Try(const std::string& action, const Actor& actor,
             nlohmann::json fields, std::int64_t at = 0,
             const std::string& on_behalf_of = "") {
    if (at == 0) {
      at = now_;
      now_ += kDay;
    }
    WorkflowCommand command{id_, action, std::move(fields), actor, at, "",
                            "",  ""};
    command.on_behalf_of = on_behalf_of;
    command.exemplar_units = exemplar_units_;
    Result<std::vector<NewEvent>> events =
        Decide(state_, command, DefaultDefinition(), world_.authority());
    return Record(events);
  }

  // Moves the exemplar from `from` to `to` for the reorganisation `id`,
  // as the admin at the root.
  Status Transfer(const std::string& id, const std::string& from,
                  const std::string& to, std::int64_t at) {
    TransferCommand command{ExemplarTransferred{id_, id, from, to},
                            Actor{"admin", "admin", "vn"}, at, "", ""};
    Result<std::vector<NewEvent>> events =
        DecideTransfer(state_, command, world_.authority());
    return Record(events);
  }

  // Appends what a decision gave to the exemplar's log and folds it.
  Status Record(const Result<std::vector<NewEvent>>& events) {
    if (!events.ok()) return events.status();
    for (const NewEvent& event : *events) {
      EventRecord record =
          ToRecord(event, ExemplarStreamId(id_), log_.size() + 1, log_.size());
      Result<ExemplarState> next = Apply(DefaultDefinition(), state_, record);
      EXEMPLAR_RETURN_IF_ERROR(next.status());
      state_ = std::move(*next);
      log_.push_back(std::move(record));
    }
    return Status::Ok();
  }

  // Like Try with the named person in their own role and unit.
  Status By(const std::string& user, const std::string& action,
            nlohmann::json fields, std::int64_t at = 0) {
    return Try(action, Who(user).actor(), std::move(fields), at);
  }

  // The state folded again from the logged records.
  ExemplarState Replay() const {
    ExemplarState state;
    for (const EventRecord& record : log_) {
      Result<ExemplarState> next = Apply(DefaultDefinition(), state, record);
      EXPECT_TRUE(next.ok()) << next.status().ToString();
      state = std::move(*next);
    }
    return state;
  }

  void Skip(std::int64_t duration) { now_ += duration; }
  // Another exemplar, of `unit`, that commands may name (as the command
  // handler finds them in the store). "ex2" of commune c1 is known from the
  // start: the sample fields name it as a partner.
  void Know(const std::string& exemplar, const std::string& unit) {
    exemplar_units_[exemplar] = unit;
  }
  std::int64_t now() const { return now_; }
  const ExemplarState& state() const { return state_; }
  const std::vector<EventRecord>& log() const { return log_; }

 private:
  const World& world_;
  std::string id_;
  // The standard path approves on 11 June and honours the day after.
  std::int64_t now_ = At(2024, 5, 21);
  std::map<std::string, std::string> exemplar_units_{{"ex2", "c1"}};
  ExemplarState state_;
  std::vector<EventRecord> log_;
};

// What the sample fields of the tests draw on: the test organisation's
// household in commune c1, its mentor, the Women's Union campaign and a
// district certificate of merit, on 10 May 2024.
inline SampleContext TestSampleContext() {
  SampleContext context;
  context.at_us = At(2024, 5, 10);
  context.unit_id = "c1";
  context.user_id = "mentor";
  context.campaign_id = "wu2024";
  context.criteria_set = "womens_union";
  context.award_form = "giay_khen";
  context.subject_kind = "household";
  context.set_entry = "r1";
  context.exemplar_id = "ex2";  // Driver knows it, in c1
  return context;
}

// Valid fields for every action of the default definition (SampleFields),
// with the values the tests look for given as overrides.
inline nlohmann::json ValidFields(const std::string& action) {
  using nlohmann::json;
  static const std::map<std::string, json> kOverrides = {
      {"detect",
       {{"name", "Hộ bà Nguyễn Thị Lan"},
        {"summary", "Hộ sản xuất kinh doanh giỏi, giúp 5 hộ thoát nghèo"},
        {"priority_flags", {"direct_worker"}}}},
      {"reassign_mentor", {{"mentor_id", "mentor_d2"}}},
      {"document_experience",
       {{"title", "Kinh nghiệm nuôi tôm hùm"},
        {"practices", {"chọn giống", "phòng bệnh"}}}},
      {"declare_conflict", {{"user_id", "approver_d2"}}},
      {"record_comment",
       {{"commenter", "Chi hội thôn 2"}, {"received_on", "2024-05-15"}}},
      {"record_vote",
       {{"votes_for", 7},
        {"votes_against", 1},
        {"abstentions", 1},
        {"meeting_date", "2024-06-03"}}},
      {"return_for_revision", {{"reason", "Bổ sung minh chứng"}}},
      {"honour",
       {{"occasion", "patriotic_emulation_day"},
        {"occasion_date", "2024-06-11"},
        {"decision_date", "2024-06-11"}}},
      {"recommend_higher_award",
       {{"proposed_award", "bang_khen"}, {"to_unit", "kh"}}},
      {"record_propagation", {{"published_on", "2024-06-20"}}},
      {"plan_replication", {{"target_unit", "c1"}}},
      {"register_emulation", {{"partner_exemplar_id", "ex2"}}},
      {"evaluate", {{"period", "2024"}}},
  };
  const ActionSpec* spec = DefaultDefinition().FindAction(action);
  EXPECT_NE(spec, nullptr) << action;
  if (spec == nullptr) return json::object();
  SampleContext context = TestSampleContext();
  if (auto it = kOverrides.find(action); it != kOverrides.end()) {
    context.overrides = it->second;
  }
  return SampleFields(DefaultDefinition(), *spec, context);
}

// ValidFields for `action` taken at `at`: a decision signed that day (a
// decision date may not lie after the day it is recorded, nor before the
// approval it honours).
inline nlohmann::json ValidFieldsAt(const std::string& action,
                                    std::int64_t at) {
  nlohmann::json fields = ValidFields(action);
  if (fields.contains("decision_date")) {
    fields["decision_date"] = CivilDate::AtInstant(at, kOffset).ToString();
  }
  return fields;
}

// Who takes each action in the standard path.
inline std::string DefaultActor(const std::string& action) {
  static const std::map<std::string, std::string> kActors = {
      {"detect", "reporter"},
      {"assign_mentor", "nominator"},
      {"reassign_mentor", "nominator"},
      {"release_mentor", "nominator"},
      {"log_support_visit", "mentor"},
      {"inform_authorities", "mentor"},
      {"document_experience", "mentor"},
      {"set_development_plan", "mentor"},
      {"declare_conflict", "appraiser"},
      {"nominate", "nominator"},
      {"withdraw_nomination", "nominator"},
      {"appraise", "appraiser"},
      {"open_public_comment", "appraiser"},
      {"record_comment", "appraiser"},
      {"record_vote", "council_member"},
      {"approve", "approver"},
      {"reject", "approver"},
      {"return_for_revision", "approver"},
      {"honour", "approver"},
      {"recommend_higher_award", "approver"},
      {"revoke_award", "approver"},
      {"record_propagation", "propagandist"},
      {"plan_replication", "mentor"},
      {"record_replication_progress", "mentor"},
      {"evaluate_replication", "appraiser"},
      {"register_emulation", "mentor"},
      {"evaluate", "appraiser"},
      {"retire", "approver"},
      {"adopt_definition_version", "nominator"},
      {"request_erasure", "data_protection_officer"},
      {"approve_erasure", "approver"},
      {"give_subject_access", "data_protection_officer"},
  };
  return kActors.at(action);
}

// The actions that bring a fresh exemplar to `state` along the standard
// path (public comment is left open 15 days before the vote).
inline std::vector<std::string> PathTo(const std::string& state) {
  static const std::vector<std::string> kMain = {"detect",
                                                 "assign_mentor",
                                                 "nominate",
                                                 "appraise",
                                                 "open_public_comment",
                                                 "record_vote",
                                                 "approve",
                                                 "honour"};
  static const std::map<std::string, std::string> kLast = {
      {"detected", "detect"},
      {"nurturing", "assign_mentor"},
      {"nominated", "nominate"},
      {"appraised", "appraise"},
      {"public_comment", "open_public_comment"},
      {"voted", "record_vote"},
      {"approved", "approve"},
      {"honoured", "honour"}};
  static const std::map<std::string, std::pair<std::string, std::string>>
      kSide = {{"returned", {"nominated", "return_for_revision"}},
               {"rejected", {"nominated", "reject"}},
               {"award_revoked", {"honoured", "revoke_award"}},
               {"retired", {"detected", "retire"}}};
  if (auto side = kSide.find(state); side != kSide.end()) {
    std::vector<std::string> path = PathTo(side->second.first);
    path.push_back(side->second.second);
    return path;
  }
  std::vector<std::string> path;
  for (const std::string& action : kMain) {
    path.push_back(action);
    if (action == kLast.at(state)) break;
  }
  return path;
}

// From "nominated": appraises with `appraise`, opens public comment and,
// 15 days later, records the council's vote; fails the test on a rejection.
inline void AppraiseAndVote(Driver& driver, const nlohmann::json& appraise) {
  ASSERT_TRUE(driver.By("appraiser", "appraise", appraise).ok());
  ASSERT_TRUE(driver
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver.Skip(15 * kDay);
  ASSERT_TRUE(
      driver.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
}

// Drives `driver` along PathTo(state); fails the test on any rejection.
inline void Advance(Driver& driver, const std::string& state) {
  for (const std::string& action : PathTo(state)) {
    if (action == "record_vote") driver.Skip(15 * kDay);
    Status status = driver.By(DefaultActor(action), action,
                              ValidFieldsAt(action, driver.now()));
    ASSERT_TRUE(status.ok()) << action << ": " << status.ToString();
  }
  ASSERT_EQ(driver.state().state, state);
}

}  // namespace exemplar::testing
