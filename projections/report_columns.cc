#include "projections/report_columns.h"

namespace exemplar::projections {
namespace {

using nlohmann::json;

json Instant(std::int64_t unix_us, int offset) {
  return unix_us == 0 ? json(nullptr) : json(FormatInstant(unix_us, offset));
}

}  // namespace

const ReportColumns<LedgerPage, LedgerRow>& LedgerColumns() {
  using R = LedgerPage;
  using Row = LedgerRow;
  static const ReportColumns<R, Row> kColumns = {
      {"position",
       "position (vị trí)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.position; }},
      {"at",
       "time (thời gian)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int offset) -> json {
         return Instant(row.at_us, offset);
       }},
      {"action",
       "action (thao tác)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.action; }},
      {"actor",
       "actor (người thực hiện)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.actor_user; }},
      {"role",
       "role (vai trò)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.actor_role; }},
      {"unit_id",
       "unit (đơn vị)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.actor_unit; }},
      {"exemplar_id",
       "exemplar (điển hình)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.exemplar_id; }},
      {"exemplar_unit_id",
       nullptr,
       Shown::kJsonOnly,
       {},
       [](const R&, const Row& row, int) -> json { return row.exemplar_unit; }},
      {"nomination",
       "nomination (lần giới thiệu)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.nomination; }},
      {"nominator",
       "nominator (người giới thiệu)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.nominator; }},
      {"reason",
       "reason (lý do)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.reason; }},
      {"role_held",
       "held the role then (có thẩm quyền)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.role_held; }},
      {"role_check",
       "role check (kiểm tra thẩm quyền)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.role_check; }},
  };
  return kColumns;
}

const ReportColumns<QuotaReport, QuotaRow>& QuotaColumns() {
  using R = QuotaReport;
  using Row = QuotaRow;
  static const ReportColumns<R, Row> kColumns = {
      {"year",
       "year (năm)",
       Shown::kExportOnly,
       {},
       [](const R& report, const Row&, int) -> json { return report.year; }},
      {"unit_id",
       "unit (đơn vị)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.unit_id; }},
      {"unit_name",
       "unit name (tên đơn vị)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.unit_name; }},
      {"level",
       "level (cấp)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.level; }},
      {"minimum",
       "annual minimum (chỉ tiêu tối thiểu)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.minimum; }},
      {"detected",
       "detected (phát hiện)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.detected; }},
      {"nominated",
       "nominated (giới thiệu)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.nominated; }},
      {"approved",
       "approved (phê duyệt)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.approved; }},
      {"honoured",
       "honoured (tôn vinh)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.honoured; }},
      {"propagated",
       "propagated (tuyên truyền)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.propagated; }},
      {"replicated",
       "replicated (nhân rộng)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.replicated; }},
      {"propagated_and_replicated",
       "propagated and replicated (tuyên truyền và nhân rộng)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json {
         return row.propagated_and_replicated;
       }},
      {"met",
       "quota met (đạt chỉ tiêu)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.met; }},
      {"registration_due",
       "registration due (hạn đăng ký)",
       Shown::kBoth,
       {"registration", "due"},
       [](const R&, const Row& row, int) -> json {
         return row.registration_due;
       }},
      {"registration_min",
       "registration minimum (số đăng ký tối thiểu)",
       Shown::kBoth,
       {"registration", "min"},
       [](const R&, const Row& row, int) -> json {
         return row.registration_min;
       }},
      {"registration_max",
       "registration maximum (số đăng ký tối đa)",
       Shown::kBoth,
       {"registration", "max"},
       [](const R&, const Row& row, int) -> json {
         return row.registration_max;
       }},
      {"registered_on_time",
       "registered on time (đăng ký đúng hạn)",
       Shown::kBoth,
       {"registration", "on_time"},
       [](const R&, const Row& row, int) -> json {
         return row.registered_on_time;
       }},
      {"registered_late",
       "registered late (đăng ký trễ hạn)",
       Shown::kBoth,
       {"registration", "late"},
       [](const R&, const Row& row, int) -> json {
         return row.registered_late;
       }},
      {"registration_met",
       "registration met (đạt đăng ký)",
       Shown::kBoth,
       {"registration", "met"},
       [](const R&, const Row& row, int) -> json {
         return row.registration_met;
       }},
  };
  return kColumns;
}

const ReportColumns<DeadlineReport, DeadlineRow>& DeadlineColumns() {
  using R = DeadlineReport;
  using Row = DeadlineRow;
  static const ReportColumns<R, Row> kColumns = {
      {"year",
       "year (năm)",
       Shown::kExportOnly,
       {},
       [](const R& report, const Row&, int) -> json { return report.year; }},
      {"quarter",
       "quarter (quý)",
       Shown::kExportOnly,
       {},
       [](const R& report, const Row&, int) -> json { return report.quarter; }},
      {"due_before",
       "due before (hạn trước ngày)",
       Shown::kExportOnly,
       {},
       [](const R& report, const Row&, int) -> json {
         return report.due_before;
       }},
      {"lead_blocs",
       "lead blocs (khối thi đua chủ trì)",
       Shown::kExportOnly,
       {},
       [](const R& report, const Row&, int) -> json {
         return report.lead_blocs;
       }},
      {"unit_id",
       "unit (đơn vị)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.unit_id; }},
      {"unit_name",
       "unit name (tên đơn vị)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.unit_name; }},
      {"level",
       "level (cấp)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.level; }},
      {"status",
       "status (tình trạng)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.status; }},
      {"introduced",
       "introduced (số điển hình giới thiệu)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int) -> json { return row.introduced; }},
      {"first_introduced_at",
       "first introduced at (ngày giới thiệu đầu tiên)",
       Shown::kBoth,
       {},
       [](const R&, const Row& row, int offset) -> json {
         return Instant(row.first_introduced_at_us, offset);
       }},
  };
  return kColumns;
}

const ReportColumns<FollowUpReport, FollowUpItem>& FollowUpColumns() {
  using R = FollowUpReport;
  using Row = FollowUpItem;
  static const ReportColumns<R, Row> kColumns = {
      {"category",
       "category (loại việc cần theo dõi)",
       Shown::kBoth,
       {},
       [](const R&, const Row& item, int) -> json { return item.category; }},
      {"exemplar_id",
       "exemplar (điển hình)",
       Shown::kBoth,
       {},
       [](const R&, const Row& item, int) -> json { return item.exemplar_id; }},
      {"name",
       "name (tên)",
       Shown::kBoth,
       {},
       [](const R&, const Row& item, int) -> json { return item.name; }},
      {"unit_id",
       "unit (đơn vị)",
       Shown::kBoth,
       {},
       [](const R&, const Row& item, int) -> json { return item.unit_id; }},
      {"state",
       "state (trạng thái)",
       Shown::kBoth,
       {},
       [](const R&, const Row& item, int) -> json { return item.state; }},
      {"detail",
       "detail (chi tiết)",
       Shown::kBoth,
       {},
       [](const R&, const Row& item, int) -> json { return item.detail; }},
      {"since",
       "since (từ ngày)",
       Shown::kBoth,
       {},
       [](const R&, const Row& item, int offset) -> json {
         return Instant(item.since_us, offset);
       }},
  };
  return kColumns;
}

}  // namespace exemplar::projections
