#include "tools/bench_reports.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
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
// their spread; returns the p99 in ms, nothing on a failed query.
std::optional<double> Time(const char* label, const QueryKind& kind, int count,
                           const std::function<AsOf(std::mt19937&)>& when,
                           const std::function<Status()>& before_each = {}) {
  std::mt19937 random(11);
  std::vector<double> millis;
  for (int i = 0; i < count; ++i) {
    if (before_each) {
      Status written = before_each();
      if (!written.ok()) {
        std::fprintf(stderr, "writing: %s\n", written.ToString().c_str());
        return std::nullopt;
      }
    }
    const AsOf as_of = when(random);
    auto begin = Clock::now();
    Status answered = kind.run(as_of, random);
    millis.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - begin)
            .count());
    if (!answered.ok()) {
      std::fprintf(stderr, "%s %s: %s\n", label, kind.name,
                   answered.ToString().c_str());
      return std::nullopt;
    }
  }
  if (millis.empty()) return 0.0;
  const Spread spread = SpreadOf(&millis);
  std::printf(
      "  %-8s %-15s p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  (%d queries)\n",
      label, kind.name, spread.p50, spread.p99, spread.max, count);
  return spread.p99;
}

// The p99s of one group of queries against its target.
struct Target {
  const char* what;
  double limit_ms;
  std::vector<std::string> over;  // "<query> <p99> ms" past the limit
  double worst_ms = 0;

  void Add(const std::string& query, double p99_ms) {
    worst_ms = std::max(worst_ms, p99_ms);
    if (p99_ms < limit_ms) return;
    char figure[32];
    std::snprintf(figure, sizeof figure, " %.1f ms", p99_ms);
    over.push_back(query + figure);
  }

  void Print() const {
    std::printf("target    %s p99 under %.0f ms: %s (worst %.1f ms)\n", what,
                limit_ms, over.empty() ? "met" : "not met", worst_ms);
    for (const std::string& query : over) {
      std::printf("            over: %s\n", query.c_str());
    }
  }
};

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
  Target live_target{"each report live,", 20, {}};
  Target past_target{"lists, ledger and reports as of the past,", 100, {}};
  for (const QueryKind& kind : kinds) {
    if (std::string(kind.name).ends_with("page")) continue;
    std::optional<double> p99 = Time("live", kind, options.live_queries, live);
    if (!p99) return false;
    live_target.Add(kind.name, *p99);
  }
  // The live models' report indexes and tallies kept up as the log grows.
  for (const QueryKind& kind : kinds) {
    if (std::string(kind.name).ends_with("page")) continue;
    std::optional<double> p99 =
        Time("writing", kind, options.live_queries, live, options.write);
    if (!p99) return false;
    live_target.Add(std::string("writing ") + kind.name, *p99);
  }
  for (const QueryKind& kind : kinds) {
    for (const auto& [label, when] :
         {std::pair{"position", std::function<AsOf(std::mt19937&)>(position)},
          std::pair{"date", std::function<AsOf(std::mt19937&)>(date)}}) {
      std::optional<double> p99 = Time(label, kind, options.past_queries, when);
      if (!p99) return false;
      past_target.Add(std::string(label) + " " + kind.name, *p99);
    }
  }
  live_target.Print();
  past_target.Print();
  return true;
}

}  // namespace exemplar::tools
