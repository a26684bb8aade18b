// Time travel without folding the log again: a model as of a position
// (ReadModel::AsOf), whose rows are told from the live rows' steps
// (row_history.h), answers every query exactly as a model folded from the
// log up to that position does, at every position of a history that
// crosses a reorganisation, and as of every time recorded.
#include <set>

#include "projections/funnel_reports.h"
#include "projections/reorganisation_report.h"
#include "projections/reports.h"
#include "projections/row_history.h"
#include "tests/projections/reform_fixture.h"

namespace exemplar::testing {
namespace {

using projections::ExemplarRow;
using projections::ReadModel;

constexpr std::int64_t kLatestTree = std::numeric_limits<std::int64_t>::max();

class PastModelTest : public ReformTest {
 protected:
  void SetUp() override {
    ReformTest::SetUp();
    ReformHistory([&] {
      Funnel(RegisterList{"c1", 2025, {"e1"}, ""},
             Actor{"nominator", "nominator", "c1"}, At(2025, 4, 5));
      Do("e1", "plan_replication", At(2025, 5, 10));
      Do("e1", "evaluate_replication", At(2025, 6, 1));
      Funnel(ScorePropagation{"c1", "2025-H1", 80, "Đạt"},
             Actor{"appraiser", "appraiser", "d1"}, At(2025, 6, 2));
      // What only the reorganisation report's indexes find once both are
      // in c12: e6 plans a replication into c2 and has no mentor, e7's
      // mentor loses their grant at c1.
      Detect("e6", "Hộ Sáu", At(2025, 5, 3));
      AdvanceTo("e6", "honoured", At(2025, 5, 4));
      nlohmann::json plan = ValidFields("plan_replication");
      plan["replication_id"] = "nr-6";
      plan["target_unit"] = "c2";
      // The district's nominator: c2 lies within their authority.
      Do("e6", "nominator_dist", "plan_replication", plan, At(2025, 5, 5));
      Do("e6", "nominator", "release_mentor", ValidFields("release_mentor"),
         At(2025, 5, 6));
      Detect("e7", "Hộ Bảy", At(2025, 5, 7));
      Do("e7", "nominator", "assign_mentor", ValidFields("assign_mentor"),
         At(2025, 5, 8));
      // Introduced twice in one quarter (2024-Q2, the sample's period):
      // counted once per introduction.
      Do("e7", "nominate", At(2025, 5, 9));
      Do("e7", "return_for_revision", At(2025, 5, 10));
      Do("e7", "nominate", At(2025, 5, 11));
    });
    Transfer("e6", "c1", Reform() + 2 * kMinute);
    Transfer("e7", "c1", Reform() + 2 * kMinute);
    Result<EventStore::Page> page = store_->ReadAll(1, 100000);
    ASSERT_TRUE(page.ok());
    events_ = std::move(page->events);
    live_ = Folded(events_.size(), kLatestTree);
  }

  void Funnel(FunnelAction action, const Actor& actor, std::int64_t at) {
    Result<AppendResult> result =
        handler_->Handle(FunnelCommand{std::move(action), actor, at, "", ""});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }

  // The log's first `count` events folded, as time travel did before.
  std::unique_ptr<ReadModel> Folded(std::size_t count, std::int64_t tree_at) {
    auto model = std::make_unique<ReadModel>(
        definition_, projections::ReadModelOptions{.tree_at_us = tree_at});
    for (std::size_t i = 0; i < count; ++i) {
      Status applied = model->Apply(events_[i], nullptr);
      EXPECT_TRUE(applied.ok()) << applied.ToString();
    }
    return model;
  }

  // Every page of `query`, three rows a page.
  static nlohmann::json AllPages(const ReadModel& model,
                                 projections::ExemplarListQuery query) {
    nlohmann::json pages = nlohmann::json::array();
    query.limit = 3;
    for (;;) {
      auto page = model.List(query);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) return pages;
      pages.push_back(projections::ToJson(*page, 420));
      if (page->next_cursor.empty()) return pages;
      query.cursor = page->next_cursor;
    }
  }

