#include "engine/workflow/reorganisation.h"

#include <gtest/gtest.h>

#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

// 1 July 2025, 09:00 local: the day the reform took effect.
const std::int64_t kReform = At(2025, 7, 1);

LegalBasis Basis(CivilDate dated = CivilDate::FromYmd(2025, 6, 12)) {
  return LegalBasis{"01/2025/NQ-MAU", dated, "Hội đồng nhân dân tỉnh (mẫu)"};
}

MergeUnits MergeCommunes() {
  MergeUnits merge;
  merge.reorganisation_id = "sap-nhap-xa";
  merge.units = {"c1", "c2"};
  merge.into = UnitSpec{"c12", "Xã Cam Hải", "", ""};
  merge.legal_basis = Basis();
  return merge;
}

// The refusal's reason and field.
void ExpectRefused(const Status& status, const std::string& reason,
                   const std::string& field) {
  EXPECT_EQ(status.code(), StatusCode::kRejected) << status.ToString();
  EXPECT_EQ(status.reason(), reason) << status.ToString();
  EXPECT_EQ(status.field(), field) << status.ToString();
}

TEST(ReorganisationTest, AMergeEndsItsUnitsIntoANewOne) {
  World world;
  world.Grant("auditor", "auditor", "c2", At(2024, 1, 3));
  ASSERT_TRUE(world.Reorganise(MergeCommunes(), kReform).ok());
  const Authority& authority = world.authority();
  const UnitTree& units = authority.units();
  const UnitRecord* merged = units.Find("c12");
  ASSERT_NE(merged, nullptr);
  EXPECT_EQ(merged->level, "commune");
  EXPECT_EQ(merged->ParentAt(kReform), "d1");
  EXPECT_EQ(merged->predecessors, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(units.Find("c1")->ended_by, "sap-nhap-xa");
  EXPECT_FALSE(units.Find("c2")->OpenAt(kReform));
  const ReorganisationRecord* record = units.FindReorganisation("sap-nhap-xa");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->event.kind, "merge");
  EXPECT_EQ(record->event.legal_basis, Basis());
  EXPECT_EQ(record->at_us, kReform);
}

TEST(ReorganisationTest, GrantsOnEndedUnitsEndWithThem) {
  World world;
  ASSERT_TRUE(world.Reorganise(MergeCommunes(), kReform).ok());
  const Authority& authority = world.authority();
  // The reporter at c1 reported there before; from the merge on, nothing.
  EXPECT_TRUE(
      authority.HeldRole("reporter", "reporter", "c1", "c1", kReform - 1).ok());
  EXPECT_EQ(
      authority.HeldRole("reporter", "reporter", "c1", "c12", kReform).reason(),
      "not_authorised");
  const GrantRecord* grant = authority.FindGrant("g-reporter-reporter-c1");
  ASSERT_NE(grant, nullptr);
  EXPECT_EQ(grant->ended_by, "sap-nhap-xa");
  EXPECT_EQ(grant->ended_at_us, kReform);
  // Grants above the merged communes still reach the successor.
  EXPECT_TRUE(
      authority.HeldRole("approver", "approver", "d1", "c12", kReform).ok());
  // The reporter, mentor and nominator of c1 are left without a grant.
  std::vector<std::string> left;
  for (const UserRecord* user : authority.UsersWithoutGrant(kReform)) {
    left.push_back(user->id);
  }
  EXPECT_EQ(left,
            (std::vector<std::string>{"mentor", "nominator", "reporter"}));
  EXPECT_TRUE(authority.UsersWithoutGrant(kReform - 1).empty());
  EXPECT_EQ(authority.GrantsEndedBy("sap-nhap-xa").size(), 3u);
}

