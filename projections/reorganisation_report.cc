#include "projections/reorganisation_report.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "events/civil_date.h"

namespace exemplar::projections {
namespace {

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// The unit `unit_id` when a reorganisation ended it by the moment the model
// shows; nullptr otherwise.
const UnitRecord* EndedUnit(const ReadModel& model,
                            const std::string& unit_id) {
  const UnitRecord* unit = model.authority().FindUnit(unit_id);
  if (unit == nullptr || unit->ended_by.empty() ||
      unit->OpenAt(model.tree_at_us())) {
    return nullptr;
  }
  return unit;
}

// The grants of `user` a reorganisation ended, as "grant (role at unit)".
std::vector<std::string> EndedGrants(const ReadModel& model,
                                     const std::string& user) {
  std::vector<std::string> ended;
  auto grants = model.grants_by_user().find(user);
  if (grants == model.grants_by_user().end()) return ended;
  for (const std::string& id : grants->second) {
    const GrantRecord* grant = model.authority().FindGrant(id);
    if (grant != nullptr && !grant->ended_by.empty()) {
      ended.push_back(grant->id + " (" + grant->role + " at " + grant->unit_id +
                      ")");
    }
  }
  return ended;
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

// Whether `user` holds a grant at `now_us` on a unit `unit` lies within.
bool HoldsOver(const Authority& authority, const std::string& user,
               const std::string& unit, std::int64_t now_us) {
  for (const GrantRecord* grant : authority.GrantsOf(user, now_us)) {
    if (authority.IsWithin(unit, grant->unit_id, now_us)) return true;
  }
  return false;
}

// The annual lists of units that ended before the list's work was done:
// a registration no selection above has taken, or a selection not yet
// submitted, of a year the unit did not finish. Its successor re-registers
// or a person settles it.
std::vector<const ListRecord*> ListsInFlightOfEndedUnits(
    const ReadModel& model) {
  std::set<std::pair<int, std::string>> selected;  // (year, registering unit)
  for (const auto& [id, record] : model.funnel().lists()) {
    for (const std::string& unit : record.list.registered_by) {
      selected.emplace(record.list.year, unit);
    }
  }
  std::vector<const ListRecord*> in_flight;
  for (const auto& [id, record] : model.funnel().lists()) {
    const UnitRecord* ended = EndedUnit(model, record.list.unit_id);
    if (ended == nullptr) continue;
    const int ended_in =
        std::stoi(CivilDate::AtInstant(*ended->closed_at_us,
                                       model.definition().utc_offset_minutes)
                      .ToString()
                      .substr(0, 4));
    const bool done =
        record.list.step == "select"
            ? record.submission.has_value()
            : selected.count({record.list.year, record.list.unit_id}) > 0;
    if (record.list.year >= ended_in && !done) in_flight.push_back(&record);
  }
  return in_flight;
}

}  // namespace

ReorganisationReport BuildReorganisationReport(
    const ReadModel& model, const ReorganisationQuery& query) {
  ReorganisationReport report;
  report.as_of_us = query.now_us;
  report.position = model.position();
  const Authority& authority = model.authority();
  const ReadSide& read = model.definition().read_side;
  const ReadModel::UnitScope scope = model.Scope(query.unit_id, query.visible);
  auto item = [&](const char* category, const ExemplarRow* row,
                  const UnitRecord* ended) {
    ReorganisationItem out;
    out.category = category;
    if (row != nullptr) {
      out.exemplar_id = row->id;
      out.name = row->name;
      out.unit_id = row->unit_id;
    }
    if (ended != nullptr) {
      out.unit_id = ended->id;
      out.ended_by = ended->ended_by;
      out.successors =
          authority.units().CurrentSuccessorsAt(ended->id, model.tree_at_us());
    }
    return out;
  };

  std::vector<std::string> ended_units;
  for (const std::string& id : model.unit_ids()) {
    if (EndedUnit(model, id) != nullptr) ended_units.push_back(id);
  }
  std::unordered_map<std::string, std::vector<std::string>> ended_grants;
  std::vector<std::string> mentors;  // who may mentor without a grant
  for (const auto& [user, grants] : model.grants_by_user()) {
    std::vector<std::string> ended = EndedGrants(model, user);
    if (ended.empty()) continue;
    mentors.push_back(user);
    ended_grants.emplace(user, std::move(ended));
  }
  // In id order, each exemplar's items in the order found.
  model.ForEachExemplarTouching(
      scope, ended_units, mentors, [&](const ExemplarRow& row) {
        if (const UnitRecord* ended = EndedUnit(model, row.unit_id)) {
          report.items.push_back(item("exemplar_in_ended_unit", &row, ended));
        }
        for (const auto& [id, target] : row.replication_targets) {
          auto outcome = row.replications.find(id);
          const UnitRecord* ended = EndedUnit(model, target);
          if (ended == nullptr ||
              (outcome != row.replications.end() && !outcome->second.empty())) {
            continue;
          }
          ReorganisationItem out =
              item("replication_target_ended", &row, ended);
          out.detail = id;
          report.items.push_back(std::move(out));
        }
        if (row.mentor_id.empty() || Contains(read.closed_states, row.state)) {
          return;
        }
        auto ended = ended_grants.find(row.mentor_id);
        if (ended != ended_grants.end() &&
            !HoldsOver(authority, row.mentor_id, row.unit_id, query.now_us)) {
          ReorganisationItem out = item("mentor_without_grant", &row, nullptr);
          out.user_id = row.mentor_id;
          out.detail = Joined(ended->second);
          report.items.push_back(std::move(out));
        }
      });

  for (const ListRecord* record : ListsInFlightOfEndedUnits(model)) {
    if (!scope.Contains(record->list.unit_id)) continue;
    ReorganisationItem out = item("list_of_ended_unit", nullptr,
                                  authority.FindUnit(record->list.unit_id));
    out.detail = record->list.registration_id + " (" + record->list.step + ")";
    report.items.push_back(std::move(out));
  }

  for (const UserRecord* user : authority.UsersWithoutGrant(query.now_us)) {
    if (!scope.Contains(user->home_unit_id)) continue;
    auto ended = ended_grants.find(user->id);
    if (ended == ended_grants.end()) continue;
    ReorganisationItem out = item("person_without_grant", nullptr, nullptr);
    out.user_id = user->id;
    out.name = user->full_name;
    out.unit_id = user->home_unit_id;
    if (const UnitRecord* home = EndedUnit(model, user->home_unit_id)) {
      out.ended_by = home->ended_by;
      out.successors =
          authority.units().CurrentSuccessorsAt(home->id, model.tree_at_us());
    }
    out.detail = Joined(ended->second);
    report.items.push_back(std::move(out));
  }
  return report;
}

const ReportColumns<ReorganisationReport, ReorganisationItem>&
ReorganisationColumns() {
  using R = ReorganisationReport;
  using Row = ReorganisationItem;
  static const ReportColumns<R, Row> kColumns = {
      Plain<R>("category", "category (loại việc cần xử lý)", &Row::category),
      Plain<R>("exemplar_id", "exemplar (điển hình)", &Row::exemplar_id),
      Plain<R>("name", "name (tên)", &Row::name),
      Plain<R>("user_id", "person (người)", &Row::user_id),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("ended_by", "ended by (sắp xếp, sáp nhập)", &Row::ended_by),
      Plain<R>("successors", "successor units (đơn vị kế thừa)",
               &Row::successors),
      Plain<R>("detail", "detail (chi tiết)", &Row::detail),
  };
  return kColumns;
}

nlohmann::json ToJson(const ReorganisationReport& report, int offset) {
  nlohmann::json items = nlohmann::json::array();
  for (const ReorganisationItem& item : report.items) {
    items.push_back(JsonRow(ReorganisationColumns(), report, item, offset));
  }
  return {{"as_of", FormatInstant(report.as_of_us, offset)},
          {"items", std::move(items)},
          {"position", report.position}};
}

Table ToTable(const ReorganisationReport& report, int offset) {
  return TableOf(ReorganisationColumns(), report, report.items, offset);
}

}  // namespace exemplar::projections