  // What the model answers to every report but follow-up, for `unit_id`
  // and a reader seeing `visible`.
  nlohmann::json Reports(const ReadModel& model, const std::string& unit_id,
                         const projections::ReadScope& visible) {
    using namespace projections;
    nlohmann::json out;
    for (int year : {2025, 2026}) {
      out["quotas"].push_back(
          ToJson(*BuildQuotaReport(model, unit_id, year, visible, 420)));
      out["registrations"].push_back(
          ToJson(*BuildRegistrationReport(model, unit_id, year, visible,
                                          At(2026, 1, 1)),
                 420));
      out["propagation"].push_back(
          ToJson(*BuildPropagationReport(model, unit_id, std::to_string(year),
                                         visible),
                 420));
      out["half"].push_back(
          ToJson(*BuildPropagationReport(model, unit_id,
                                         std::to_string(year) + "-H1", visible),
                 420));
    }
    for (int year : {2024, 2025}) {
      for (int quarter : {1, 2, 3, 4}) {
        out["deadlines"].push_back(ToJson(
            *BuildDeadlineReport(model, unit_id, year, quarter, visible, 420),
            420));
      }
    }
    out["reorganisation"] = ToJson(
        BuildReorganisationReport(model, {visible, unit_id, At(2026, 1, 1)}),
        420);
    return out;
  }

  // What the model answers to the list, every report, the tree and the
  // users, and its rows.
  nlohmann::json Answers(const ReadModel& model) {
    using namespace projections;
    nlohmann::json out;
    out["position"] = model.position();
    out["last_event"] = model.last_event_us();
    for (ExemplarSort sort :
         {ExemplarSort::kId, ExemplarSort::kName, ExemplarSort::kDetected}) {
      ExemplarListQuery query;
      query.sort = sort;
      query.descending = sort == ExemplarSort::kDetected;
      out["lists"].push_back(AllPages(model, query));
    }
    ExemplarListQuery scoped;
    scoped.unit_id = "c12";
    out["c12"] = AllPages(model, scoped);
    scoped.unit_id = "d1";
    scoped.has_mentor = true;
    out["d1"] = AllPages(model, scoped);
    ExemplarListQuery seen;
    seen.visible = Seeing({"c12"});
    seen.propagated = true;
    out["seen"] = AllPages(model, seen);
    out["reports"] = Reports(model, "", {});
    out["follow_up"] = ToJson(BuildFollowUpReport(model, {}, 420), 420);
    for (const UnitNode& unit : model.Units({})) {
      out["units"].push_back(ToJson(unit));
    }
    for (const UserInfo& user : model.Users(At(2025, 8, 1))) {
      out["users"].push_back(ToJson(user, 420));
    }
    std::vector<ExemplarRow> rows;
    model.ForEachExemplar([&](const ExemplarRow& row) { rows.push_back(row); });
    out["rows"] = rows.size();
    for (const ExemplarRow& row : rows) {
      EXPECT_EQ(*model.FindExemplar(row.id), row);
    }
    return out;
  }

