#include "projections/funnel_reports.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string_view>
#include <unordered_map>

#include "engine/workflow/funnel.h"
#include "events/civil_date.h"
#include "projections/report_columns.h"
#include "projections/unit_lineage.h"

namespace exemplar::projections {
namespace {

using nlohmann::json;

// Local dates [first, end) of a review period; nullopt when malformed.
std::optional<std::pair<CivilDate, CivilDate>> PeriodDates(
    const std::string& period) {
  if (!IsReviewPeriod(period)) return std::nullopt;
  const int year = std::stoi(period.substr(0, 4));
  if (year < 1900 || year > 9998) return std::nullopt;
  unsigned first = 1, months = 12;
  if (period.size() == 7) {
    const unsigned n = static_cast<unsigned>(period[6] - '0');
    months = period[5] == 'H' ? 6 : 3;
    first = (n - 1) * months + 1;
  }
  const unsigned after = first + months;
  return std::pair{CivilDate::FromYmd(year, first, 1),
                   after > 12 ? CivilDate::FromYmd(year + 1, 1, 1)
                              : CivilDate::FromYmd(year, after, 1)};
}

// The unit's row of `rows`, filled with the unit when new.
template <typename Row>
Row& RowOf(std::map<std::string, Row>& rows, const Authority& authority,
           const std::string& id) {
  Row& row = rows[id];
  if (row.unit_id.empty()) {
    const UnitRecord* unit = authority.FindUnit(id);
    row.unit_id = id;
    row.unit_name = unit == nullptr ? std::string() : unit->name;
    row.level = unit == nullptr ? std::string() : unit->level;
  }
  return row;
}

void FillList(const ReadModel& model, const ListRecord& record,
              RegistrationRow* row) {
  const AnnualListRegistered& list = record.list;
  row->listed = static_cast<int>(list.exemplar_ids.size());
  row->short_of_min = row->listed < row->min;
  row->status = list.late ? "late" : "on_time";
  row->registered_at_us = record.at_us;
  row->registered_by_user = record.user_id;
  for (size_t i = 0; i < list.exemplar_ids.size(); ++i) {
    const ExemplarRow* exemplar = model.FindExemplar(list.exemplar_ids[i]);
    row->exemplars.push_back(
        {list.exemplar_ids[i], exemplar ? exemplar->name : std::string(),
         i < list.registered_by.size() ? list.registered_by[i] : list.unit_id,
         false});
  }
  if (record.submission) {
    row->submitted_to = record.submission->recipient_unit_id;
    row->submitted_at_us = record.submitted_at_us;
    row->submission_late = record.submission->late;
  }
}

// Marks which of the row's exemplars the list of the unit above took.
void MarkSelected(const ListRecord& above, RegistrationRow* row) {
  const AnnualListRegistered& list = above.list;
  for (size_t i = 0; i < list.exemplar_ids.size(); ++i) {
    if (i >= list.registered_by.size() || list.registered_by[i] != row->unit_id)
      continue;
    for (ListedExemplar& listed : row->exemplars) {
      if (listed.exemplar_id == list.exemplar_ids[i]) {
        listed.selected_above = true;
        ++row->selected_above;
      }
    }
  }
}

bool HasQuotaLevel(const Definition& definition, const std::string& level) {
  for (const Quota& quota : definition.quotas) {
    if (quota.unit_level == level) return true;
  }
  return false;
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// The labels of the propagation channel's values, from the definition.
const FieldSpec* ChannelField(const Definition& definition) {
  const Mark& mark = definition.read_side.propagated;
  if (mark.channel_field.empty() || mark.actions.empty()) return nullptr;
  const ActionSpec* action = definition.FindAction(mark.actions.front());
  return action == nullptr ? nullptr : action->FindField(mark.channel_field);
}

void Summarise(const Definition& definition, const std::string& period,
               PropagationRowReport* row) {
  const FieldSpec* channel = ChannelField(definition);
  std::string vi_channels, en_channels;
  for (const auto& [value, count] : row->by_channel) {
    const Label* label = channel ? channel->ValueLabel(value) : nullptr;
    const std::string n = std::to_string(count);
    vi_channels += (vi_channels.empty() ? "" : "; ") +
                   (label ? label->vi : value) + ": " + n;
    en_channels += (en_channels.empty() ? "" : "; ") +
                   (label ? label->en : value) + ": " + n;
  }
  auto in_brackets = [](const std::string& text) {
    return text.empty() ? std::string() : " (" + text + ")";
  };
  row->summary_vi =
      "Kỳ " + period + ": " + std::to_string(row->items) +
      " tin, bài, hoạt động tuyên truyền" + in_brackets(vi_channels) +
      ", tiếp cận " + std::to_string(row->reach) + " lượt người, về " +
      std::to_string(row->exemplars_covered) + " điển hình; " +
      std::to_string(row->replications_started) +
      " mô hình bắt đầu nhân rộng, " +
      std::to_string(row->replications_evaluated) + " lượt đánh giá (" +
      std::to_string(row->replications_adopted) + " có nơi áp dụng).";
  row->summary_en =
      "Period " + period + ": " + std::to_string(row->items) +
      " propagation items" + in_brackets(en_channels) + ", reaching " +
      std::to_string(row->reach) + " people, about " +
      std::to_string(row->exemplars_covered) + " exemplars; " +
      std::to_string(row->replications_started) + " replications started, " +
      std::to_string(row->replications_evaluated) + " evaluations (" +
      std::to_string(row->replications_adopted) + " adopted).";
  if (row->score) {
    row->summary_vi +=
        " Điểm đánh giá công tác tuyên truyền: " + Number(*row->score) + ".";
    row->summary_en += " Propagation score: " + Number(*row->score) + ".";
  }
}

void Count(const PropagationRow& step, PropagationRowReport* row) {
  switch (step.step) {
    case PropagationStep::kItem:
      ++row->items;
      row->reach += step.reach;
      if (!step.channel.empty()) ++row->by_channel[step.channel];
      break;
    case PropagationStep::kReplicationStarted:
      ++row->replications_started;
      break;
    case PropagationStep::kReplicationEvaluated:
      ++row->replications_evaluated;
      if (step.adopted) ++row->replications_adopted;
      break;
  }
}

template <typename Row>
std::vector<Row> Values(std::map<std::string, Row>& rows) {
  std::vector<Row> out;
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  return out;
}

}  // namespace

Result<RegistrationReport> BuildRegistrationReport(const ReadModel& model,
                                                   const std::string& unit_id,
                                                   int year,
                                                   const ReadScope& visible,
                                                   std::int64_t now_us) {
  if (year < 1900 || year > 9998) {
    return Status::InvalidArgument("year must be within 1900..9998", "year");
  }
  const Definition& definition = model.definition();
  const Authority& authority = model.authority();
  const int offset = definition.utc_offset_minutes;
  const CivilDate today = CivilDate::AtInstant(now_us, offset);
  const auto& lists = model.funnel().lists();
  const ReadModel::UnitScope scope = model.Scope(unit_id, visible);
  std::map<std::string, RegistrationRow> rows;
  for (const std::string& id : model.unit_ids()) {
    if (!scope.Contains(id)) continue;
    const UnitRecord* unit = authority.FindUnit(id);
    const AnnualRegistration* entry =
        definition.RegistrationFor(unit->level, year);
    if (entry != nullptr && entry->leads_campaign &&
        !LeadsCampaignIn(authority, id, year)) {
      entry = nullptr;
    }
    // A unit not yet open on the due date owes no list, but may send one.
    const bool expected =
        entry != nullptr &&
        unit->OpenAt(entry->DueIn(year).StartUnixMicros(offset));
    auto list = lists.find(RegistrationId(id, year));
    if (!expected && list == lists.end()) continue;
    RegistrationRow& row = RowOf(rows, authority, id);
    if (entry != nullptr) {
      row.step = entry->step;
      row.min = entry->min;
      row.max = entry->max;
      row.due = entry->DueIn(year).ToString();
    } else {
      row.step = list->second.list.step;
      row.due = list->second.list.due_date.ToString();
    }
    if (list == lists.end()) {
      row.status = today.ToString() > row.due ? "missing" : "pending";
      continue;
    }
    FillList(model, list->second, &row);
    auto above =
        lists.find(RegistrationId(unit->ParentAt(model.tree_at_us()), year));
    if (above != lists.end()) MarkSelected(above->second, &row);
  }
  RegistrationReport report{year, unit_id, Values(rows), model.position()};
  return report;
}

Result<PropagationReport> BuildPropagationReport(const ReadModel& model,
                                                 const std::string& unit_id,
                                                 const std::string& period,
                                                 const ReadScope& visible) {
  auto dates = PeriodDates(period);
  if (!dates) {
    return Status::InvalidArgument(
        "period must be YYYY, YYYY-H1, YYYY-H2 or YYYY-Q1..YYYY-Q4", "period");
  }
  const Definition& definition = model.definition();
  const Authority& authority = model.authority();
  const int offset = definition.utc_offset_minutes;
  const std::int64_t begin = dates->first.StartUnixMicros(offset);
  const std::int64_t end = dates->second.StartUnixMicros(offset);
  const ReadModel::UnitScope scope = model.Scope(unit_id, visible);
  const ReadModel::UnitScope seen = model.Scope("", visible);
  std::map<std::string, PropagationRowReport> rows;
  for (const std::string& id : model.unit_ids()) {
    const UnitRecord* unit = authority.FindUnit(id);
    if (scope.Contains(id) && HasQuotaLevel(definition, unit->level) &&
        unit->OpenAt(begin)) {
      RowOf(rows, authority, id);
    }
  }
  // Per unit, the exemplars its items cover, by number (each once when
  // counted), and per CreditCache answer the rows it credits in scope.
  std::map<std::string, std::vector<std::uint32_t>> covered;
  std::unordered_map<std::string_view, std::uint32_t> exemplar_numbers;
  struct Credited {
    PropagationRowReport* row;
    std::vector<std::uint32_t>* covered;
  };
  std::vector<std::vector<Credited>> by_answer;
  CreditCache credits(authority, model.unit_ids(), model.tree_at_us());
  model.funnel().ForEachPropagationIn(
      begin, end, [&](const PropagationRow& step) {
        if (!seen.Contains(step.unit_id)) return;
        // A step before a reorganisation counts for the ended unit and for
        // its successor, as in the quota report.
        const CreditCache::Credit credit =
            credits.For(step.unit_id, step.at_us);
        if (credit.number >= by_answer.size()) {
          by_answer.resize(credit.number + 1);
          for (const std::string& id : *credit.units) {
            if (!scope.Contains(id)) continue;
            by_answer[credit.number].push_back(
                {&RowOf(rows, authority, id), &covered[id]});
          }
        }
        const bool item = step.step == PropagationStep::kItem;
        const std::uint32_t exemplar =
            item ? exemplar_numbers
                       .try_emplace(
                           step.exemplar_id,
                           static_cast<std::uint32_t>(exemplar_numbers.size()))
                       .first->second
                 : 0;
        for (const Credited& credited : by_answer[credit.number]) {
          Count(step, credited.row);
          if (item) credited.covered->push_back(exemplar);
        }
      });
  for (const ScoreRecord& record : model.funnel().scores()) {
    const PropagationScored& score = record.score;
    if (score.period != period || !scope.Contains(score.unit_id)) continue;
    PropagationRowReport& row = RowOf(rows, authority, score.unit_id);
    row.score = score.score;
    row.scored_by = record.user_id;
    row.scored_at_us = record.at_us;
    ++row.scores;
  }
  for (auto& [id, row] : rows) {
    std::vector<std::uint32_t>& exemplars = covered[id];
    std::sort(exemplars.begin(), exemplars.end());
    row.exemplars_covered = static_cast<int>(
        std::unique(exemplars.begin(), exemplars.end()) - exemplars.begin());
    Summarise(definition, period, &row);
  }
  PropagationReport report{period, unit_id, Values(rows), model.position()};
  return report;
}

// Runs `build` through Projections::Read, keeping its answer.
template <typename Report, typename Build>
Result<Report> ReadReport(const Projections& projections, AsOf as_of,
                          Build build) {
  std::optional<Result<Report>> answer;
  Status read =
      projections.Read(as_of, [&](const ReadModel& model, std::int64_t now_us) {
        answer.emplace(build(model, now_us));
        return answer->status();
      });
  if (!answer) return read;
  return std::move(*answer);
}

Result<RegistrationReport> Registrations(const Projections& projections,
                                         const std::string& unit_id, int year,
                                         const ReadScope& visible, AsOf as_of) {
  return ReadReport<RegistrationReport>(
      projections, as_of, [&](const ReadModel& model, std::int64_t now_us) {
        return BuildRegistrationReport(model, unit_id, year, visible, now_us);
      });
}

Result<PropagationReport> Propagation(const Projections& projections,
                                      const std::string& unit_id,
                                      const std::string& period,
                                      const ReadScope& visible, AsOf as_of) {
  return ReadReport<PropagationReport>(
      projections, as_of, [&](const ReadModel& model, std::int64_t) {
        return BuildPropagationReport(model, unit_id, period, visible);
      });
}

namespace {

const ReportColumns<RegistrationReport, RegistrationRow>&
RegistrationColumns() {
  using R = RegistrationReport;
  using Row = RegistrationRow;
  static const ReportColumns<R, Row> kColumns = {
      OfReport<Row>("year", "year (năm)", &R::year, Shown::kExportOnly),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("unit_name", "unit name (tên đơn vị)", &Row::unit_name),
      Plain<R>("level", "level (cấp)", &Row::level),
      Plain<R>("step", "step (bước)", &Row::step),
      Plain<R>("min", "minimum (tối thiểu)", &Row::min),
      Plain<R>("max", "maximum (tối đa)", &Row::max),
      Plain<R>("due", "due (hạn)", &Row::due),
      Plain<R>("status", "status (tình trạng)", &Row::status),
      Plain<R>("listed", "listed (số đăng ký)", &Row::listed),
      Plain<R>("short", "short of minimum (thiếu so với tối thiểu)",
               &Row::short_of_min),
      InstantColumn<R, Row>("registered_at", "registered at (ngày đăng ký)",
                            &Row::registered_at_us),
      Plain<R>("registered_by_user", "registered by (người đăng ký)",
               &Row::registered_by_user),
      Plain<R>("selected_above", "selected above (được cấp trên chọn)",
               &Row::selected_above),
      Plain<R>("submitted_to", "submitted to (gửi đến)", &Row::submitted_to),
      InstantColumn<R, Row>("submitted_at", "submitted at (ngày gửi)",
                            &Row::submitted_at_us),
      Plain<R>("submission_late", "submitted late (gửi trễ hạn)",
               &Row::submission_late),
      FromRow<R, Row>(
          "exemplars", "exemplars (điển hình)",
          [](const Row& row, int) {
            json out = json::array();
            for (const ListedExemplar& e : row.exemplars) {
              out.push_back({{"exemplar_id", e.exemplar_id},
                             {"name", e.name},
                             {"registered_by", e.registered_by},
                             {"selected_above", e.selected_above}});
            }
            return out;
          },
          Shown::kJsonOnly),
      FromRow<R, Row>(
          "exemplars", "exemplars (điển hình)",
          [](const Row& row, int) {
            json out = json::array();
            for (const ListedExemplar& e : row.exemplars) {
              out.push_back(e.exemplar_id);
            }
            return out;
          },
          Shown::kExportOnly),
  };
  return kColumns;
}

const ReportColumns<PropagationReport, PropagationRowReport>&
PropagationColumns() {
  using R = PropagationReport;
  using Row = PropagationRowReport;
  static const ReportColumns<R, Row> kColumns = {
      OfReport<Row>("period", "period (kỳ)", &R::period, Shown::kExportOnly),
      Plain<R>("unit_id", "unit (đơn vị)", &Row::unit_id),
      Plain<R>("unit_name", "unit name (tên đơn vị)", &Row::unit_name),
      Plain<R>("level", "level (cấp)", &Row::level),
      Plain<R>("items", "propagation items (tin, bài tuyên truyền)",
               &Row::items),
      FromRow<R, Row>(
          "by_channel", "by channel (theo hình thức)",
          [](const Row& row, int) { return json(row.by_channel); },
          Shown::kJsonOnly),
      FromRow<R, Row>(
          "by_channel", "by channel (theo hình thức)",
          [](const Row& row, int) {
            json out = json::array();
            for (const auto& [channel, count] : row.by_channel) {
              out.push_back(channel + ": " + std::to_string(count));
            }
            return out;
          },
          Shown::kExportOnly),
      Plain<R>("reach", "reach (lượt người tiếp cận)", &Row::reach),
      Plain<R>("exemplars_covered", "exemplars covered (điển hình)",
               &Row::exemplars_covered),
      Plain<R>("replications_started",
               "replications started (mô hình bắt đầu nhân rộng)",
               &Row::replications_started),
      Plain<R>("replications_evaluated",
               "replications evaluated (lượt đánh giá nhân rộng)",
               &Row::replications_evaluated),
      Plain<R>("replications_adopted", "replications adopted (có nơi áp dụng)",
               &Row::replications_adopted),
      FromRow<R, Row>("score", "score (điểm)",
                      [](const Row& row, int) {
                        return row.score ? json(*row.score) : json(nullptr);
                      }),
      Plain<R>("scored_by", "scored by (người chấm)", &Row::scored_by),
      InstantColumn<R, Row>("scored_at", "scored at (ngày chấm)",
                            &Row::scored_at_us),
      Plain<R>("scores", "scores recorded (số lần chấm)", &Row::scores),
      Plain<R>("summary_vi", "summary (tóm tắt)", &Row::summary_vi),
      Plain<R>("summary_en", "summary in English (tóm tắt tiếng Anh)",
               &Row::summary_en),
  };
  return kColumns;
}

template <typename Report, typename Row>
json RowsJson(const ReportColumns<Report, Row>& columns, const Report& report,
              int offset) {
  json rows = json::array();
  for (const Row& row : report.rows) {
    rows.push_back(JsonRow(columns, report, row, offset));
  }
  return rows;
}

}  // namespace

json ToJson(const RegistrationReport& report, int offset) {
  return {{"year", report.year},
          {"unit_id", report.unit_id},
          {"rows", RowsJson(RegistrationColumns(), report, offset)},
          {"position", report.position}};
}

json ToJson(const PropagationReport& report, int offset) {
  return {{"period", report.period},
          {"unit_id", report.unit_id},
          {"rows", RowsJson(PropagationColumns(), report, offset)},
          {"position", report.position}};
}

Table ToTable(const RegistrationReport& report, int offset) {
  return TableOf(RegistrationColumns(), report, report.rows, offset);
}

Table ToTable(const PropagationReport& report, int offset) {
  return TableOf(PropagationColumns(), report, report.rows, offset);
}

}  // namespace exemplar::projections
