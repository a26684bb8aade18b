#include "projections/report_columns.h"

namespace exemplar::projections {
namespace {

using nlohmann::json;

// Every instant of a step, as the JSON answer gives them.
auto AllInstants(std::vector<std::int64_t> ExemplarRow::*member) {
  return [member](const ExemplarRow& row, int offset) {
    json out = json::array();
    for (std::int64_t at : row.*member) out.push_back(Instant(at, offset));
    return out;
  };
}

// The first instant of a step (null for none), as the export gives it.
auto FirstInstant(std::vector<std::int64_t> ExemplarRow::*member) {
  return [member](const ExemplarRow& row, int offset) {
    const std::vector<std::int64_t>& times = row.*member;
    return times.empty() ? json(nullptr) : Instant(times.front(), offset);
  };
}

json Nominations(const ExemplarRow& row, int offset) {
  json nominations = json::array();
  for (const NominationFact& n : row.nominations) {
    nominations.push_back({{"at", Instant(n.at_us, offset)},
                           {"unit_id", n.unit_id},
                           {"nominator", n.nominator},
                           {"kind", n.kind},
                           {"period", n.period},
                           {"campaign_id", n.campaign_id}});
  }
  return nominations;
}

json Replications(const ExemplarRow& row) {
  json replications = json::object();
  for (const auto& [id, outcome] : row.replications) {
    replications[id] = outcome.empty() ? json(nullptr) : json(outcome);
  }
  return replications;
}

}  // namespace

const ReportColumns<ExemplarListPage, ExemplarRow>& ExemplarColumns() {
  using R = ExemplarListPage;
  using Row = ExemplarRow;
  constexpr Shown kJson = Shown::kJsonOnly;
  constexpr Shown kExport = Shown::kExportOnly;
  static const ReportColumns<R, Row> kColumns = {
      Plain<R>("id", "id (mã)", &Row::id),
      Plain<R>("name", "name (tên)", &Row::name),
      Plain<R>("state", "state (trạng thái)", &Row::state),
      Plain<R>("subject_kind", "subject kind (loại đối tượng)",
               &Row::subject_kind),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("field", "field (lĩnh vực)", &Row::field),
      Plain<R>("priority_flags", "priority groups (đối tượng ưu tiên)",
               &Row::priority_flags),
      FromRow<R, Row>("mentor_id", "mentor (cán bộ theo dõi)",
                      [](const Row& row, int) {
                        return row.mentor_id.empty() ? json(nullptr)
                                                     : json(row.mentor_id);
                      }),
      Plain<R>("campaign_id", "campaign (phong trào)", &Row::campaign_id),
      Plain<R>("period", "period (kỳ)", &Row::period),
      InstantColumn<R>("detected_at", "detected at (ngày phát hiện)",
                       &Row::detected_at_us),
      FromRow<R, Row>("nominations", nullptr, Nominations, kJson),
      FromRow<R, Row>("approved_at", nullptr, AllInstants(&Row::approved_us),
                      kJson),
      FromRow<R, Row>("approved_at", "approved at (ngày phê duyệt)",
                      FirstInstant(&Row::approved_us), kExport),
      FromRow<R, Row>("honoured_at", nullptr, AllInstants(&Row::honoured_us),
                      kJson),
      FromRow<R, Row>("honoured_at", "honoured at (ngày tôn vinh)",
                      FirstInstant(&Row::honoured_us), kExport),
      FromRow<R, Row>("propagated_at", nullptr,
                      AllInstants(&Row::propagated_us), kJson),
      FromRow<R, Row>(
          "propagation_items", "propagation items (tin bài tuyên truyền)",
          [](const Row& row, int) { return json(row.propagated_us.size()); },
          kExport),
      FromRow<R, Row>(
          "replications", nullptr,
          [](const Row& row, int) { return Replications(row); }, kJson),
      FromRow<R, Row>(
          "replications", "replications (mô hình nhân rộng)",
          [](const Row& row, int) { return json(row.replications.size()); },
          kExport),
      Plain<R>("evaluation_periods", nullptr, &Row::evaluation_periods, kJson),
      Plain<R>("event_count", nullptr, &Row::event_count, kJson),
      Plain<R>("last_position", nullptr, &Row::last_position, kJson),
      InstantColumn<R>("updated_at", nullptr, &Row::updated_at_us, kJson),
  };
  return kColumns;
}

const ReportColumns<LedgerPage, LedgerRow>& LedgerColumns() {
  using R = LedgerPage;
  using Row = LedgerRow;
  static const ReportColumns<R, Row> kColumns = {
      Plain<R>("position", "position (vị trí)", &Row::position),
      InstantColumn<R>("at", "time (thời gian)", &Row::at_us),
      Plain<R>("action", "action (thao tác)", &Row::action),
      Plain<R>("actor", "actor (người thực hiện)", &Row::actor_user),
      Plain<R>("role", "role (vai trò)", &Row::actor_role),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::actor_unit),
      Plain<R>("exemplar_id", "exemplar (điển hình)", &Row::exemplar_id),
      Plain<R>("exemplar_unit_id", nullptr, &Row::exemplar_unit,
               Shown::kJsonOnly),
      Plain<R>("nomination", "nomination (lần giới thiệu)", &Row::nomination),
      Plain<R>("nominator", "nominator (người giới thiệu)", &Row::nominator),
      Plain<R>("reason", "reason (lý do)", &Row::reason),
      Plain<R>("role_held", "held the role then (có thẩm quyền)",
               &Row::role_held),
      Plain<R>("role_check", "role check (kiểm tra thẩm quyền)",
               &Row::role_check),
  };
  return kColumns;
}

