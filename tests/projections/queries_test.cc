// The exemplar view, the list with its filters, search and cursors, the
// approvals ledger, and units and users, on scripted histories.
#include <utf8proc.h>

#include <cstdlib>

#include "projections/fold_text.h"
#include "tests/projections/projection_fixture.h"

namespace exemplar::testing {
namespace {

using projections::ExemplarListPage;
using projections::ExemplarListQuery;
using projections::ExemplarSort;
using projections::FoldForSearch;

std::vector<std::string> Ids(const ExemplarListPage& page) {
  std::vector<std::string> ids;
  for (const auto& row : page.items) ids.push_back(row.id);
  return ids;
}

class QueriesTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    OpenProjections();
  }

  // Five ledger rows: "a" appraised, voted, approved and honoured, then
  // "b" returned for revision.
  void DecideTwoExemplars() {
    Detect("a", "Hộ A", At(2024, 4, 1));
    AdvanceTo("a", "honoured", At(2024, 4, 2));
    Detect("b", "Hộ B", At(2024, 4, 3));
    AdvanceTo("b", "returned", At(2024, 4, 4));
    CatchUp();
  }

  ExemplarListPage List(ExemplarListQuery query) {
    Result<ExemplarListPage> page = projections_->ListExemplars(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : ExemplarListPage{};
  }
};

TEST(FoldForSearchTest, IgnoresCaseAndDiacriticsAndReadsDStrokeAsD) {
  EXPECT_EQ(FoldForSearch("Nguyễn Thị Đào"), "nguyen thi dao");
  EXPECT_EQ(FoldForSearch("NGUYỄN THỊ ĐÀO"), "nguyen thi dao");
  EXPECT_EQ(FoldForSearch("đường Trường Sơn"), "duong truong son");
  EXPECT_EQ(FoldForSearch("Hộ ông Phạm Văn Ưng"), "ho ong pham van ung");
  // Decomposed input folds like precomposed.
  EXPECT_EQ(FoldForSearch("Nguye\xcc\x82\xcc\x83n"), "nguyen");
  EXPECT_EQ(FoldForSearch("\xff\xfe"), "");
}

// The fold of the whole text at once, as utf8proc gives it, with đ as d.
std::string FoldWhole(std::string_view text) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                     UTF8PROC_CASEFOLD));
  if (length < 0) return {};
  std::string folded(reinterpret_cast<const char*>(mapped),
                     static_cast<std::size_t>(length));
  std::free(mapped);
  for (std::size_t at; (at = folded.find("\xC4\x91")) != std::string::npos;) {
    folded.replace(at, 2, "d");
  }
  return folded;
}

TEST(FoldForSearchTest, FoldsRunBetweenAsciiAsTheWholeTextFolds) {
  for (const char* text : {
           "Hộ Nguyễn Văn Lan 123",
           "ĐẶNG THỊ ĐÀO, xã Cam Hải Đông",
           "e\xcc\x82\xcc\x81 a\xcc\x80",  // marks after ASCII letters
           "\xcc\x81leading mark",
           "Straße ΣΊΣΥΦΟΣ Ǆemal ﬁ",  // case folds that expand or change
           "Ａｂｃ １２３ 東京",
           "ok \xff then",  // invalid UTF-8 amid valid text
           "",
       }) {
    EXPECT_EQ(FoldForSearch(text), FoldWhole(text)) << text;
  }
}

