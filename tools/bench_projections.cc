// `exemplar bench projections`: generates a realistic log (an organisation
// of one province, 10 districts and 100 communes set up through the command
// handler, then exemplars whose workflow events are appended ten at a time
// from many threads, bypassing Decide for speed), then measures:
//   - rebuild: every projection folded from position 1 (events/s, and the
//     CPU time of all threads and of the folding one, which a loaded
//     machine does not change);
//   - restart to ready: store open plus loading the persisted models;
//   - list queries over the exemplars: p50 and p99 of a mix of filters;
//   - peak RSS of the process.
#include "tools/bench_projections.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <thread>

#include "crypto/key_file.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/personal_data.h"
#include "engine/workflow/sample_fields.h"
#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"
#include "events/workflow_event.h"
#include "projections/projections.h"
#include "tools/bench_reports.h"
#include "tools/bench_support.h"

namespace exemplar::tools {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int kDistricts = 10;
constexpr int kCommunesPerDistrict = 10;
constexpr int kAppendThreads = 64;
constexpr int kEventsPerExemplar = 10;
constexpr std::int64_t kDay = 86400LL * 1000 * 1000;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string Commune(int n) {
  return "c" + std::to_string(n / kCommunesPerDistrict) + "-" +
         std::to_string(n % kCommunesPerDistrict);
}

Status SetUpOrganisation(CommandHandler* handler, std::int64_t t0) {
  const Actor admin{"admin", "admin", "vn"};
  auto run = [&](SystemAction action) -> Status {
    return handler->Handle(SystemCommand{std::move(action), admin, t0, "", ""})
        .status();
  };
  EXEMPLAR_RETURN_IF_ERROR(run(UnitCreated{"vn", "Trung ương", "central", ""}));
  EXEMPLAR_RETURN_IF_ERROR(
      run(UnitCreated{"kh", "Tỉnh Khánh Hòa", "province", "vn"}));
  for (int d = 0; d < kDistricts; ++d) {
    const std::string district = "d" + std::to_string(d);
    EXEMPLAR_RETURN_IF_ERROR(run(UnitCreated{
        district, "Huyện số " + std::to_string(d), "district", "kh"}));
    for (int c = 0; c < kCommunesPerDistrict; ++c) {
      EXEMPLAR_RETURN_IF_ERROR(
          run(UnitCreated{Commune(d * kCommunesPerDistrict + c),
                          "Xã số " + std::to_string(c), "commune", district}));
    }
  }
  EXEMPLAR_RETURN_IF_ERROR(run(UserRegistered{"admin", "Quản trị", "vn"}));
  EXEMPLAR_RETURN_IF_ERROR(
      run(RoleGranted{"g-admin", "admin", "admin", "vn", t0, 0}));
  for (const char* role : {"reporter", "mentor", "nominator", "appraiser",
                           "council_member", "approver", "propagandist"}) {
    EXEMPLAR_RETURN_IF_ERROR(
        run(UserRegistered{role, std::string("Cán bộ ") + role, "kh"}));
    EXEMPLAR_RETURN_IF_ERROR(
        run(RoleGranted{std::string("g-") + role, role, role, "kh", t0, 0}));
  }
  return run(CampaignLaunched{"tdyn", "Thi đua yêu nước", "kh",
                              CivilDate::FromYmd(2024, 1, 1),
                              CivilDate::FromYmd(2025, 12, 31), "general"});
}

// The ten events of exemplar `n`: detection, a mentor, some support visits
// and then the standard path as far as the exemplar got, each with the
// sample fields of its action (random names, units and flags drawn in a
// fixed order per exemplar).
std::vector<NewEvent> ExemplarEvents(const Definition& definition, int n,
                                     std::int64_t t0) {
  static const char* kFamily[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
                                  "Huỳnh",  "Phan", "Vũ", "Võ",   "Đặng",
                                  "Bùi",    "Đỗ",   "Hồ", "Ngô",  "Dương"};
  static const char* kGiven[] = {"Lan", "Mai",  "Hùng",  "Dũng",  "Đào",
                                 "Hoa", "Bình", "Cường", "Thảo",  "Ưng",
                                 "Tâm", "Nga",  "Sơn",   "Hải",   "Đức",
                                 "Yến", "Phúc", "Quang", "Trang", "Vân"};
  static const char* kFields[] = {"production_business",
                                  "good_people_good_deeds", "teaching_learning",
                                  "social_welfare", "innovation"};
  static const char* kPath[] = {
      "nominate", "appraise",           "record_vote",      "approve",
      "honour",   "record_propagation", "plan_replication", "evaluate"};
  std::mt19937 random(n);
  const int reached = 2 + static_cast<int>(random() % 9);  // 2..10 steps
  SampleContext context;
  context.unit_id = Commune(static_cast<int>(random() % 100));
  context.user_id = "mentor";
  context.campaign_id = "tdyn";
  context.criteria_set = "general";
  context.award_form = "giay_khen";
  context.set_entry = "r1";
  std::vector<std::pair<std::string, nlohmann::json>> steps;
  std::vector<std::string> flags;
  if (random() % 4 == 0) flags.push_back("direct_worker");
  if (random() % 10 == 0) flags.push_back("remote_border_island_ethnic_area");
  context.subject_kind = random() % 3 == 0 ? "individual" : "household";
  std::string name = std::string("Hộ ") + kFamily[random() % 15] + " Văn ";
  name += std::string(kGiven[random() % 20]) + " " + std::to_string(n);
  steps.push_back({"detect",
                   {{"name", name},
                    {"field", kFields[random() % 5]},
                    {"priority_flags", flags}}});
  steps.push_back({"assign_mentor", nlohmann::json::object()});
  for (int i = reached; i < kEventsPerExemplar; ++i) {
    steps.push_back({"log_support_visit", nlohmann::json::object()});
  }
  for (int i = 0; i + 2 < reached; ++i) {
    nlohmann::json overrides = nlohmann::json::object();
    if (std::string(kPath[i]) == "plan_replication") {
      overrides["target_unit"] = Commune(static_cast<int>(random() % 100));
    }
    steps.push_back({kPath[i], std::move(overrides)});
  }
  std::int64_t at = t0 + static_cast<std::int64_t>(n) * 600 * 1000 * 1000;
  std::vector<NewEvent> events;
  for (auto& [action, overrides] : steps) {
    const ActionSpec* spec = definition.FindAction(action);
    context.at_us = at;
    context.overrides = std::move(overrides);
    Result<std::map<std::string, FieldValue>> fields =
        SampleEventFields(definition, *spec, context);
    if (!fields.ok()) {
      std::fprintf(stderr, "%s: %s\n", action.c_str(),
                   fields.status().ToString().c_str());
      std::abort();
    }
    NewEvent event;
    event.type = spec->event;
    event.payload = EncodePayload(WorkflowEvent{
        action, definition.name, definition.version, std::move(*fields)});
    event.actor = Actor{spec->roles.front(), spec->roles.front(), "kh"};
    event.recorded_at_us = at;
    at += kDay;
    events.push_back(std::move(event));
  }
  return events;
}

// Exemplar `n`'s id in the form the server draws (NewExemplarId): the
// milliseconds of its detection, then `n`, so that ids sort as they were
// created and the vault's keys of later exemplars sort later.
std::string ExemplarId(int n, std::int64_t t0) {
  const std::int64_t detected_ms =
      (t0 + static_cast<std::int64_t>(n) * 600 * 1000 * 1000) / 1000;
  char id[32];
  std::snprintf(id, sizeof id, "ex-%012llx%012llx",
                static_cast<unsigned long long>(detected_ms),
                static_cast<unsigned long long>(n));
  return id;
}

// Appends exemplar `n`'s events, their personal values sealed when
// `personal` is given.
Result<AppendResult> AppendExemplar(EventStore* store,
                                    const Definition& definition, int n,
                                    std::int64_t t0, PersonalData* personal) {
  AppendRequest request{ExemplarStreamId(ExemplarId(n, t0)),
                        ExpectedVersion::NoStream(),
                        ExemplarEvents(definition, n, t0),
                        "",
                        {}};
  std::vector<crypto::KeyName> keys;
  if (personal != nullptr) {
    Result<std::vector<crypto::KeyName>> sealed =
        personal->Seal(definition, 0, &request);
    if (!sealed.ok()) return sealed.status();
    keys = std::move(*sealed);
  }
  Result<AppendResult> appended = store->Append(std::move(request));
  if (appended.ok() && personal != nullptr) personal->Stored(keys);
  return appended;
}

Status GenerateLog(EventStore* store, const Definition& definition,
                   int exemplars, std::int64_t t0, PersonalData* personal) {
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kAppendThreads; ++t) {
    threads.emplace_back([&] {
      for (int n = next++; n < exemplars && !failed; n = next++) {
        Result<AppendResult> appended =
            AppendExemplar(store, definition, n, t0, personal);
        if (!appended.ok()) {
          std::fprintf(stderr, "append failed: %s\n",
                       appended.status().ToString().c_str());
          failed = true;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return failed ? Status::Internal("generation failed") : Status::Ok();
}

// The personal data of `store` under `master_key` when `encrypt`, else
// null; exits on failure.
std::unique_ptr<PersonalData> PersonalDataOf(
    EventStore* store, bool encrypt, const crypto::DataKey& master_key) {
  if (!encrypt) return nullptr;
  Result<std::unique_ptr<PersonalData>> opened =
      PersonalData::Open(&store->side_store(), master_key);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(*opened);
}

constexpr int kQueryShapes = 5;
constexpr const char* kShapeNames[kQueryShapes] = {
    "district, by name", "commune and state", "search in a district",
    "not propagated, newest first", "priority group in the province"};

// A mix of list queries a supervisor's screen makes; scoped ones are
// judged on `tree`.
std::vector<projections::ExemplarListQuery> QueryMix(
    int count, const std::shared_ptr<const Authority>& tree) {
  std::vector<projections::ExemplarListQuery> queries;
  std::mt19937 random(7);
  static const char* kStates[] = {"nurturing", "nominated", "approved",
                                  "honoured"};
  static const char* kSearches[] = {"nguyen", "Đào", "hung", "tran van"};
  for (int i = 0; i < count; ++i) {
    projections::ExemplarListQuery query;
    query.limit = 50;
    switch (i % kQueryShapes) {
      case 0:  // a district's list, by name
        query.unit_id = "d" + std::to_string(random() % kDistricts);
        query.sort = projections::ExemplarSort::kName;
        break;
      case 1:  // a commune's exemplars in one state
        query.unit_id = Commune(static_cast<int>(random() % 100));
        query.states = {kStates[random() % 4]};
        break;
      case 2:  // search by name, scoped to a district
        query.search = kSearches[random() % 4];
        query.visible = {tree,
                         std::numeric_limits<std::int64_t>::max(),
                         {"d" + std::to_string(random() % kDistricts)}};
        break;
      case 3:  // follow-up style: no propagation yet, newest first
        query.propagated = false;
        query.sort = projections::ExemplarSort::kDetected;
        query.descending = true;
        break;
      case 4:  // priority group in the whole province
        query.priority_flags = {"remote_border_island_ethnic_area"};
        query.unit_id = "kh";
        break;
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

}  // namespace

int RunBenchProjections(const BenchProjectionsOptions& options) {
  Result<Definition> definition = LoadDefinition(options.workflow_path);
  if (!definition.ok()) {
    std::fprintf(stderr, "%s\n", definition.status().ToString().c_str());
    return 1;
  }
  const int exemplars = options.exemplars > 0
                            ? options.exemplars
                            : options.events / kEventsPerExemplar;
  const fs::path dir =
      fs::path(options.scratch_dir) /
      ("exemplar-bench-projections-" + std::to_string(std::random_device()()));
  const std::int64_t t0 = CivilDate::FromYmd(2024, 1, 2).StartUnixMicros(420);
  std::uint64_t head = 0;
  // In the folder's master.key, where `exemplar projections rebuild` finds
  // it: a kept store can then be rebuilt in a fresh process, which begins
  // with no key in memory.
  fs::create_directories(dir);
  Result<crypto::DataKey> master_key =
      crypto::LoadOrCreateKeyFile((dir / crypto::kMasterKeyFileName).string());
  if (!master_key.ok()) {
    std::fprintf(stderr, "%s\n", master_key.status().ToString().c_str());
    return 1;
  }
  {
    auto store = EventStore::Open(dir.string());
    if (!store.ok()) return 1;
    std::unique_ptr<PersonalData> personal =
        PersonalDataOf(store->get(), options.encrypt, *master_key);
    CommandHandler handler(store->get(), &*definition);
    Status organised = SetUpOrganisation(&handler, t0);
    if (!organised.ok()) {
      std::fprintf(stderr, "%s\n", organised.ToString().c_str());
      return 1;
    }
    auto start = Clock::now();
    if (!GenerateLog(store->get(), *definition, exemplars, t0, personal.get())
             .ok()) {
      return 1;
    }
    head = (*store)->head().position;
    std::printf("log       %llu events (%d exemplars) generated in %.1f s%s\n",
                static_cast<unsigned long long>(head), exemplars,
                Seconds(start),
                options.encrypt ? ", personal values encrypted" : "");

    start = Clock::now();
    const double process_cpu_begin = ProcessCpuSeconds();
    const double thread_cpu_begin = ThreadCpuSeconds();
    projections::ProjectionsOptions rebuild_options;
    rebuild_options.personal_data = personal.get();
    Status rebuilt = projections::Projections::Rebuild(
        store->get(), &*definition, {}, rebuild_options);
    const double rebuild_seconds = Seconds(start);
    const double process_cpu = ProcessCpuSeconds() - process_cpu_begin;
    const double folding_cpu = ThreadCpuSeconds() - thread_cpu_begin;
    if (!rebuilt.ok()) {
      std::fprintf(stderr, "%s\n", rebuilt.ToString().c_str());
      return 1;
    }
    std::printf("rebuild   %.0f events/s (%.2f s for %llu events)\n",
                head / rebuild_seconds, rebuild_seconds,
                static_cast<unsigned long long>(head));
    // What a loaded machine does not change: the rebuild's CPU time, all
    // threads together and the folding thread's own.
    std::printf("rebuild CPU %.2f s on all threads, %.2f s folding\n",
                process_cpu, folding_cpu);
  }

  auto start = Clock::now();
  auto store = EventStore::Open(dir.string());
  if (!store.ok()) return 1;
  const double store_seconds = Seconds(start);
  std::unique_ptr<PersonalData> personal =
      PersonalDataOf(store->get(), options.encrypt, *master_key);
  projections::ProjectionsOptions projections_options;
  projections_options.personal_data = personal.get();
  auto opened = projections::Projections::Open(store->get(), &*definition,
                                               projections_options);
  if (!opened.ok()) return 1;
  projections::Projections& projections = **opened;
  projections.Start();
  if (!projections.WaitForPosition(head, std::chrono::seconds(60)).ok()) {
    return 1;
  }
  std::printf(
      "ready     %.3f s after start (store open %.3f s, models loaded "
      "from their rows, no replay)\n",
      Seconds(start), store_seconds);

  // Latencies per query shape (see QueryMix), then all together.
  std::vector<std::vector<double>> by_shape(kQueryShapes);
  std::vector<double> latencies_us;
  // CPU time of the querying thread: the query's own cost, without the
  // time the scheduler gave other processes on a shared machine.
  std::vector<double> cpu_us;
  std::size_t rows = 0;
  CommandHandler handler(store->get(), &*definition);
  auto tree = handler.CurrentAuthority();
  if (!tree.ok()) return 1;
  const std::vector<projections::ExemplarListQuery> mix =
      QueryMix(options.queries, *tree);
  for (std::size_t i = 0; i < mix.size(); ++i) {
    const double cpu_begin = ThreadCpuSeconds();
    auto begin = Clock::now();
    auto page = projections.ListExemplars(mix[i]);
    const double micros =
        std::chrono::duration<double, std::micro>(Clock::now() - begin).count();
    cpu_us.push_back((ThreadCpuSeconds() - cpu_begin) * 1e6);
    if (!page.ok()) return 1;
    latencies_us.push_back(micros);
    by_shape[i % kQueryShapes].push_back(micros);
    rows += page->items.size();
  }
  for (int shape = 0; shape < kQueryShapes; ++shape) {
    const Spread spread = SpreadOf(&by_shape[shape]);
    std::printf("  %-34s p50 %6.0f us  p99 %6.0f us\n", kShapeNames[shape],
                spread.p50, spread.p99);
  }
  const Spread list = SpreadOf(&latencies_us);
  std::printf(
      "list      p50 %.0f us  p99 %.0f us  max %.0f us over %zu queries "
      "(%.1f rows each) at %d exemplars\n",
      list.p50, list.p99, list.max, latencies_us.size(),
      static_cast<double>(rows) / latencies_us.size(), exemplars);
  const Spread cpu = SpreadOf(&cpu_us);
  std::printf("list CPU  p50 %.0f us  p99 %.0f us  max %.0f us\n", cpu.p50,
              cpu.p99, cpu.max);
  ReportBenchOptions reports;
  reports.live_queries = options.live_queries;
  reports.past_queries = options.past_queries;
  reports.head = head;
  reports.first_us = t0;
  reports.last_us = t0 +
                    static_cast<std::int64_t>(exemplars) * 600 * 1000 * 1000 +
                    kEventsPerExemplar * kDay;
  int next_exemplar = exemplars;
  reports.write = [&]() -> Status {
    Result<AppendResult> appended = AppendExemplar(
        store->get(), *definition, next_exemplar++, t0, personal.get());
    if (!appended.ok()) return appended.status();
    return projections.WaitForPosition(appended->last_position,
                                       std::chrono::seconds(10));
  };
  std::printf(
      "reports   live (still, then writing an exemplar's events before each "
      "query) and as of random past positions and dates\n");
  if (!BenchReports(projections, *tree, reports)) return 1;
  std::printf("peak RSS  %ld MiB\n", PeakRssMiB());
  auto stored = projections::Projections::StoredBytes(**store);
  if (!stored.ok()) return 1;
  std::uint64_t total = 0;
  for (const auto& [name, bytes] : *stored) {
    std::printf("stored    %-13s %8.1f MiB\n", name.c_str(), bytes / 1048576.0);
    total += bytes;
  }
  std::printf("stored    all projections %.1f MiB (keys and values)\n",
              total / 1048576.0);
  projections.Stop();
  opened->reset();
  store->reset();
  if (options.keep) {
    std::printf("store     kept in %s\n", dir.string().c_str());
  } else {
    fs::remove_all(dir);
  }
  return 0;
}

void AddBenchProjectionsCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BenchProjectionsOptions>();
  CLI::App* command = AddBenchCommand(
      app, "projections",
      "Rebuild throughput, restart-to-ready, list and report latency (live and "
      "as of the past), peak RSS, stored size");
  command->add_option("--events", options->events, "Workflow events")
      ->capture_default_str();
  command->add_option("--exemplars", options->exemplars,
                      "Exemplars (default events / 10)");
  command->add_option("--queries", options->queries, "List queries timed")
      ->capture_default_str();
  command
      ->add_option("--live-queries", options->live_queries,
                   "Each report timed live")
      ->capture_default_str();
  command
      ->add_option("--past-queries", options->past_queries,
                   "Each query timed as of past positions, and of dates")
      ->capture_default_str();
  AddScratchOption(command, &options->scratch_dir);
  command->add_flag("--encrypt", options->encrypt,
                    "Seal the personal values (as a server does) and open "
                    "them in the read models");
  command->add_flag("--keep", options->keep,
                    "Keep the generated store in the scratch folder, with its "
                    "master.key, for `exemplar projections rebuild --data`");
  command
      ->add_option("--workflow", options->workflow_path, "Workflow definition")
      ->capture_default_str();
  commands.push_back(
      {command, [options] { return RunBenchProjections(*options); }});
}

}  // namespace exemplar::tools
