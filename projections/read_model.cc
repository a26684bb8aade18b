#include "projections/read_model.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "events/civil_date.h"
#include "events/payload_codec.h"
#include "events/system_events.h"
#include "events/workflow_event.h"
#include "projections/fold_text.h"
#include "projections/row_decoder.h"

namespace exemplar::projections {
namespace {

constexpr std::string_view kExemplarStream = "exemplar-";
constexpr std::size_t kMaxListLimit = 1000;
constexpr std::size_t kMaxLedgerLimit = 10000;
// See ListFromUnitBuckets.
constexpr std::size_t kBucketBias = 4;

const std::string* StringField(const WorkflowEvent& event,
                               const std::string& name) {
  auto it = event.fields.find(name);
  return it == event.fields.end() ? nullptr
                                  : std::get_if<std::string>(&it->second);
}

std::string StringOr(const WorkflowEvent& event, const std::string& name) {
  const std::string* value = StringField(event, name);
  return value == nullptr ? std::string() : *value;
}

std::vector<std::string> StringListOr(const WorkflowEvent& event,
                                      const std::string& name) {
  auto it = event.fields.find(name);
  if (it == event.fields.end()) return {};
  const auto* list = std::get_if<std::vector<std::string>>(&it->second);
  return list == nullptr ? std::vector<std::string>() : *list;
}

bool IsSystemStream(const std::string& stream) {
  return stream.starts_with("unit-") || stream.starts_with("user-") ||
         stream.starts_with("campaign-");
}

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// Folds one workflow event into the exemplar's row. The action names are
// those of the default definition (workflows/exemplar.json); actions a
// definition adds still move the state and count as events.
void FoldRow(const Definition& definition, const ActionSpec& action,
             const WorkflowEvent& event, const EventRecord& record,
             ExemplarRow* row) {
  const std::string& name = action.name;
  const std::int64_t at = record.recorded_at_us;
  if (action.creates) {
    row->id = record.stream_id.substr(kExemplarStream.size());
    row->name = StringOr(event, "name");
    row->name_folded = FoldForSearch(row->name);
    row->unit_id = StringOr(event, definition.subject.unit_field);
    row->subject_kind = StringOr(event, definition.subject.kind_field);
    row->field = StringOr(event, "field");
    row->priority_flags = StringListOr(event, "priority_flags");
    row->detected_at_us = at;
  }
  if (!action.effects.set_slot.empty() && action.effects.set_slot == "mentor") {
    row->mentor_id = StringOr(event, action.effects.slot_field);
    if (row->first_mentor_at_us == 0) row->first_mentor_at_us = at;
  }
  if (action.effects.clear_slot == "mentor") row->mentor_id.clear();
  if (name == "nominate") {
    NominationFact nomination{at,
                              record.actor.unit_id,
                              record.actor.user_id,
                              StringOr(event, "nomination_kind"),
                              StringOr(event, "period"),
                              StringOr(event, "campaign_id")};
    row->campaign_id = nomination.campaign_id;
    row->period = nomination.period;
    row->nominations.push_back(std::move(nomination));
  } else if (name == "approve") {
    row->approved_us.push_back(at);
  } else if (name == "honour") {
    row->honoured_us.push_back(at);
  } else if (name == "record_propagation") {
    row->propagated_us.push_back(at);
  } else if (name == "plan_replication") {
    row->replications.emplace(StringOr(event, "replication_id"), "");
  } else if (name == "evaluate_replication") {
    std::string outcome = StringOr(event, "outcome");
    if (outcome != "not_replicated") row->replicated_us.push_back(at);
    row->replications[StringOr(event, "replication_id")] = std::move(outcome);
  } else if (name == "evaluate") {
    row->evaluation_periods.push_back(StringOr(event, "period"));
  }
  if (action.to) row->state = *action.to;
  ++row->event_count;
  row->last_position = record.position;
  row->updated_at_us = at;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Result<std::string> HexDecode(std::string_view hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0)
    return Status::InvalidArgument("bad cursor", "cursor");
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = digit(hex[i]), low = digit(hex[i + 1]);
    if (high < 0 || low < 0) {
      return Status::InvalidArgument("bad cursor", "cursor");
    }
    out.push_back(static_cast<char>(high << 4 | low));
  }
  return out;
}

// The sort key of a row for `sort`, as bytes that order like the sort.
std::string SortKey(const ExemplarRow& row, ExemplarSort sort) {
  std::string key;
  switch (sort) {
    case ExemplarSort::kId:
      break;
    case ExemplarSort::kName:
      key = row.name_folded;
      break;
    case ExemplarSort::kDetected: {
      // Offset so negative instants still order as bytes.
      std::uint64_t biased = static_cast<std::uint64_t>(row.detected_at_us) ^
                             (std::uint64_t{1} << 63);
      for (int shift = 56; shift >= 0; shift -= 8) {
        key.push_back(static_cast<char>((biased >> shift) & 0xFF));
      }
      break;
    }
  }
  key.push_back('\0');
  key += row.id;
  return key;
}

// The inverse of SortKey: fills the sort fields and id of `row`.
bool ParseSortKey(std::string_view key, ExemplarSort sort, ExemplarRow* row) {
  std::size_t separator = 0;
  if (sort == ExemplarSort::kDetected) {
    if (key.size() < 9 || key[8] != '\0') return false;
    std::uint64_t biased = 0;
    for (int i = 0; i < 8; ++i) {
      biased = biased << 8 | static_cast<unsigned char>(key[i]);
    }
    row->detected_at_us =
        static_cast<std::int64_t>(biased ^ (std::uint64_t{1} << 63));
    separator = 8;
  } else {
    separator = key.find('\0');
    if (separator == std::string_view::npos) return false;
    row->name_folded = std::string(key.substr(0, separator));
  }
  row->id = std::string(key.substr(separator + 1));
  return true;
}

// Decodes the payload of a workflow event into `*event`: the current
// schema in place, older ones through the codec's upcasting. kCorruption
// naming the position when it does not decode.
Status DecodeWorkflowEvent(const EventRecord& record,
                           WorkflowEventDecoder* decoder,
                           WorkflowEvent* event) {
  if (record.schema_version != WorkflowEvent::kSchemaVersion) {
    Result<WorkflowEvent> upcast = DecodeRecordPayload<WorkflowEvent>(record);
    if (!upcast.ok()) return upcast.status();
    *event = std::move(upcast).value();
    return Status::Ok();
  }
  if (!decoder->Decode(record.payload, event)) {
    return Status::Corruption(record.type + ": payload does not decode",
                              record.position);
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& LedgerActions() {
  static const std::vector<std::string> kActions = {
      "appraise", "record_vote", "approve", "reject", "return_for_revision",
      "honour",   "revoke_award"};
  return kActions;
}

bool ReadModel::NameLess::operator()(const Entry* a, const Entry* b) const {
  return std::tie(a->row.name_folded, a->row.id) <
         std::tie(b->row.name_folded, b->row.id);
}

bool ReadModel::DetectedLess::operator()(const Entry* a, const Entry* b) const {
  return std::tie(a->row.detected_at_us, a->row.id) <
         std::tie(b->row.detected_at_us, b->row.id);
}

ReadModel::ReadModel(const Definition* definition, ReadModelOptions options)
    : definition_(definition), options_(options) {
  for (const ActionSpec& action : definition_->actions) {
    actions_.try_emplace(action.name,
                         FoldAction{
                             &action,
                             Contains(LedgerActions(), action.name),
                         });
  }
}

void ReadModel::SetPosition(std::uint64_t position,
                            std::int64_t last_event_us) {
  position_ = position;
  last_event_us_ = last_event_us;
}

bool DecodeAhead(const EventRecord& record, WorkflowEventDecoder* decoder,
                 WorkflowEvent* event) {
  return record.stream_id.starts_with(kExemplarStream) &&
         DecodeWorkflowEvent(record, decoder, event).ok();
}

Status ReadModel::Apply(const EventRecord& record, ModelChanges* changes) {
  return Apply(record, nullptr, changes);
}

Status ReadModel::Apply(const EventRecord& record, const WorkflowEvent* decoded,
                        ModelChanges* changes) {
  if (IsSystemStream(record.stream_id)) {
    EXEMPLAR_RETURN_IF_ERROR(ApplySystem(record));
    if (changes != nullptr) changes->system.push_back(&record);
  } else if (record.stream_id.starts_with(kExemplarStream)) {
    if (decoded != nullptr) {
      EXEMPLAR_RETURN_IF_ERROR(ApplyWorkflow(record, *decoded, changes));
    } else {
      EXEMPLAR_RETURN_IF_ERROR(
          DecodeWorkflowEvent(record, &payload_decoder_, &payload_));
      EXEMPLAR_RETURN_IF_ERROR(ApplyWorkflow(record, payload_, changes));
    }
  }
  position_ = record.position;
  last_event_us_ = std::max(last_event_us_, record.recorded_at_us);
  return Status::Ok();
}

Status ReadModel::LoadSystemEvent(const EventRecord& record) {
  return ApplySystem(record);
}

Status ReadModel::ApplySystem(const EventRecord& record) {
  EXEMPLAR_RETURN_IF_ERROR(authority_.Apply(record));
  if (record.type == UnitCreated::kType) {
    unit_ids_.push_back(record.stream_id.substr(5));
    UnitIndex(unit_ids_.back());
  } else if (record.type == UserRegistered::kType) {
    user_ids_.push_back(record.stream_id.substr(5));
  } else if (record.type == RoleGranted::kType) {
    Result<RoleGranted> grant = DecodeRecordPayload<RoleGranted>(record);
    if (!grant.ok()) return grant.status();
    grants_by_user_[grant->user_id].push_back(grant->grant_id);
  }
  return Status::Ok();
}

Status ReadModel::ApplyWorkflow(const EventRecord& record,
                                const WorkflowEvent& event,
                                ModelChanges* changes) {
  auto found = actions_.find(event.action);
  if (found == actions_.end()) {
    return Status::Corruption("unknown action \"" + event.action + "\"",
                              record.position);
  }
  const ActionSpec* action = found->second.spec;
  const std::string id(record.stream_id.substr(kExemplarStream.size()));
  bool inserted = false;
  Entry& entry = FindOrAddEntry(id, &inserted);
  // Only a creating action sets the sort keys (name, detection time), so
  // the other actions leave the row where it is in the sort indexes.
  const bool resorts = inserted || action->creates;
  if (resorts && !inserted) Unindex(&entry);
  FoldRow(*definition_, *action, event, record, &entry.row);
  // The unit is fixed by the creating event.
  if (inserted) AddToUnitBucket(&entry);
  if (resorts) Index(&entry);
  if (changes != nullptr) changes->exemplars.push_back(&entry.row);

  if (!found->second.ledger) return Status::Ok();
  LedgerRow row;
  row.position = record.position;
  row.at_us = record.recorded_at_us;
  row.action = action->name;
  row.actor_user = record.actor.user_id;
  row.actor_role = record.actor.role;
  row.actor_unit = record.actor.unit_id;
  row.exemplar_id = id;
  row.exemplar_unit = entry.row.unit_id;
  row.nomination = entry.row.nominations.size();
  if (!entry.row.nominations.empty()) {
    row.nominator = entry.row.nominations.back().nominator;
  }
  row.reason = record.reason;
  if (!Contains(action->roles, record.actor.role)) {
    row.role_check = "role \"" + record.actor.role + "\" may not " + row.action;
  } else {
    Status held =
        authority_.HeldRole(row.actor_user, row.actor_role, row.actor_unit,
                            row.exemplar_unit, row.at_us);
    row.role_held = held.ok();
    if (!held.ok()) row.role_check = held.message();
  }
  if (options_.keep_ledger) ledger_.push_back(row);
  if (changes != nullptr) changes->ledger.push_back(std::move(row));
  return Status::Ok();
}

void ReadModel::LoadExemplarRow(ExemplarRow row) {
  // Rows come in id order, so each goes at the end of entries_ without a
  // search (a tree walk per row was a third of the time to start).
  auto at = entries_.emplace_hint(entries_.end(), row.id, Entry{});
  entry_by_id_.emplace(row.id, &at->second);
  Entry& entry = at->second;
  entry.row = std::move(row);
  AddToUnitBucket(&entry);
  if (options_.sort_indexes) loaded_.push_back(&entry);
}

void ReadModel::FinishLoading() {
  // Sorted first, then each added at the end of its index without a search.
  auto fill = [this](auto& index) {
    std::sort(loaded_.begin(), loaded_.end(), index.key_comp());
    for (Entry* entry : loaded_) index.emplace_hint(index.end(), entry);
  };
  fill(by_name_);
  fill(by_detected_);
  loaded_.clear();
  loaded_.shrink_to_fit();
}

std::uint32_t ReadModel::UnitIndex(const std::string& unit_id) {
  auto [it, inserted] = unit_index_.try_emplace(
      unit_id, static_cast<std::uint32_t>(unit_index_.size()));
  return it->second;
}

void ReadModel::AddToUnitBucket(Entry* entry) {
  entry->unit_index = UnitIndex(entry->row.unit_id);
  if (by_unit_.size() <= entry->unit_index) {
    by_unit_.resize(entry->unit_index + 1);
  }
  by_unit_[entry->unit_index].push_back(entry);
}

void ReadModel::Index(Entry* entry) {
  if (!options_.sort_indexes) return;
  by_name_.insert(entry);
  // A new exemplar was mostly detected last: then the hint saves the search.
  by_detected_.emplace_hint(by_detected_.end(), entry);
}

void ReadModel::Unindex(Entry* entry) {
  if (!options_.sort_indexes) return;
  by_name_.erase(entry);
  by_detected_.erase(entry);
}

ReadModel::Entry& ReadModel::FindOrAddEntry(const std::string& id,
                                            bool* inserted) {
  auto found = entry_by_id_.find(id);
  *inserted = found == entry_by_id_.end();
  if (!*inserted) return *found->second;
  Entry& entry = entries_[id];
  entry_by_id_.emplace(id, &entry);
  return entry;
}

bool ReadModel::UnitScope::Contains(const std::string& unit_id) const {
  if (all_) return true;
  auto it = index_->find(unit_id);
  return it != index_->end() && ContainsIndex(it->second);
}

ReadModel::UnitScope ReadModel::Scope(const std::string& unit_id,
                                      const ReadScope& visible) const {
  UnitScope scope;
  if (unit_id.empty() && visible.unrestricted()) return scope;
  scope.all_ = false;
  scope.index_ = &unit_index_;
  scope.allowed_.assign(unit_index_.size(), 0);
  for (const auto& [unit, index] : unit_index_) {
    bool within = unit_id.empty() ||
                  authority_.IsWithin(unit, unit_id, options_.tree_at_us);
    scope.allowed_[index] = within && visible.Covers(unit);
  }
  return scope;
}

bool ReadModel::Matches(const Entry& entry, const ExemplarListQuery& query,
                        const std::string& folded_search,
                        const UnitScope& scope) const {
  const ExemplarRow& row = entry.row;
  if (!scope.ContainsIndex(entry.unit_index)) return false;
  if (!query.states.empty() && !Contains(query.states, row.state)) {
    return false;
  }
  if (!query.subject_kind.empty() && row.subject_kind != query.subject_kind) {
    return false;
  }
  if (!query.field.empty() && row.field != query.field) return false;
  if (!query.campaign_id.empty() && row.campaign_id != query.campaign_id) {
    return false;
  }
  if (!query.period.empty() && row.period != query.period) return false;
  for (const std::string& flag : query.priority_flags) {
    if (!Contains(row.priority_flags, flag)) return false;
  }
  if (query.has_mentor && *query.has_mentor == row.mentor_id.empty()) {
    return false;
  }
  if (query.propagated && *query.propagated == row.propagated_us.empty()) {
    return false;
  }
  if (query.replicated && *query.replicated == row.replications.empty()) {
    return false;
  }
  return folded_search.empty() ||
         row.name_folded.find(folded_search) != std::string::npos;
}

Result<ExemplarListPage> ReadModel::List(const ExemplarListQuery& query) const {
  if (query.limit == 0 || query.limit > kMaxListLimit) {
    return Status::InvalidArgument("limit must be within 1..1000", "limit");
  }
  Result<std::string> cursor = HexDecode(query.cursor);
  if (!cursor.ok()) return cursor.status();
  // The cursor is the last row's sort key; a probe row carrying it finds
  // where the next page starts in each ordering.
  Entry probe;
  if (!cursor->empty() && !ParseSortKey(*cursor, query.sort, &probe.row)) {
    return Status::InvalidArgument("bad cursor", "cursor");
  }
  const std::string folded_search = FoldForSearch(query.search);
  const UnitScope scope = Scope(query.unit_id, query.visible);

  ExemplarListPage page;
  page.position = position_;
  if (ListFromUnitBuckets(query, folded_search, scope, probe, !cursor->empty(),
                          &page)) {
    return page;
  }
  auto collect = [&](auto begin, auto end, auto entry_of) {
    for (auto it = begin; it != end; ++it) {
      const Entry& entry = entry_of(*it);
      if (!Matches(entry, query, folded_search, scope)) continue;
      if (page.items.size() == query.limit) {
        page.next_cursor = HexEncode(SortKey(page.items.back(), query.sort));
        return;
      }
      page.items.push_back(entry.row);
    }
  };
  auto walk = [&](const auto& ordered, auto upper, auto lower, auto entry_of) {
    if (!query.descending) {
      collect(cursor->empty() ? ordered.begin() : upper(), ordered.end(),
              entry_of);
    } else {
      auto end = cursor->empty() ? ordered.end() : lower();
      collect(std::make_reverse_iterator(end), ordered.rend(), entry_of);
    }
  };
  auto by_pointer = [](const Entry* entry) -> const Entry& { return *entry; };
  switch (query.sort) {
    case ExemplarSort::kId:
      walk(
          entries_, [&] { return entries_.upper_bound(probe.row.id); },
          [&] { return entries_.lower_bound(probe.row.id); },
          [](const auto& pair) -> const Entry& { return pair.second; });
      break;
    case ExemplarSort::kName:
      walk(
          by_name_, [&] { return by_name_.upper_bound(&probe); },
          [&] { return by_name_.lower_bound(&probe); }, by_pointer);
      break;
    case ExemplarSort::kDetected:
      walk(
          by_detected_, [&] { return by_detected_.upper_bound(&probe); },
          [&] { return by_detected_.lower_bound(&probe); }, by_pointer);
      break;
  }
  return page;
}

bool ReadModel::ListFromUnitBuckets(const ExemplarListQuery& query,
                                    const std::string& folded_search,
                                    const UnitScope& scope, const Entry& probe,
                                    bool has_cursor,
                                    ExemplarListPage* page) const {
  if (scope.all_) return false;
  std::size_t candidates = 0;
  for (std::size_t unit = 0; unit < by_unit_.size(); ++unit) {
    if (scope.ContainsIndex(unit)) candidates += by_unit_[unit].size();
  }
  // Walking a sort index stops after `limit` matches, about limit * total /
  // candidates rows in; gathering the buckets reads every candidate. The
  // factor favours the buckets, since other filters slow the walk too.
  if (candidates * candidates > kBucketBias * query.limit * entries_.size()) {
    return false;
  }
  std::vector<const Entry*> matches;
  for (std::size_t unit = 0; unit < by_unit_.size(); ++unit) {
    if (!scope.ContainsIndex(unit)) continue;
    for (const Entry* entry : by_unit_[unit]) {
      if (Matches(*entry, query, folded_search, scope)) {
        matches.push_back(entry);
      }
    }
  }
  auto less = [&](const Entry* a, const Entry* b) {
    switch (query.sort) {
      case ExemplarSort::kName:
        return NameLess()(a, b);
      case ExemplarSort::kDetected:
        return DetectedLess()(a, b);
      case ExemplarSort::kId:
        break;
    }
    return a->row.id < b->row.id;
  };
  auto in_order = [&](const Entry* a, const Entry* b) {
    return query.descending ? less(b, a) : less(a, b);
  };
  std::sort(matches.begin(), matches.end(), in_order);
  auto begin = has_cursor ? std::upper_bound(matches.begin(), matches.end(),
                                             &probe, in_order)
                          : matches.begin();
  for (auto it = begin; it != matches.end(); ++it) {
    if (page->items.size() == query.limit) {
      page->next_cursor = HexEncode(SortKey(page->items.back(), query.sort));
      break;
    }
    page->items.push_back((*it)->row);
  }
  return true;
}

Result<LedgerPage> ReadModel::Ledger(const LedgerQuery& query) const {
  return QueryLedger(
      query, Scope(query.unit_id, {}), Scope("", query.visible),
      [this](std::uint64_t after, const LedgerVisit& visit) -> Status {
        auto it =
            std::upper_bound(ledger_.begin(), ledger_.end(), after,
                             [](std::uint64_t position, const LedgerRow& row) {
                               return position < row.position;
                             });
        for (; it != ledger_.end(); ++it) {
          if (!visit(*it)) break;
        }
        return Status::Ok();
      });
}

Result<LedgerPage> QueryLedger(const LedgerQuery& query,
                               const ReadModel::UnitScope& actor_units,
                               const ReadModel::UnitScope& visible,
                               const LedgerScan& scan) {
  if (query.limit == 0 || query.limit > kMaxLedgerLimit) {
    return Status::InvalidArgument("limit must be within 1..10000", "limit");
  }
  LedgerPage page;
  Status scanned = scan(query.after_position, [&](const LedgerRow& row) {
    if (!query.actor_user.empty() && row.actor_user != query.actor_user) {
      return true;
    }
    if (!query.actions.empty() && !Contains(query.actions, row.action)) {
      return true;
    }
    if (query.from_us != 0 && row.at_us < query.from_us) return true;
    if (query.to_us != 0 && row.at_us >= query.to_us) return true;
    if (!actor_units.Contains(row.actor_unit) ||
        !visible.Contains(row.exemplar_unit)) {
      return true;
    }
    if (page.rows.size() == query.limit) {
      page.next_after_position = page.rows.back().position;
      return false;
    }
    page.rows.push_back(row);
    return true;
  });
  if (!scanned.ok()) return scanned;
  return page;
}

std::vector<UnitNode> ReadModel::Units(const ReadScope& visible) const {
  std::map<std::string, std::vector<std::string>> children;
  std::vector<std::string> roots;
  for (const std::string& id : unit_ids_) {
    const UnitRecord* unit = authority_.FindUnit(id);
    const std::string& parent = unit->ParentAt(options_.tree_at_us);
    if (parent.empty()) {
      roots.push_back(id);
    } else {
      children[parent].push_back(id);
    }
  }
  // A unit outside the scope is kept only when it leads to one within.
  std::function<std::optional<UnitNode>(const std::string&)> build =
      [&](const std::string& id) -> std::optional<UnitNode> {
    const UnitRecord* unit = authority_.FindUnit(id);
    UnitNode node{id,
                  unit->name,
                  unit->level,
                  unit->ParentAt(options_.tree_at_us),
                  unit->OpenAt(options_.tree_at_us),
                  visible.Covers(id),
                  {}};
    for (const std::string& child : children[id]) {
      if (auto built = build(child)) node.children.push_back(*std::move(built));
    }
    if (!node.in_scope && node.children.empty()) return std::nullopt;
    return node;
  };
  std::vector<UnitNode> tree;
  for (const std::string& root : roots) {
    if (auto built = build(root)) tree.push_back(*std::move(built));
  }
  return tree;
}

std::vector<UserInfo> ReadModel::Users(std::int64_t now_us) const {
  std::vector<UserInfo> users;
  for (const std::string& id : user_ids_) {
    const UserRecord* user = authority_.FindUser(id);
    UserInfo info{
        id, user->full_name, user->home_unit_id, user->ActiveAt(now_us), {}};
    auto grants = grants_by_user_.find(id);
    if (grants != grants_by_user_.end()) {
      for (const std::string& grant_id : grants->second) {
        const GrantRecord* grant = authority_.FindGrant(grant_id);
        info.grants.push_back(GrantInfo{
            grant->id, grant->role, grant->unit_id, grant->valid_from_us,
            grant->valid_to_us, grant->revoked_at_us.value_or(0),
            grant->ValidAt(now_us)});
      }
    }
    users.push_back(std::move(info));
  }
  return users;
}

}  // namespace exemplar::projections