TEST_F(QueriesTest, ExemplarViewHoldsEverythingAboutOneExemplar) {
  Detect("lan", "Hộ bà Nguyễn Thị Lan", At(2024, 4, 22));
  AdvanceTo("lan", "honoured", At(2024, 4, 23));
  Do("lan", "record_propagation", At(2024, 6, 20));
  Do("lan", "plan_replication", At(2024, 7, 1));
  Do("lan", "evaluate_replication", At(2024, 11, 15));
  Do("lan", "evaluate", At(2024, 12, 20));
  Do("lan", "recommend_higher_award", At(2024, 12, 21));
  CatchUp();

  Result<projections::ExemplarView> view = projections_->Exemplar("lan");
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->state, "honoured");
  EXPECT_EQ(view->name, "Hộ bà Nguyễn Thị Lan");
  EXPECT_EQ(view->mentor_id, "mentor");
  ASSERT_EQ(view->unit_path.size(), 4u);
  EXPECT_EQ(view->unit_path.front().first, "vn");
  EXPECT_EQ(view->unit_path.back().second, "Xã Cam Hải Tây");
  ASSERT_EQ(view->nominations.size(), 1u);
  const projections::NominationView& nomination = view->nominations[0];
  ASSERT_TRUE(nomination.appraisal && nomination.vote && nomination.decision);
  EXPECT_EQ(nomination.decision->action, "approve");
  EXPECT_EQ(nomination.decision->actor.user_id, "approver");
  EXPECT_TRUE(nomination.appraisal->fields.contains("criteria"));
  ASSERT_EQ(view->honours.size(), 1u);
  EXPECT_EQ(view->propagation.size(), 1u);
  ASSERT_EQ(view->replications.size(), 1u);
  ASSERT_TRUE(view->replications[0].evaluation);
  EXPECT_EQ(view->evaluations.size(), 1u);
  EXPECT_EQ(view->higher_award_recommendations.size(), 1u);
  EXPECT_EQ(view->mentor_history.size(), 1u);
  EXPECT_EQ(view->timeline.size(), 13u);
  EXPECT_EQ(view->version, 12u);  // the stream's 13th event
  nlohmann::json json = projections::ToJson(*view, 420);
  EXPECT_EQ(json["version"], 12);
  EXPECT_EQ(json["nominations"][0]["decision"]["actor"]["user_id"], "approver");
  EXPECT_EQ(json["timeline"][0]["at"], "2024-04-22T09:00:00+07:00");

  EXPECT_EQ(projections_->Exemplar("nobody").status().code(),
            StatusCode::kNotFound);
}

TEST_F(QueriesTest, ExemplarAsOfAPositionOrTimeFoldsItsStreamUpToThere) {
  Detect("lan", "Hộ bà Lan", At(2024, 4, 22));
  const std::uint64_t nominated =
      (AdvanceTo("lan", "nominated", At(2024, 4, 23)), store_->head().position);
  Do("lan", "appraise", At(2024, 5, 1));
  Do("lan", "open_public_comment", At(2024, 5, 2));
  Do("lan", "record_vote", At(2024, 5, 25));
  Do("lan", "approve", At(2024, 5, 26));
  CatchUp();
  Result<projections::ExemplarView> then =
      projections_->Exemplar("lan", {nominated, 0});
  ASSERT_TRUE(then.ok());
  EXPECT_EQ(then->state, "nominated");
  Result<projections::ExemplarView> on_day =
      projections_->Exemplar("lan", {0, At(2024, 4, 23, 12)});
  ASSERT_TRUE(on_day.ok());
  EXPECT_EQ(on_day->state, "nurturing");
  EXPECT_EQ(projections_->Exemplar("lan", {0, At(2024, 4, 1)}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(projections_->Exemplar("lan")->state, "approved");
  Result<std::vector<EventRecord>> history =
      projections_->ExemplarHistory("lan", {nominated, 0});
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().position, nominated);
}

TEST_F(QueriesTest, ListFiltersByUnitSubtreeStateKindAndFlags) {
  Detect("a", "Hộ A", At(2024, 4, 1), "c1", {"direct_worker"});
  Detect("b", "Hộ B", At(2024, 4, 2), "c1", {});
  Detect("c", "Hộ C", At(2024, 4, 3), "c3",
         {"remote_border_island_ethnic_area"});
  AdvanceTo("a", "approved", At(2024, 4, 5));
  Do("a", "record_propagation", At(2024, 6, 1));
  CatchUp();

  ExemplarListQuery query;
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"a", "b", "c"}));
  query.unit_id = "d1";
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"a", "b"}));
  query.unit_id = "kh";
  query.states = {"detected"};
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"b", "c"}));
  query = {};
  query.priority_flags = {"remote_border_island_ethnic_area"};
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"c"}));
  query = {};
  query.has_mentor = true;
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"a"}));
  query.has_mentor = false;
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"b", "c"}));
  query = {};
  query.propagated = true;
  query.campaign_id = "wu2024";
  query.period = "2024-Q2";
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"a"}));
  query = {};
  query.replicated = true;
  EXPECT_TRUE(List(query).items.empty());
  query = {};
  query.subject_kind = "household";
  query.field = "production_business";
  EXPECT_EQ(List(query).items.size(), 3u);
  // A user of district d2 sees only d2's subtree, whatever they filter.
  query = {};
  query.visible = Seeing({"d2"});
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"c"}));
  query.unit_id = "d1";
  EXPECT_TRUE(List(query).items.empty());
}

