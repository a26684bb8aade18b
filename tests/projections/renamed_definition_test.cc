// The read side reads the definition: with every action and state of the
// shipped definition renamed (the commands renamed alike), the exemplar
// view, the list, the ledger and every report answer as with the original
// names, in JSON, CSV and JSON Lines.
#include <map>
#include <sstream>
#include <string>

#include "projections/export.h"
#include "projections/reports.h"
#include "tests/projections/projection_fixture.h"
#include "tests/support/default_definition.h"

namespace exemplar::testing {
namespace {

using nlohmann::json;
using Names = std::map<std::string, std::string>;

// A new name for every action and state: "zz_a00", "zz_s00", ... (fixed
// width, so that no new name holds another).
Names NewNames(const json& def) {
  auto numbered = [](const char* prefix, size_t i) {
    return prefix + std::string(i < 10 ? "0" : "") + std::to_string(i);
  };
  Names names;
  for (size_t i = 0; i < def["actions"].size(); ++i) {
    names[def["actions"][i]["name"]] = numbered("zz_a", i);
  }
  for (size_t i = 0; i < def["states"].size(); ++i) {
    names[def["states"][i]["name"]] = numbered("zz_s", i);
  }
  return names;
}

// Renames every string value that is an action or a state name, wherever
// the definition names one (actions, rules, read side). Event types stay:
// "award_revoked" is both a state and an event type.
void Rename(const Names& names, json* value) {
  if (value->is_object()) {
    for (auto& [key, member] : value->items()) {
      if (key != "event") Rename(names, &member);
    }
  } else if (value->is_array()) {
    for (json& item : *value) Rename(names, &item);
  } else if (value->is_string()) {
    auto found = names.find(value->get<std::string>());
    if (found != names.end()) *value = found->second;
  }
}

// Every answer of the read side, by what was asked, as text.
using Answers = std::map<std::string, std::string>;

// One store in which a script of exemplar histories is played with
// `definition`, each command's action renamed by `names`.
class ScriptedStore : public ProjectionTest {
 public:
  ScriptedStore(const Definition* definition, Names names)
      : names_(std::move(names)) {
    definition_ = definition;
    SetUp();
  }
  ~ScriptedStore() override { TearDown(); }
  void TestBody() override {}

  Answers Play() {
    Script();
    OpenProjections();
    CatchUp();
    return Ask();
  }

 private:
  std::string Named(const std::string& name) const {
    auto found = names_.find(name);
    return found == names_.end() ? name : found->second;
  }

  void Take(const std::string& id, const std::string& action, std::int64_t at,
            json fields = nullptr) {
    if (fields.is_null()) fields = ValidFieldsAt(action, at);
    // A partner must exist: the exemplar itself does.
    if (fields.contains("partner_exemplar_id")) {
      fields["partner_exemplar_id"] = id;
    }
    Do(id, DefaultActor(action), Named(action), std::move(fields), at);
  }

  // Detects `id` and takes the standard path to `state`, a day a step.
  std::int64_t Path(const std::string& id, const std::string& state,
                    std::int64_t at) {
    for (const std::string& action : PathTo(state)) {
      if (action == "record_vote") at += 15 * kDay;
      Take(id, action, at);
      at += kDay;
    }
    return at;
  }

  void Script() {
    // Honoured, propagated, replicated and evaluated, with the rest of its
    // life around it.
    std::int64_t at = Path("a", "honoured", At(2024, 3, 1));
    for (const char* action :
         {"record_propagation", "plan_replication",
          "record_replication_progress", "evaluate_replication", "evaluate",
          "register_emulation", "recommend_higher_award", "log_support_visit",
          "reassign_mentor"}) {
      Take("a", action, at += kDay);
    }
    // Honoured, one replication not adopted, one not evaluated, then
    // revoked.
    at = Path("b", "honoured", At(2024, 4, 1));
    Take("b", "plan_replication", at += kDay);
    json outcome = ValidFields("evaluate_replication");
    outcome["outcome"] = "not_replicated";
    Take("b", "evaluate_replication", at += kDay, outcome);
    json second = ValidFields("plan_replication");
    second["replication_id"] = "r2";
    Take("b", "plan_replication", at += kDay, second);
    Path("c", "approved", At(2024, 4, 2));
    Path("h", "honoured", At(2024, 6, 2));
    Take("b", "revoke_award", at += kDay);
    // An annual registration, rejected, then nurtured again and evaluated.
    at = Path("d", "nurturing", At(2024, 1, 10));
    json annual = ValidFields("nominate");
    annual["nomination_kind"] = "annual";
    annual["period"] = "2024";
    Take("d", "nominate", at += kDay, annual);
    Take("d", "reject", at += kDay);
    Take("d", "assign_mentor", at += kDay);
    Take("d", "evaluate", at += kDay);
    // Returned, nominated again, withdrawn; its mentor released.
    at = Path("e", "returned", At(2024, 5, 6));
    Take("e", "nominate", at += kDay);
    Take("e", "withdraw_nomination", at += kDay);
    Take("e", "release_mentor", at += kDay);
    // Retired; and one detected without a mentor for long.
    Path("f", "retired", At(2024, 2, 1));
    json detect = ValidFields("detect");
    detect["priority_flags"] = {"grassroots_collective",
                                "remote_border_island_ethnic_area"};
    Take("g", "detect", At(2024, 2, 3), detect);
  }