const ReportColumns<QuotaReport, QuotaRow>& QuotaColumns() {
  using R = QuotaReport;
  using Row = QuotaRow;
  static const ReportColumns<R, Row> kColumns = {
      OfReport<Row>("year", "year (năm)", &R::year, Shown::kExportOnly),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("unit_name", "unit name (tên đơn vị)", &Row::unit_name),
      Plain<R>("level", "level (cấp)", &Row::level),
      Plain<R>("minimum", "annual minimum (chỉ tiêu tối thiểu)", &Row::minimum),
      Plain<R>("detected", "detected (phát hiện)", &Row::detected),
      Plain<R>("nominated", "nominated (giới thiệu)", &Row::nominated),
      Plain<R>("approved", "approved (phê duyệt)", &Row::approved),
      Plain<R>("honoured", "honoured (tôn vinh)", &Row::honoured),
      Plain<R>("propagated", "propagated (tuyên truyền)", &Row::propagated),
      Plain<R>("replicated", "replicated (nhân rộng)", &Row::replicated),
      Plain<R>("propagated_and_replicated",
               "propagated and replicated (tuyên truyền và nhân rộng)",
               &Row::propagated_and_replicated),
      Plain<R>("met", "quota met (đạt chỉ tiêu)", &Row::met),
      Plain<R>("registration_due", "registration due (hạn đăng ký)",
               &Row::registration_due, Shown::kBoth, {"registration", "due"}),
      Plain<R>("registration_min",
               "registration minimum (số đăng ký tối thiểu)",
               &Row::registration_min, Shown::kBoth, {"registration", "min"}),
      Plain<R>("registration_max", "registration maximum (số đăng ký tối đa)",
               &Row::registration_max, Shown::kBoth, {"registration", "max"}),
      Plain<R>("registered_on_time", "registered on time (đăng ký đúng hạn)",
               &Row::registered_on_time, Shown::kBoth,
               {"registration", "on_time"}),
      Plain<R>("registered_late", "registered late (đăng ký trễ hạn)",
               &Row::registered_late, Shown::kBoth, {"registration", "late"}),
      Plain<R>("registration_met", "registration met (đạt đăng ký)",
               &Row::registration_met, Shown::kBoth, {"registration", "met"}),
      Plain<R>("predecessors", "succeeded units (đơn vị tiền thân)",
               &Row::predecessors),
      Plain<R>("successors", "successor units (đơn vị kế thừa)",
               &Row::successors),
  };
  return kColumns;
}

const ReportColumns<DeadlineReport, DeadlineRow>& DeadlineColumns() {
  using R = DeadlineReport;
  using Row = DeadlineRow;
  static const ReportColumns<R, Row> kColumns = {
      OfReport<Row>("year", "year (năm)", &R::year, Shown::kExportOnly),
      OfReport<Row>("quarter", "quarter (quý)", &R::quarter,
                    Shown::kExportOnly),
      OfReport<Row>("due_before", "due before (hạn trước ngày)", &R::due_before,
                    Shown::kExportOnly),
      OfReport<Row>("lead_blocs", "lead blocs (khối thi đua chủ trì)",
                    &R::lead_blocs, Shown::kExportOnly),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("unit_name", "unit name (tên đơn vị)", &Row::unit_name),
      Plain<R>("level", "level (cấp)", &Row::level),
      Plain<R>("status", "status (tình trạng)", &Row::status),
      Plain<R>("introduced", "introduced (số điển hình giới thiệu)",
               &Row::introduced),
      InstantColumn<R>("first_introduced_at",
                       "first introduced at (ngày giới thiệu đầu tiên)",
                       &Row::first_introduced_at_us),
  };
  return kColumns;
}

const ReportColumns<FollowUpReport, FollowUpItem>& FollowUpColumns() {
  using R = FollowUpReport;
  using Row = FollowUpItem;
  static const ReportColumns<R, Row> kColumns = {
      Plain<R>("category", "category (loại việc cần theo dõi)", &Row::category),
      Plain<R>("exemplar_id", "exemplar (điển hình)", &Row::exemplar_id),
      Plain<R>("name", "name (tên)", &Row::name),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("state", "state (trạng thái)", &Row::state),
      Plain<R>("detail", "detail (chi tiết)", &Row::detail),
      InstantColumn<R>("since", "since (từ ngày)", &Row::since_us),
  };
  return kColumns;
}

const ReportColumns<RetentionReport, RetentionItem>& RetentionColumns() {
  using R = RetentionReport;
  using Row = RetentionItem;
  static const ReportColumns<R, Row> kColumns = {
      OfReport<Row>("due_by", "due by (đến hạn trước ngày)", &R::due_by,
                    Shown::kExportOnly),
      Plain<R>("exemplar_id", "exemplar (điển hình)", &Row::exemplar_id),
      Plain<R>("name", "name (tên)", &Row::name),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("state", "state (trạng thái)", &Row::state),
      Plain<R>("retention_class", "kind of data (loại dữ liệu)",
               &Row::retention_class),
      InstantColumn<R>("keeping_started_at",
                       "kept since (bắt đầu thời hạn lưu giữ)",
                       &Row::keeping_started_us),
      Plain<R>("due_on", "due for erasure on (đến hạn xóa ngày)", &Row::due_on),
      InstantColumn<R>("requested_at", "erasure requested (ngày đề nghị xóa)",
                       &Row::requested_us),
  };
  return kColumns;
}

}  // namespace exemplar::projections
