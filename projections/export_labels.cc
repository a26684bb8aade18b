#include "projections/export_labels.h"

namespace exemplar::projections {
namespace {

using nlohmann::json;

// The labels of the values of the creating action's field `name`.
std::map<std::string, std::string> ValueLabels(const Definition& definition,
                                               const std::string& name) {
  std::map<std::string, std::string> out;
  for (const ActionSpec& action : definition.actions) {
    const FieldSpec* field = action.creates ? action.FindField(name) : nullptr;
    if (field == nullptr) continue;
    for (const std::string& value : field->values) {
      if (const Label* label = field->ValueLabel(value)) out[value] = label->vi;
    }
  }
  return out;
}

template <typename Named>
std::map<std::string, std::string> NameLabels(const std::vector<Named>& items) {
  std::map<std::string, std::string> out;
  for (const Named& item : items) out[item.name] = item.label.vi;
  return out;
}

// "state (trạng thái)" gives "state_vi (trạng thái)".
std::string LabelHeader(const Column& column) {
  std::string header = column.key + "_vi";
  const std::size_t open = column.header.find('(');
  if (open == std::string::npos) return header;
  return header + " " + column.header.substr(open);
}

json LabelOf(const json& code, const std::map<std::string, std::string>& to) {
  if (code.is_array()) {
    json out = json::array();
    for (const json& item : code) out.push_back(LabelOf(item, to));
    return out;
  }
  if (!code.is_string()) return code;
  auto it = to.find(code.get<std::string>());
  return it == to.end() ? code : json(it->second);
}

// The read side's own codes: unit levels, a deadline's status, a follow-up
// item's category.
const CodeLabels& ReportLabels() {
  static const CodeLabels kLabels = {
      {"level",
       {{"central", "Trung ương"},
        {"province", "Tỉnh"},
        {"district", "Huyện"},
        {"commune", "Xã"},
        {"branch", "Chi hội, tổ hội"},
        {"department", "Sở, ban, ngành, đoàn thể"},
        {"bloc", "Khối thi đua"}}},
      {"status",
       {{"on_time", "Đúng hạn"},
        {"late", "Trễ hạn"},
        {"missing", "Chưa giới thiệu"}}},
      {"category",
       {{"no_mentor", "Chưa có cán bộ theo dõi"},
        {"approved_not_propagated", "Đã phê duyệt, chưa tuyên truyền"},
        {"honoured_not_replicated", "Đã tôn vinh, chưa nhân rộng"},
        {"replication_without_evaluation", "Nhân rộng chưa được đánh giá"},
        {"no_evaluation_this_year", "Chưa đánh giá trong năm"},
        {"priority_share", "Tỷ lệ đối tượng ưu tiên"},
        {"exemplar_in_ended_unit", "Điển hình còn thuộc đơn vị đã kết thúc"},
        {"mentor_without_grant", "Cán bộ theo dõi không còn quyền"},
        {"replication_target_ended", "Nhân rộng tới đơn vị đã kết thúc"},
        {"person_without_grant", "Người không còn quyền nào"}}}};
  return kLabels;
}

}  // namespace

CodeLabels VietnameseLabels(const Definition& definition) {
  const SubjectFields& subject = definition.subject;
  CodeLabels labels = ReportLabels();
  labels.insert(
      {{"state", NameLabels(definition.states)},
       {"action", NameLabels(definition.actions)},
       {"role", NameLabels(definition.roles)},
       {"subject_kind", ValueLabels(definition, subject.kind_field)},
       {"field", ValueLabels(definition, subject.domain_field)},
       {"priority_flags", ValueLabels(definition, subject.priority_field)}});
  std::map<std::string, std::string>& blocs = labels["lead_blocs"];
  for (const LeadBlocRotation& rotation :
       definition.deadlines.lead_bloc_rotation) {
    for (std::size_t i = 0; i < rotation.blocs.size(); ++i) {
      blocs[rotation.blocs[i]] = rotation.bloc_labels.at(i).vi;
    }
  }
  return labels;
}

Table WithLabelColumns(Table table, const CodeLabels& labels) {
  std::vector<Column> columns;
  for (const Column& column : table.columns) {
    columns.push_back(column);
    auto to = labels.find(column.key);
    if (to == labels.end()) continue;
    const std::string key = column.key + "_vi";
    columns.push_back({key, LabelHeader(column)});
    for (json& row : table.rows) {
      auto code = row.find(column.key);
      json label =
          code == row.end() ? json(nullptr) : LabelOf(*code, to->second);
      row[key] = std::move(label);
    }
  }
  table.columns = std::move(columns);
  return table;
}

}  // namespace exemplar::projections
