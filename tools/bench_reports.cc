#include "tools/bench_reports.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "events/civil_date.h"
#include "projections/funnel_reports.h"
#include "tools/bench_report.h"

namespace exemplar::tools {
namespace {

using projections::AsOf;
using Clock = std::chrono::steady_clock;

constexpr int kOffset = 420;

// One kind of query, answered as of `as_of` (live when empty).
struct QueryKind {
  const char* name;
  std::function<Status(const AsOf& as_of, std::mt19937& random)> run;
};

int YearOf(std::int64_t unix_us) {
  return std::stoi(CivilDate::AtInstant(unix_us, kOffset).ToString());
}

std::vector<QueryKind> Kinds(const projections::Projections& p,
                             const std::shared_ptr<const Authority>& tree,
                             const ReportBenchOptions& options) {
  // A district supervisor's scope, as the API would build it.
  auto district = [tree](std::mt19937& random) {
    return projections::ReadScope{tree,
                                  std::numeric_limits<std::int64_t>::max(),
                                  {"d" + std::to_string(random() % 10)}};
  };
  auto year = [&options](const AsOf& as_of) {
    return YearOf(as_of.time_us != 0 ? as_of.time_us : options.last_us);
  };
  return {
      {"list page",
       [&p, district](const AsOf& as_of, std::mt19937& random) {
         projections::ExemplarListQuery query;
         query.visible = district(random);
         query.sort = projections::ExemplarSort::kName;
         return p.ListExemplars(query, as_of).status();
       }},
      {"ledger page",
       [&p](const AsOf& as_of, std::mt19937& random) {
         projections::LedgerQuery query;
         query.unit_id = "d" + std::to_string(random() % 10);
         query.order = projections::LedgerOrder::kNewestFirst;
         return p.Ledger(query, as_of).status();
       }},
      {"quotas",
       [&p, year](const AsOf& as_of, std::mt19937&) {
         return p.Quotas("kh", year(as_of), {}, as_of).status();
       }},
      {"deadlines",
       [&p, year](const AsOf& as_of, std::mt19937& random) {
         return p
             .Deadlines("kh", year(as_of), 1 + static_cast<int>(random() % 4),
                        {}, as_of)
             .status();
       }},
      {"follow-up",
       [&p, district](const AsOf& as_of, std::mt19937& random) {
         projections::FollowUpQuery query;
         query.visible = district(random);
         return p.FollowUp(query, as_of).status();
       }},
      {"registrations",
       [&p, year](const AsOf& as_of, std::mt19937&) {
         return projections::Registrations(p, "kh", year(as_of), {}, as_of)
             .status();
       }},
      {"propagation",
       [&p, year](const AsOf& as_of, std::mt19937&) {
         return projections::Propagation(p, "kh", std::to_string(year(as_of)),
                                         {}, as_of)
             .status();
       }},
      {"reorganisation",
       [&p](const AsOf& as_of, std::mt19937&) {
         return p.Reorganisation({}, as_of).status();
       }},
  };
}

// Times `count` runs of `kind`, each as of what `when` draws, and prints
// their spread; false on a failed query.
bool Time(const char* label, const QueryKind& kind, int count,
          const std::function<AsOf(std::mt19937&)>& when) {
  std::mt19937 random(11);
  std::vector<double> millis;
  for (int i = 0; i < count; ++i) {
    const AsOf as_of = when(random);
    auto begin = Clock::now();
    Status answered = kind.run(as_of, random);
    millis.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - begin)
            .count());
    if (!answered.ok()) {
      std::fprintf(stderr, "%s %s: %s\n", label, kind.name,
                   answered.ToString().c_str());
      return false;
    }
  }
  const Spread spread = SpreadOf(&millis);
  std::printf("  %-8s %-15s p50 %8.2f ms  p99 %8.2f ms  (%d queries)\n", label,
              kind.name, spread.p50, spread.p99, count);
  return true;
}

}  // namespace

bool BenchReports(const projections::Projections& projections,
                  const std::shared_ptr<const Authority>& tree,
                  const ReportBenchOptions& options) {
  const std::vector<QueryKind> kinds = Kinds(projections, tree, options);
  auto live = [](std::mt19937&) { return AsOf{}; };
  auto position = [&options](std::mt19937& random) {
    return AsOf{1 + random() % options.head, 0};
  };
  auto date = [&options](std::mt19937& random) {
    std::uniform_int_distribution<std::int64_t> span(options.first_us,
                                                     options.last_us);
    return AsOf{0, span(random)};
  };
  for (const QueryKind& kind : kinds) {
    if (std::string(kind.name).ends_with("page")) continue;
    if (!Time("live", kind, options.live_queries, live)) return false;
  }
  for (const QueryKind& kind : kinds) {
    if (!Time("position", kind, options.past_queries, position)) return false;
    if (!Time("date", kind, options.past_queries, date)) return false;
  }
  return true;
}

}  // namespace exemplar::tools