TEST(ReorganisationTest, MergingIntoAnExistingUnitMovesTheChildren) {
  World world;
  world.Unit("b1", "Chi hội thôn 1", "branch", "c2", At(2024, 1, 3));
  MergeUnits merge;
  merge.reorganisation_id = "r-c2";
  merge.units = {"c2"};
  merge.into = UnitSpec{"c1", "", "", ""};
  merge.legal_basis = Basis();
  Status merged = world.Reorganise(merge, kReform);
  ASSERT_TRUE(merged.ok()) << merged.ToString();
  const UnitTree& units = world.authority().units();
  EXPECT_TRUE(units.Find("c1")->OpenAt(kReform));
  EXPECT_EQ(units.Find("b1")->ParentAt(kReform), "c1");
  EXPECT_EQ(units.Find("b1")->ParentAt(kReform - 1), "c2");
  // The tree before the merge reads as it was.
  EXPECT_EQ(units.PathAt("b1", kReform - 1),
            (std::vector<std::string>{"vn", "kh", "d1", "c2", "b1"}));
}

TEST(ReorganisationTest, DissolvingALevelMovesItsChildrenUp) {
  World world;
  DissolveLevel dissolve{"bo-cap-huyen", "kh", "district", Basis(), {}};
  ASSERT_TRUE(world.Reorganise(dissolve, kReform).ok());
  const UnitTree& units = world.authority().units();
  EXPECT_FALSE(units.Find("d1")->OpenAt(kReform));
  EXPECT_FALSE(units.Find("d2")->OpenAt(kReform));
  EXPECT_EQ(units.Find("c1")->ParentAt(kReform), "kh");
  EXPECT_EQ(units.Find("c3")->ParentAt(kReform), "kh");
  EXPECT_EQ(units.Find("c1")->ParentAt(kReform - 1), "d1");
  EXPECT_EQ(units.CurrentSuccessorsAt("d1", kReform),
            std::vector<std::string>{"kh"});
  // Dissolving again finds nothing to dissolve.
  ExpectRefused(
      world.Reorganise(DissolveLevel{"lan-hai", "kh", "district", Basis(), {}},
                       kReform + kHour),
      "nothing_to_dissolve", "level");
}

TEST(ReorganisationTest, ASplitAssignsByHandElseToTheDefault) {
  World world;
  SplitUnit split;
  split.reorganisation_id = "tach-xa";
  split.unit_id = "c1";
  split.into = {UnitSpec{"c1a", "Xã Cam Hải Đông", "", ""},
                UnitSpec{"c1b", "Xã Cam Hải Bắc", "", ""}};
  split.assignments = {{"ex2", "c1b"}};
  split.default_successor = "c1a";
  split.legal_basis = Basis();
  ASSERT_TRUE(world.Reorganise(split, kReform).ok());
  const UnitsReorganised& event =
      world.authority().units().FindReorganisation("tach-xa")->event;
  EXPECT_EQ(event.created.size(), 2u);
  EXPECT_EQ(event.created[0].parent_id, "d1");
  EXPECT_EQ(CarryOverTarget(event, "ex2", "c1"), "c1b");  // by hand
  EXPECT_EQ(CarryOverTarget(event, "ex1", "c1"), "c1a");  // by the rule
  EXPECT_EQ(CarryOverTarget(event, "ex1", "c2"), "");     // not ended
}

TEST(ReorganisationTest, ASplitCarriesAnExemplarToItsAssignedSuccessor) {
  World world;
  Driver driver(world);
  Advance(driver, "nurturing");
  const std::int64_t reform = driver.now();
  SplitUnit split;
  split.reorganisation_id = "tach-xa";
  split.unit_id = "c1";
  split.into = {UnitSpec{"c1a", "Xã Cam Hải Đông", "", ""},
                UnitSpec{"c1b", "Xã Cam Hải Bắc", "", ""}};
  split.assignments = {{"ex1", "c1b"}};
  split.legal_basis = Basis(CivilDate::FromYmd(2024, 5, 1));
  ASSERT_TRUE(world.Reorganise(split, reform).ok());
  const UnitsReorganised& event =
      world.authority().units().FindReorganisation("tach-xa")->event;
  const std::string target = CarryOverTarget(event, "ex1", "c1");
  EXPECT_EQ(target, "c1b");
  ExpectRefused(driver.Transfer("tach-xa", "c1", "c2", reform),
                "not_transferable", "to_unit_id");
  ASSERT_TRUE(driver.Transfer("tach-xa", "c1", target, reform).ok());
  EXPECT_EQ(driver.state().unit_id, "c1b");
  EXPECT_EQ(driver.state().state, "nurturing");
  EXPECT_EQ(driver.state().slots.at("mentor"), "mentor");
}