  std::vector<EventRecord> events_;
  std::unique_ptr<ReadModel> live_;
};

TEST_F(PastModelTest, ARowAsOfEveryPositionIsTheFoldOfItsEventsUpToIt) {
  std::set<std::string> ids;
  live_->ForEachExemplar([&](const ExemplarRow& row) { ids.insert(row.id); });
  ASSERT_EQ(ids.size(), 6u);
  const ExemplarRow* e1 = live_->FindExemplar("e1");
  ASSERT_FALSE(e1->transfers.empty());
  ASSERT_FALSE(e1->replications.empty());
  for (std::size_t count = 0; count <= events_.size(); ++count) {
    std::unique_ptr<ReadModel> folded = Folded(count, kLatestTree);
    const std::uint64_t position = count == 0 ? 0 : events_[count - 1].position;
    for (const std::string& id : ids) {
      ExemplarRow told;
      const bool existed =
          projections::RowAsOf(*live_->FindExemplar(id), position, &told);
      const ExemplarRow* expected = folded->FindExemplar(id);
      ASSERT_EQ(existed, expected != nullptr) << id << " at " << position;
      if (existed) {
        EXPECT_EQ(told, *expected) << id << " at " << position;
      }
    }
  }
}

TEST_F(PastModelTest, AModelAsOfEveryPositionAnswersAsTheFoldedPrefix) {
  for (std::size_t count = 0; count <= events_.size(); ++count) {
    const std::uint64_t position = count == 0 ? 0 : events_[count - 1].position;
    Result<std::unique_ptr<ReadModel>> past =
        live_->AsOf(position, kLatestTree);
    ASSERT_TRUE(past.ok()) << past.status().ToString();
    EXPECT_EQ(Answers(**past), Answers(*Folded(count, kLatestTree)))
        << "as of position " << position;
  }
}

// The live model's report indexes and quota tallies, kept as each event
// is folded, answer as a scan of the rows does (a model AsOf makes keeps
// none), after every event, for the whole tree, a district and a reader
// who sees one commune.
TEST_F(PastModelTest, ReportsKeptAsEventsAreFoldedAnswerAsAScanOfTheRows) {
  ReadModel kept(definition_);
  for (const EventRecord& event : events_) {
    ASSERT_TRUE(kept.Apply(event, nullptr).ok());
    Result<std::unique_ptr<ReadModel>> scanned =
        live_->AsOf(event.position, kLatestTree);
    ASSERT_TRUE(scanned.ok());
    for (const auto& [unit, visible] :
         {std::pair<std::string, projections::ReadScope>{"", {}},
          {"d1", {}},
          {"", Seeing({"c12"})}}) {
      ASSERT_EQ(Reports(kept, unit, visible), Reports(**scanned, unit, visible))
          << "at position " << event.position << " for \"" << unit << "\"";
    }
  }
}

TEST_F(PastModelTest, AModelAsOfEveryTimeAnswersAsTheLongestPrefixThen) {
  std::set<std::int64_t> times;
  for (const EventRecord& record : events_) {
    times.insert({record.recorded_at_us - 1, record.recorded_at_us});
  }
  // Times are not in log order here (a detection recorded after later
  // dated events), so a time's prefix stops at the first event after it.
  bool out_of_order = false;
  for (std::size_t i = 1; i < events_.size(); ++i) {
    out_of_order |= events_[i].recorded_at_us < events_[i - 1].recorded_at_us;
  }
  ASSERT_TRUE(out_of_order);
  for (std::int64_t time : times) {
    std::size_t count = 0;
    while (count < events_.size() && events_[count].recorded_at_us <= time) {
      ++count;
    }
    const std::uint64_t position = live_->PositionAt(time);
    ASSERT_EQ(position, count == 0 ? 0 : events_[count - 1].position) << time;
    Result<std::unique_ptr<ReadModel>> past = live_->AsOf(position, time);
    ASSERT_TRUE(past.ok());
    EXPECT_EQ(Answers(**past), Answers(*Folded(count, time)))
        << "as of time " << time;
  }
}

TEST_F(PastModelTest, ProjectionsWrittenBeforeTheTimelineAreRebuiltOnOpen) {
  OpenProjections();
  CatchUp();
  const std::int64_t time = At(2025, 7, 15);
  auto before = projections_->Quotas("", 2025, {}, {0, time});
  ASSERT_TRUE(before.ok());
  auto dump = Dump();
  ASSERT_TRUE(dump.ok());
  projections_.reset();
  ASSERT_TRUE(projections::DropProjection(*store_, "timeline").ok());
  OpenProjections();
  CatchUp();
  auto after = projections_->Quotas("", 2025, {}, {0, time});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(projections::ToJson(*after), projections::ToJson(*before));
  EXPECT_EQ(*Dump(), *dump);
}

TEST_F(PastModelTest, RowsOfAnEarlierLayoutAreRebuiltOnOpen) {
  OpenProjections();
  CatchUp();
  auto dump = Dump();
  ASSERT_TRUE(dump.ok());
  projections_.reset();
  SideStore& side = store_->side_store();
  SideStore::Batch batch = side.NewBatch();
  batch.Delete(SideSpace::kProjectionCheckpoints, projections::kRowsFormatKey);
  ASSERT_TRUE(side.Write(&batch, Durability::kSynced).ok());
  OpenProjections();
  // Rebuilt on open: the layout is recorded again with the rows.
  auto format =
      side.Get(SideSpace::kProjectionCheckpoints, projections::kRowsFormatKey);
  ASSERT_TRUE(format.ok());
  EXPECT_TRUE(format->has_value());
  EXPECT_EQ(*Dump(), *dump);
}

}  // namespace
}  // namespace exemplar::testing