  Answers Ask() {
    Answers answers;
    auto add = [&](const std::string& question, const auto& result,
                   auto... offset) {
      ASSERT_TRUE(result.ok())
          << question << ": " << result.status().ToString();
      answers[question + ".json"] =
          projections::ToJson(*result, offset...).dump(1);
      const projections::Table table = projections::ToTable(*result, offset...);
      std::ostringstream csv, lines;
      projections::WriteCsv(table, csv);
      answers[question + ".csv"] = csv.str();
      projections::WriteJsonLines(table, lines);
      answers[question + ".jsonl"] = lines.str();
    };
    for (const char* id : {"a", "b", "c", "d", "e", "f", "g", "h"}) {
      Result<projections::ExemplarView> view = projections_->Exemplar(id);
      EXPECT_TRUE(view.ok()) << id << ": " << view.status().ToString();
      if (!view.ok()) continue;
      answers[std::string("view ") + id] = ToJson(*view, kOffset).dump(1);
    }
    projections::ExemplarListQuery all;
    all.limit = 1000;
    add("list", projections_->ListExemplars(all), kOffset);
    projections::ExemplarListQuery honoured = all;
    honoured.states = {Named("honoured"), Named("approved")};
    add("list honoured", projections_->ListExemplars(honoured), kOffset);
    projections::ExemplarListQuery replicated = all;
    replicated.replicated = true;
    replicated.propagated = false;
    add("list replicated", projections_->ListExemplars(replicated), kOffset);
    add("ledger", projections_->Ledger({}), kOffset);
    projections::LedgerQuery approvals;
    approvals.actions = {Named("approve"), Named("honour")};
    add("ledger approvals", projections_->Ledger(approvals), kOffset);
    add("quotas", projections_->Quotas("", 2024, {}));
    for (int quarter = 1; quarter <= 4; ++quarter) {
      add("deadlines " + std::to_string(quarter),
          projections_->Deadlines("", 2024, quarter, {}), kOffset);
    }
    projections::FollowUpQuery follow_up;
    follow_up.as_of_us = At(2024, 12, 1);
    add("follow-up", projections_->FollowUp(follow_up), kOffset);
    return answers;
  }

  Names names_;
};

// `text` with every new name put back to the original.
std::string Unrename(const Names& names, std::string text) {
  for (const auto& [original, renamed] : names) {
    for (size_t at = text.find(renamed); at != std::string::npos;
         at = text.find(renamed, at + original.size())) {
      text.replace(at, renamed.size(), original);
    }
  }
  return text;
}

TEST(RenamedDefinitionTest, EveryActionAndStateRenamedGivesTheSameAnswers) {
  json renamed_json = DefaultDefinitionJson();
  const Names names = NewNames(renamed_json);
  Rename(names, &renamed_json);
  ASSERT_EQ(renamed_json.dump().find("\"honour\""), std::string::npos);
  Result<Definition> renamed = ParseDefinition(renamed_json.dump());
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();

  Answers original = ScriptedStore(&DefaultDefinition(), {}).Play();
  Answers answers = ScriptedStore(&*renamed, names).Play();
  ASSERT_EQ(answers.size(), original.size());
  for (const auto& [question, answer] : original) {
    // Those that show actions or states show the new names.
    if (!question.starts_with("quotas") && !question.starts_with("dead")) {
      EXPECT_NE(answers[question], answer) << question;
    }
    EXPECT_EQ(Unrename(names, answers[question]), answer) << question;
  }
  // The script reaches every mark, every view section and every follow-up
  // category (the comparison means something).
  for (const char* needle :
       {"\"replication_without_evaluation\"", "\"no_mentor\"",
        "\"honoured_not_replicated\"", "\"approved_not_propagated\"",
        "\"no_evaluation_this_year\""}) {
    EXPECT_NE(original["follow-up.json"].find(needle), std::string::npos)
        << needle;
  }
  EXPECT_NE(original["quotas.json"].find("\"propagated_and_replicated\": 1"),
            std::string::npos);
  EXPECT_NE(original["view b"].find("\"not_replicated\""), std::string::npos);
}

}  // namespace
}  // namespace exemplar::testing
