// The queries of the read model: the exemplar list with its cursors, the
// approvals ledger, the unit tree and the users.
#include <algorithm>
#include <functional>
#include <iterator>
#include <optional>

#include "projections/fold_text.h"
#include "projections/read_model.h"
#include "projections/unit_lineage.h"

namespace exemplar::projections {
namespace {

constexpr std::size_t kMaxListLimit = 1000;
constexpr std::size_t kMaxLedgerLimit = 10000;
// See ListFromUnitBuckets.
constexpr std::size_t kBucketBias = 4;

bool Contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
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

}  // namespace

bool ReadModel::Matches(const ExemplarRow& row, bool in_scope,
                        const ExemplarListQuery& query,
                        const std::string& folded_search) const {
  if (!in_scope) return false;
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
  // A model as of the past walks the live model's indexes: the sort keys
  // (name, detection time, id) never change once set. Its unit buckets
  // hold each row under its unit now, so they serve only the live model.
  const ReadModel& rows = rows_of_ == nullptr ? *this : *rows_of_;
  if (rows_of_ == nullptr &&
      ListFromUnitBuckets(query, folded_search, scope, probe, !cursor->empty(),
                          &page)) {
    return page;
  }
  ExemplarRow scratch;
  auto collect = [&](auto begin, auto end, auto entry_of) {
    for (auto it = begin; it != end; ++it) {
      const Entry& entry = entry_of(*it);
      const ExemplarRow* row = RowOf(entry, &scratch);
      if (row == nullptr) continue;
      const bool in_scope = rows_of_ == nullptr
                                ? scope.ContainsIndex(entry.unit_index)
                                : scope.Contains(row->unit_id);
      if (!Matches(*row, in_scope, query, folded_search)) continue;
      if (page.items.size() == query.limit) {
        page.next_cursor = HexEncode(SortKey(page.items.back(), query.sort));
        return;
      }
      page.items.push_back(*row);
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
          rows.entries_,
          [&] { return rows.entries_.upper_bound(probe.row.id); },
          [&] { return rows.entries_.lower_bound(probe.row.id); },
          [](const auto& pair) -> const Entry& { return pair.second; });
      break;
    case ExemplarSort::kName:
      walk(
          rows.by_name_, [&] { return rows.by_name_.upper_bound(&probe); },
          [&] { return rows.by_name_.lower_bound(&probe); }, by_pointer);
      break;
    case ExemplarSort::kDetected:
      walk(
          rows.by_detected_,
          [&] { return rows.by_detected_.upper_bound(&probe); },
          [&] { return rows.by_detected_.lower_bound(&probe); }, by_pointer);
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
      if (Matches(entry->row, true, query, folded_search)) {
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

void ReadModel::ScanLedger(std::uint64_t past, LedgerOrder order,
                           const LedgerVisit& visit) const {
  const std::vector<LedgerRow>& rows =
      rows_of_ == nullptr ? ledger_ : rows_of_->ledger_;
  const auto by_position = [](const LedgerRow& row, std::uint64_t position) {
    return row.position < position;
  };
  if (order == LedgerOrder::kOldestFirst) {
    auto it = std::lower_bound(rows.begin(), rows.end(), past + 1, by_position);
    while (it != rows.end() && visit(*it)) ++it;
    return;
  }
  auto end =
      past == 0 ? rows.end()
                : std::lower_bound(rows.begin(), rows.end(), past, by_position);
  for (auto it = std::make_reverse_iterator(end);
       it != rows.rend() && visit(*it); ++it) {
  }
}

Result<LedgerPage> QueryLedger(const LedgerQuery& query,
                               const ReadModel::UnitScope& units,
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
    if (!units.Contains(row.exemplar_unit)) return true;
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
    UnitNode node =
        NodeOf(*authority_.FindUnit(id), options_.tree_at_us, visible);
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