TEST(ReorganisationTest, BadReorganisationsAreRefusedWithTheirField) {
  World world;
  // Merging a unit into its own descendant.
  MergeUnits cycle;
  cycle.reorganisation_id = "r1";
  cycle.units = {"d1"};
  cycle.into = UnitSpec{"c1", "", "", ""};
  cycle.legal_basis = Basis();
  ExpectRefused(world.Reorganise(cycle, kReform), "unit_cycle", "into.unit_id");
  // An effective date that is not the day it is recorded.
  MergeUnits late = MergeCommunes();
  late.effective_date = CivilDate::FromYmd(2025, 6, 30);
  ExpectRefused(world.Reorganise(late, kReform), "effective_date_not_today",
                "effective_date");
  late.effective_date = CivilDate::FromYmd(2025, 7, 1);
  ASSERT_TRUE(world.Reorganise(late, kReform).ok());
  // Ending a unit twice: already ended, or named twice in one request.
  MergeUnits again = MergeCommunes();
  again.reorganisation_id = "r2";
  again.into = UnitSpec{"c3", "", "", ""};
  ExpectRefused(world.Reorganise(again, kReform + kHour), "unit_closed",
                "units[0]");
  MergeUnits twice;
  twice.reorganisation_id = "r3";
  twice.units = {"c3", "c3"};
  twice.into = UnitSpec{"c12", "", "", ""};
  twice.legal_basis = Basis();
  ExpectRefused(world.Reorganise(twice, kReform + kHour), "unit_closed",
                "units[1]");
  // A successor outside the tree: unknown, or a new unit under a unit that
  // does not exist.
  MergeUnits outside;
  outside.reorganisation_id = "r4";
  outside.units = {"c3"};
  outside.into = UnitSpec{"nowhere", "", "", ""};
  outside.legal_basis = Basis();
  ExpectRefused(world.Reorganise(outside, kReform + kHour), "unknown_unit",
                "into.unit_id");
  outside.into = UnitSpec{"c9", "Xã mới", "commune", "nowhere"};
  ExpectRefused(world.Reorganise(outside, kReform + kHour), "unknown_unit",
                "into.parent_id");
  // A split's successor under the unit that ends.
  world.Unit("b1", "Chi hội", "branch", "c3", At(2024, 1, 3));
  SplitUnit split;
  split.reorganisation_id = "r5";
  split.unit_id = "c3";
  split.into = {UnitSpec{"b1", "", "", ""},
                UnitSpec{"c3b", "Xã Diên An Bắc", "", ""}};
  split.legal_basis = Basis();
  ExpectRefused(world.Reorganise(split, kReform + kHour), "unit_cycle",
                "into[0].unit_id");
  // The legal basis needs its fields; the reorganisation a new id.
  MergeUnits unnamed = MergeCommunes();
  unnamed.reorganisation_id = "r6";
  unnamed.units = {"c3", "d2"};
  unnamed.into = UnitSpec{"d2", "", "", ""};
  ExpectRefused(world.Reorganise(unnamed, kReform + kHour),
                "invalid_unit_level", "units[0]");
  MergeUnits no_basis = MergeCommunes();
  no_basis.reorganisation_id = "r7";
  no_basis.units = {"c3"};
  no_basis.into = UnitSpec{"c12", "", "", ""};
  no_basis.legal_basis.issuer = " ";
  ExpectRefused(world.Reorganise(no_basis, kReform + kHour),
                "validation_failed", "legal_basis.issuer");
  no_basis.reorganisation_id = "sap-nhap-xa";
  ExpectRefused(world.Reorganise(no_basis, kReform + kHour), "already_exists",
                "reorganisation_id");
  // None of the refusals changed the tree.
  EXPECT_TRUE(world.authority().units().Find("c3")->OpenAt(kReform + kHour));
  EXPECT_EQ(world.authority().units().reorganisations().size(), 1u);
}

