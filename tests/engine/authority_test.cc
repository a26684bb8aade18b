#include "engine/workflow/authority.h"

#include <gtest/gtest.h>

#include "tests/engine/workflow_fixture.h"

namespace exemplar::testing {
namespace {

TEST(AuthorityTest, GrantRevokedYesterdayDoesNotAuthoriseToday) {
  World world;
  const std::int64_t yesterday = At(2024, 6, 10);
  const std::int64_t today = At(2024, 6, 11);
  world.System(RoleRevoked{"g-approver-approver-d1", "approver", "Nghỉ hưu"},
               yesterday);
  const Authority& authority = world.authority();
  EXPECT_EQ(
      authority.HeldRole("approver", "approver", "d1", "c1", today).reason(),
      "not_authorised");
  // The same grant still authorised what was done before the revocation.
  EXPECT_TRUE(
      authority.HeldRole("approver", "approver", "d1", "c1", yesterday - kHour)
          .ok());
}

TEST(AuthorityTest, DistrictGrantAuthorisesItsCommunesNotASiblingDistrict) {
  World world;
  const Authority& authority = world.authority();
  const std::int64_t now = At(2024, 6, 11);
  EXPECT_TRUE(authority.HeldRole("approver", "approver", "d1", "c1", now).ok());
  EXPECT_TRUE(authority.HeldRole("approver", "approver", "d1", "c2", now).ok());
  EXPECT_TRUE(authority.HeldRole("approver", "approver", "d1", "d1", now).ok());
  EXPECT_EQ(
      authority.HeldRole("approver", "approver", "d1", "c3", now).reason(),
      "not_in_scope");
  EXPECT_EQ(
      authority.HeldRole("approver", "approver", "d1", "kh", now).reason(),
      "not_in_scope");
  // No grant at the sibling district itself.
  EXPECT_EQ(
      authority.HeldRole("approver", "approver", "d2", "c3", now).reason(),
      "not_authorised");
}

TEST(AuthorityTest, GrantCountsOnlyWithinItsValidityWindow) {
  World world;
  world.System(UserRegistered{"temp", "Cán bộ tạm", "d1"}, At(2024, 1, 3));
  world.System(RoleGranted{"g-temp", "temp", "appraiser", "d1",
                           At(2024, 3, 1, 0), At(2024, 4, 1, 0)},
               At(2024, 1, 3));
  const Authority& authority = world.authority();
  EXPECT_EQ(authority.HeldRole("temp", "appraiser", "d1", "c1", At(2024, 2, 28))
                .reason(),
            "not_authorised");
  EXPECT_TRUE(
      authority.HeldRole("temp", "appraiser", "d1", "c1", At(2024, 3, 15))
          .ok());
  EXPECT_EQ(authority.HeldRole("temp", "appraiser", "d1", "c1", At(2024, 4, 1))
                .reason(),
            "not_authorised");
}

TEST(AuthorityTest, DeactivatedUserHoldsNothing) {
  World world;
  world.System(UserDeactivated{"mentor", "Chuyển công tác"}, At(2024, 6, 1));
  EXPECT_EQ(world.authority()
                .HeldRole("mentor", "mentor", "c1", "c1", At(2024, 6, 2))
                .reason(),
            "user_inactive");
  EXPECT_TRUE(world.authority()
                  .HeldRole("mentor", "mentor", "c1", "c1", At(2024, 5, 30))
                  .ok());
}

// Reads and the choice of the acting role go through GrantsOf, so it must
// drop a deactivated user's grants as HeldRole does.
TEST(AuthorityTest, DeactivatedUserHasNoGrantsFromTheDeactivationOn) {
  World world;
  world.System(UserDeactivated{"mentor", "Chuyển công tác"}, At(2024, 6, 1));
  EXPECT_TRUE(world.authority().GrantsOf("mentor", At(2024, 6, 2)).empty());
  EXPECT_EQ(world.authority().GrantsOf("mentor", At(2024, 5, 30)).size(), 1u);
}

TEST(AuthorityTest, MovedCommuneChangesScopeFromTheMoveOn) {
  World world;
  world.System(UnitMoved{"c2", "d2"}, At(2024, 7, 1));
  const Authority& authority = world.authority();
  EXPECT_TRUE(
      authority.HeldRole("approver", "approver", "d1", "c2", At(2024, 6, 30))
          .ok());
  EXPECT_EQ(
      authority.HeldRole("approver", "approver", "d1", "c2", At(2024, 7, 2))
          .reason(),
      "not_in_scope");
  EXPECT_TRUE(
      authority.HeldRole("approver_d2", "approver", "d2", "c2", At(2024, 7, 2))
          .ok());
}

TEST(AuthorityTest, UnitParentMustExistAndLevelsMustFit) {
  World world;
  const std::int64_t t = At(2024, 2, 1);
  Actor admin{"admin", "admin", "vn"};
  EXPECT_EQ(
      world.TrySystem(UnitCreated{"c9", "Xã Mới", "commune", "d9"}, t, admin)
          .reason(),
      "unknown_unit");
  EXPECT_EQ(
      world.TrySystem(UnitCreated{"b9", "Chi hội", "branch", "kh"}, t, admin)
          .reason(),
      "invalid_unit_level");
  // Since the 2025 reform a commune may sit directly under a province.
  EXPECT_TRUE(
      world.TrySystem(UnitCreated{"c8", "Xã Mới", "commune", "kh"}, t, admin)
          .ok());
  EXPECT_EQ(world.TrySystem(UnitCreated{"c1", "Xã", "commune", "d1"}, t, admin)
                .reason(),
            "already_exists");
  EXPECT_EQ(world.TrySystem(UnitCreated{"c9", "  ", "commune", "d1"}, t, admin)
                .reason(),
            "validation_failed");
  EXPECT_EQ(world.TrySystem(UnitCreated{"c 9", "Xã", "commune", "d1"}, t, admin)
                .reason(),
            "validation_failed");
  EXPECT_TRUE(
      world
          .TrySystem(UnitCreated{"b1", "Chi hội thôn 1", "branch", "c1"}, t,
                     admin)
          .ok());
}

// Names are one line: no control character. Reasons may span lines.
TEST(AuthorityTest, ControlCharactersAreRefusedNamingTheField) {
  World world;
  const std::int64_t t = At(2024, 2, 1);
  Actor admin{"admin", "admin", "vn"};
  auto field_refused = [&](SystemAction action, const std::string& field) {
    Status status = world.TrySystem(std::move(action), t, admin);
    EXPECT_EQ(status.reason(), "validation_failed") << status.ToString();
    EXPECT_EQ(status.field(), field) << status.ToString();
  };
  field_refused(UnitCreated{"c9", "Xã\nMới", "commune", "d1"}, "name");
  field_refused(UnitRenamed{"c1", std::string("Xã\0", 4)}, "name");
  field_refused(UserRegistered{"u9", "Lan\x1b[2J", "c1"}, "full_name");
  field_refused(UnitClosed{"c2", "Sáp nhập\r"}, "reason");
  field_refused(CampaignLaunched{"k9", "Thi đua\x7f", "kh",
                                 CivilDate::FromYmd(2024, 1, 1),
                                 CivilDate::FromYmd(2024, 12, 31), "general"},
                "name");
  field_refused(UserDeactivated{"reporter", "Nghỉ\xC2\x85"}, "reason");
  EXPECT_TRUE(world
                  .TrySystem(UserDeactivated{"reporter", "Nghỉ hưu\n\tTừ 1/2"},
                             t, admin)
                  .ok());
}

TEST(AuthorityTest, UnitCannotMoveUnderItsOwnDescendant) {
  World world;
  Actor admin{"admin", "admin", "vn"};
  Status status = world.TrySystem(UnitMoved{"d1", "c1"}, At(2024, 2, 1), admin);
  EXPECT_EQ(status.reason(), "unit_cycle");
  EXPECT_EQ(
      world.TrySystem(UnitMoved{"d1", "d1"}, At(2024, 2, 1), admin).reason(),
      "unit_cycle");
}

TEST(AuthorityTest, UnitWithOpenChildrenCannotClose) {
  World world;
  Actor admin{"admin", "admin", "vn"};
  EXPECT_EQ(world.TrySystem(UnitClosed{"d2", "Sáp nhập"}, At(2024, 2, 1), admin)
                .reason(),
            "unit_has_open_children");
  world.System(UnitMoved{"c3", "d1"}, At(2024, 2, 1));
  EXPECT_TRUE(
      world.TrySystem(UnitClosed{"d2", "Sáp nhập"}, At(2024, 2, 2), admin)
          .ok());
}

TEST(AuthorityTest, SystemCommandsNeedAnAdminOnceBootstrapEnds) {
  World world;
  const std::int64_t t = At(2024, 2, 1);
  EXPECT_EQ(world
                .TrySystem(UserRegistered{"x", "Người lạ", "c1"}, t,
                           Actor{"approver", "approver", "d1"})
                .reason(),
            "not_authorised");
  world.System(UserRegistered{"dadmin", "Quản trị huyện", "d1"}, t);
  world.System(RoleGranted{"g-dadmin", "dadmin", "admin", "d1", t, 0}, t);
  Actor district_admin{"dadmin", "admin", "d1"};
  EXPECT_TRUE(
      world.TrySystem(UserRegistered{"x", "Người mới", "c1"}, t, district_admin)
          .ok());
  // A unit out of the admin's sight is answered as an unknown one.
  Status hidden = world.TrySystem(UserRegistered{"y", "Người khác", "c3"}, t,
                                  district_admin);
  Status unknown = world.TrySystem(UserRegistered{"y", "Người khác", "c9"}, t,
                                   district_admin);
  EXPECT_EQ(hidden.reason(), "unknown_unit");
  EXPECT_EQ(hidden.field(), unknown.field());
  // Held at a unit that contains the target, but acting for another: out of
  // scope.
  world.System(RoleGranted{"g-dadmin-2", "dadmin", "mentor", "d2", t, 0}, t);
  EXPECT_EQ(
      world
          .TrySystem(UserRegistered{"y", "Người khác", "c3"}, t, district_admin)
          .reason(),
      "not_in_scope");
}

TEST(AuthorityTest, GrantsAndCampaignsAreValidated) {
  World world;
  const std::int64_t t = At(2024, 2, 1);
  Actor admin{"admin", "admin", "vn"};
  EXPECT_EQ(
      world
          .TrySystem(RoleGranted{"g1", "ghost", "mentor", "c1", t, 0}, t, admin)
          .reason(),
      "unknown_user");
  EXPECT_EQ(
      world.TrySystem(RoleGranted{"g1", "mentor", "king", "c1", t, 0}, t, admin)
          .reason(),
      "unknown_role");
  EXPECT_EQ(
      world.TrySystem(RoleRevoked{"g-none", "mentor", "x"}, t, admin).reason(),
      "unknown_grant");
  world.System(RoleRevoked{"g-mentor-mentor-c1", "mentor", "Hết hạn"}, t);
  EXPECT_EQ(
      world
          .TrySystem(RoleRevoked{"g-mentor-mentor-c1", "mentor", "x"}, t, admin)
          .reason(),
      "already_revoked");
  EXPECT_EQ(world
                .TrySystem(CampaignLaunched{"c", "Phong trào", "kh",
                                            CivilDate::FromYmd(2024, 1, 1),
                                            CivilDate::FromYmd(2024, 12, 31),
                                            "unknown"},
                           t, admin)
                .reason(),
            "unknown_criteria_set");
  EXPECT_EQ(world
                .TrySystem(
                    CampaignLaunched{"c", "Phong trào", "kh",
                                     CivilDate::FromYmd(2024, 12, 31),
                                     CivilDate::FromYmd(2024, 1, 1), "general"},
                    t, admin)
                .reason(),
            "validation_failed");
}

}  // namespace
}  // namespace exemplar::testing