TEST_F(QueriesTest, SearchIgnoresCaseAndVietnameseDiacritics) {
  Detect("dao", "Chị Nguyễn Thị Đào", At(2024, 4, 1));
  Detect("duong", "Anh Trần Văn Dương", At(2024, 4, 2));
  Detect("hoa", "Bà Lê Thị Hoa", At(2024, 4, 3));
  CatchUp();
  ExemplarListQuery query;
  query.search = "nguyen thi dao";
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"dao"}));
  query.search = "ĐÀO";
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"dao"}));
  query.search = "duong";
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"duong"}));
  query.search = "THI";
  EXPECT_EQ(Ids(List(query)), (std::vector<std::string>{"dao", "hoa"}));
  query.search = "thị hồng";
  EXPECT_TRUE(List(query).items.empty());
}

TEST_F(QueriesTest, CursorPagesAreStableWhileRowsArriveAndChange) {
  for (int i = 0; i < 9; ++i) {
    Detect("e" + std::to_string(i), "Hộ số " + std::to_string(9 - i),
           At(2024, 4, 1) + i * kHour);
  }
  CatchUp();
  for (ExemplarSort sort :
       {ExemplarSort::kId, ExemplarSort::kName, ExemplarSort::kDetected}) {
    for (bool descending : {false, true}) {
      ExemplarListQuery query;
      query.sort = sort;
      query.descending = descending;
      query.limit = 4;
      ExemplarListPage first = List(query);
      ASSERT_EQ(first.items.size(), 4u);
      ASSERT_FALSE(first.next_cursor.empty());
      query.cursor = first.next_cursor;
      ExemplarListPage second = List(query);
      query.cursor = second.next_cursor;
      ExemplarListPage third = List(query);
      EXPECT_EQ(third.items.size(), 1u);
      EXPECT_TRUE(third.next_cursor.empty());
      std::vector<std::string> all = Ids(first);
      for (const auto& page : {second, third}) {
        for (const auto& id : Ids(page)) all.push_back(id);
      }
      query.cursor.clear();
      query.limit = 100;
      EXPECT_EQ(all, Ids(List(query)));
    }
  }
  // A row added and a row changed between pages: the next page neither
  // repeats nor skips what was already there.
  ExemplarListQuery query;
  query.limit = 5;
  ExemplarListPage first = List(query);
  Detect("e00", "Hộ chen giữa", At(2024, 4, 5));
  Do("e1", "nominator", "assign_mentor", ValidFields("assign_mentor"),
     At(2024, 4, 6));
  CatchUp();
  query.cursor = first.next_cursor;
  EXPECT_EQ(Ids(List(query)),
            (std::vector<std::string>{"e5", "e6", "e7", "e8"}));
  query.cursor = "zz";
  EXPECT_EQ(projections_->ListExemplars(query).status().code(),
            StatusCode::kInvalidArgument);
  query.cursor.clear();
  query.limit = 0;
  EXPECT_EQ(projections_->ListExemplars(query).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(QueriesTest, ASmallUnitScopePagesLikeTheWholeList) {
  // c3 holds few of the exemplars, so its list is gathered from its unit's
  // bucket rather than by walking the sort index; pages must agree.
  for (int i = 0; i < 20; ++i) {
    Detect("c1-" + std::to_string(i), "Hộ " + std::to_string(i),
           At(2024, 4, 1) + i * kHour);
  }
  for (int i = 0; i < 3; ++i) {
    Detect("c3-" + std::to_string(i), "Hộ Diên An " + std::to_string(3 - i),
           At(2024, 4, 2) + i * kHour, "c3");
  }
  CatchUp();
  for (ExemplarSort sort :
       {ExemplarSort::kId, ExemplarSort::kName, ExemplarSort::kDetected}) {
    for (bool descending : {false, true}) {
      ExemplarListQuery whole;
      whole.sort = sort;
      whole.descending = descending;
      std::vector<std::string> expected;
      for (const std::string& id : Ids(List(whole))) {
        if (id.starts_with("c3-")) expected.push_back(id);
      }
      ExemplarListQuery scoped = whole;
      scoped.unit_id = "c3";
      scoped.limit = 2;
      ExemplarListPage first = List(scoped);
      scoped.cursor = first.next_cursor;
      ASSERT_FALSE(scoped.cursor.empty());
      ExemplarListPage second = List(scoped);
      EXPECT_TRUE(second.next_cursor.empty());
      std::vector<std::string> paged = Ids(first);
      for (const std::string& id : Ids(second)) paged.push_back(id);
      EXPECT_EQ(paged, expected);
    }
  }
}

TEST_F(QueriesTest, LedgerHasOneRowPerDecisionWithTheRoleCheck) {
  DecideTwoExemplars();
  Result<projections::LedgerPage> all = projections_->Ledger({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<std::string> actions;
  for (const projections::LedgerRow& row : all->rows) {
    actions.push_back(row.exemplar_id + ":" + row.action);
    EXPECT_TRUE(row.role_held) << row.role_check;
    EXPECT_EQ(row.nominator, "nominator");
    EXPECT_EQ(row.nomination, 1u);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"a:appraise", "a:record_vote",
                                               "a:approve", "a:honour",
                                               "b:return_for_revision"}));
  EXPECT_EQ(all->rows[2].actor_user, "approver");
  EXPECT_EQ(all->rows[2].actor_unit, "d1");
  EXPECT_EQ(all->rows[4].reason, "Bổ sung minh chứng");

  projections::LedgerQuery query;
  query.actions = {"approve", "honour"};
  EXPECT_EQ(projections_->Ledger(query)->rows.size(), 2u);
  query = {};
  query.actor_user = "council_member";
  EXPECT_EQ(projections_->Ledger(query)->rows.size(), 1u);
  query = {};
  query.unit_id = "d2";
  EXPECT_TRUE(projections_->Ledger(query)->rows.empty());
  query = {};
  query.from_us = At(2024, 4, 21);
  query.to_us = At(2025, 1, 1);
  EXPECT_EQ(projections_->Ledger(query)->rows.size(), 3u);
  query = {};
  query.limit = 2;
  Result<projections::LedgerPage> first = projections_->Ledger(query);
  ASSERT_EQ(first->rows.size(), 2u);
  query.after_position = first->next_after_position;
  EXPECT_EQ(projections_->Ledger(query)->rows.front().action, "approve");
}

// Newest first, the ledger pages from the latest decision back, from the
// stored rows (now) and from a model folded to a past position alike.
TEST_F(QueriesTest, TheLedgerPagesNewestFirst) {
  DecideTwoExemplars();
  auto actions = [&](const projections::AsOf& as_of) {
    projections::LedgerQuery query;
    query.order = projections::LedgerOrder::kNewestFirst;
    query.limit = 2;
    std::vector<std::string> seen;
    for (int page = 0; page < 5; ++page) {
      Result<projections::LedgerPage> rows = projections_->Ledger(query, as_of);
      EXPECT_TRUE(rows.ok()) << rows.status().ToString();
      for (const projections::LedgerRow& row : rows->rows) {
        seen.push_back(row.exemplar_id + ":" + row.action);
      }
      if (rows->next_after_position == 0) break;
      query.after_position = rows->next_after_position;
    }
    return seen;
  };
  EXPECT_EQ(actions({}), (std::vector<std::string>{
                             "b:return_for_revision", "a:honour", "a:approve",
                             "a:record_vote", "a:appraise"}));
  const std::uint64_t honoured = projections_->Ledger({})->rows[3].position;
  EXPECT_EQ(actions(projections::AsOf{honoured, 0}),
            (std::vector<std::string>{"a:honour", "a:approve", "a:record_vote",
                                      "a:appraise"}));
}

// Decisions on a commune's exemplars are made by the district: the ledger
// shows them to whoever may see the exemplar, whoever decided.
TEST_F(QueriesTest, TheLedgerIsScopedByTheExemplarsUnit) {
  Detect("a", "Hộ A", At(2024, 4, 1));
  AdvanceTo("a", "returned", At(2024, 4, 2));
  CatchUp();
  projections::LedgerQuery query;
  query.visible = Seeing({"c1"});
  Result<projections::LedgerPage> own = projections_->Ledger(query);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  ASSERT_EQ(own->rows.size(), 1u);
  EXPECT_EQ(own->rows[0].actor_unit, "d1");
  query.visible = Seeing({"c3", "d2"});
  EXPECT_TRUE(projections_->Ledger(query)->rows.empty());
}

// The ledger's unit filter is the exemplar's unit, as on every other route:
// the district's decisions on a commune's exemplar are the commune's.
TEST_F(QueriesTest, TheLedgersUnitFilterIsTheExemplarsUnit) {
  Detect("a", "Hộ A", At(2024, 4, 1));
  AdvanceTo("a", "honoured", At(2024, 4, 2));
  CatchUp();
  projections::LedgerQuery query;
  query.unit_id = "c1";
  Result<projections::LedgerPage> commune = projections_->Ledger(query);
  ASSERT_TRUE(commune.ok()) << commune.status().ToString();
  ASSERT_EQ(commune->rows.size(), 4u);
  EXPECT_EQ(commune->rows[2].action, "approve");
  EXPECT_EQ(commune->rows[2].actor_unit, "d1");
  query.unit_id = "d1";
  EXPECT_EQ(projections_->Ledger(query)->rows.size(), 4u);
  query.unit_id = "c2";
  EXPECT_TRUE(projections_->Ledger(query)->rows.empty());
  // As of a moment, through the folded model, the same.
  query.unit_id = "c1";
  EXPECT_EQ(projections_->Ledger(query, {.position = store_->head().position})
                ->rows.size(),
            4u);
}

TEST_F(QueriesTest, UnitsShowTheScopeAndTheAncestorsThatPlaceIt) {
  CatchUp();
  Result<std::vector<projections::UnitNode>> units =
      projections_->Units(Seeing({"c3"}));
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 1u);
  std::vector<std::string> path;
  for (const projections::UnitNode* node = &units->front();;
       node = &node->children.front()) {
    path.push_back(node->id + (node->in_scope ? "+" : "-"));
    if (node->children.empty()) break;
    EXPECT_EQ(node->children.size(), 1u) << node->id;
  }
  EXPECT_EQ(path, (std::vector<std::string>{"vn-", "kh-", "d2-", "c3+"}));
}

TEST_F(QueriesTest, UnitsFormATreeAndUsersCarryTheirGrants) {
  CatchUp();
  Result<std::vector<projections::UnitNode>> units = projections_->Units();
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 1u);
  const projections::UnitNode& province = units->front().children.front();
  EXPECT_EQ(province.id, "kh");
  ASSERT_EQ(province.children.size(), 2u);
  EXPECT_EQ(province.children[0].children.size(), 2u);
  Result<std::vector<projections::UserInfo>> users = projections_->Users();
  ASSERT_TRUE(users.ok());
  auto approver = std::find_if(users->begin(), users->end(), [](const auto& u) {
    return u.id == "approver";
  });
  ASSERT_NE(approver, users->end());
  ASSERT_EQ(approver->grants.size(), 1u);
  EXPECT_EQ(approver->grants[0].role, "approver");
  EXPECT_TRUE(approver->grants[0].valid_now);
}

}  // namespace
}  // namespace exemplar::testing