TEST(ReorganisationTest, OnlyAnAdminOverEveryUnitInvolvedMayReorganise) {
  World world;
  world.People("admin_d1", "admin", "d1", "d1", At(2024, 1, 3));
  MergeUnits across = MergeCommunes();
  across.units = {"c2", "c3"};  // c3 lies in d2
  across.into = UnitSpec{"c1", "", "", ""};
  // A unit beyond the admin's sight is answered as an unknown one.
  ExpectRefused(
      world.Reorganise(across, kReform, Actor{"admin_d1", "admin", "d1"}),
      "unknown_unit", "units[1]");
  EXPECT_TRUE(world
                  .Reorganise(MergeCommunes(), kReform,
                              Actor{"admin_d1", "admin", "d1"})
                  .ok());
  ExpectRefused(
      world.Reorganise(DissolveLevel{"x", "kh", "district", Basis(), {}},
                       kReform, Actor{"reporter", "reporter", "c3"}),
      "not_authorised", "");
}

// A nomination in flight at c1 when c1 and c2 merge into c12 completes
// under c12: the district's appraiser, council and approver decide it,
// four-eyes still holds across the change, and a sibling district's
// officers do not even see it.
TEST(ReorganisationTest, ANominationInFlightCompletesUnderTheSuccessor) {
  World world;
  Driver driver(world);
  Advance(driver, "nominated");
  const std::int64_t reform = driver.now();
  MergeUnits merge = MergeCommunes();
  merge.legal_basis = Basis(CivilDate::FromYmd(2024, 5, 1));
  ASSERT_TRUE(world.Reorganise(merge, reform).ok());
  const ExemplarState before = driver.state();
  // Only to a successor of the exemplar's own ended unit.
  ExpectRefused(driver.Transfer("sap-nhap-xa", "c1", "c3", reform),
                "not_transferable", "to_unit_id");
  ExpectRefused(driver.Transfer("sap-nhap-xa", "c2", "c12", reform),
                "not_transferable", "from_unit_id");
  ExpectRefused(driver.Transfer("khong-co", "c1", "c12", reform),
                "unknown_reorganisation", "reorganisation_id");
  ASSERT_TRUE(driver.Transfer("sap-nhap-xa", "c1", "c12", reform).ok());
  EXPECT_EQ(driver.state().unit_id, "c12");
  EXPECT_EQ(driver.state().state, before.state);
  EXPECT_EQ(driver.state().slots, before.slots);
  EXPECT_EQ(driver.state().cycle, before.cycle);
  // A second transfer finds it no longer in the ended unit.
  ExpectRefused(driver.Transfer("sap-nhap-xa", "c1", "c12", reform),
                "not_transferable", "from_unit_id");
  driver.Skip(kDay);

  EXPECT_EQ(driver
                .Try("appraise", Actor{"appraiser_d2", "appraiser", "d2"},
                     ValidFields("appraise"))
                .reason(),
            "exemplar_not_found");
  ASSERT_TRUE(driver
                  .Try("appraise", Actor{"multi", "appraiser", "d1"},
                       ValidFields("appraise"))
                  .ok());
  ASSERT_TRUE(driver
                  .By("appraiser", "open_public_comment",
                      ValidFields("open_public_comment"))
                  .ok());
  driver.Skip(15 * kDay);
  ASSERT_TRUE(
      driver.By("council_member", "record_vote", ValidFields("record_vote"))
          .ok());
  EXPECT_EQ(driver
                .Try("approve", Actor{"approver_d2", "approver", "d2"},
                     ValidFields("approve"))
                .reason(),
            "exemplar_not_found");
  // Who appraised before may not approve after the merge either.
  EXPECT_EQ(driver
                .Try("approve", Actor{"multi", "approver", "d1"},
                     ValidFields("approve"))
                .reason(),
            "four_eyes_violation");
  ASSERT_TRUE(driver.By("approver", "approve", ValidFields("approve")).ok());
  EXPECT_EQ(driver.state().state, "approved");
  EXPECT_EQ(driver.Replay(), driver.state());
  // As of before the transfer, the exemplar was the old commune's.
  ExemplarState then;
  for (const EventRecord& record : driver.log()) {
    if (record.type == ExemplarTransferred::kType) break;
    then = *Apply(DefaultDefinition(), then, record);
  }
  EXPECT_EQ(then.unit_id, "c1");
  EXPECT_EQ(then.state, "nominated");
}

}  // namespace
}  // namespace exemplar::testing
