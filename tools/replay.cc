#include "tools/replay.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include "api/service.h"
#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/stream_ids.h"
#include "events/civil_date.h"
#include "events/event_json.h"
#include "projections/export_labels.h"
#include "projections/projections.h"
#include "tools/data_folder.h"

namespace exemplar::tools {
namespace {

using projections::AsOf;
using projections::Projections;

int Fail(const Status& status) {
  std::fprintf(stderr, "replay failed: %s\n", status.ToString().c_str());
  return 1;
}

Result<AsOf> ParseUntil(const std::string& until, int offset) {
  if (!until.empty() &&
      until.find_first_not_of("0123456789") == std::string::npos) {
    return AsOf{std::stoull(until), 0};
  }
  Result<std::int64_t> time = projections::ParseInstant(until, offset);
  if (!time.ok()) return time.status();
  return AsOf{0, *time};
}

// Writes `json` (json) or `table` (csv with the Vietnamese label columns of
// `labels`, jsonl).
void Emit(const ReplayOptions& options, const projections::CodeLabels& labels,
          const nlohmann::json& json, projections::Table table) {
  if (options.format == "csv") {
    projections::WriteCsv(
        projections::WithLabelColumns(std::move(table), labels), std::cout);
  } else if (options.format == "jsonl") {
    projections::WriteJsonLines(table, std::cout);
  } else {
    std::cout << json.dump(2) << '\n';
  }
}

int ReplayStream(const ReplayOptions& options, EventStore* store,
                 const Projections& projections, const AsOf& as_of) {
  const int offset = options.utc_offset_minutes;
  std::string id = options.stream;
  if (!IsSystemStream(id)) {
    std::optional<StreamName> stream = ParseStreamId(id);
    if (stream && stream->kind == StreamKind::kExemplar) {
      id = std::string(stream->id);
    }
    Result<projections::ExemplarView> view = projections.Exemplar(id, as_of);
    if (!view.ok()) return Fail(view.status());
    std::cout << projections::ToJson(*view, offset).dump(2) << '\n';
    return 0;
  }
  Result<std::vector<EventRecord>> events =
      store->ReadStream(id, 0, Direction::kForward, 100000);
  if (!events.ok()) return Fail(events.status());
  nlohmann::json out = nlohmann::json::array();
  for (const EventRecord& event : *events) {
    if ((as_of.position != 0 && event.position > as_of.position) ||
        (as_of.time_us != 0 && event.recorded_at_us > as_of.time_us)) {
      break;
    }
    out.push_back(EventToJson(event));
  }
  std::cout << out.dump(2) << '\n';
  return 0;
}

int ReplayReport(const ReplayOptions& options,
                 const projections::CodeLabels& labels,
                 const Projections& projections, const AsOf& as_of,
                 std::int64_t until_us) {
  const int offset = options.utc_offset_minutes;
  const std::string local = CivilDate::AtInstant(until_us, offset).ToString();
  const int year =
      options.year != 0 ? options.year : std::stoi(local.substr(0, 4));
  const int quarter = options.quarter != 0
                          ? options.quarter
                          : (std::stoi(local.substr(5, 2)) - 1) / 3 + 1;
  const std::string& report = options.report;
  if (report == "quotas") {
    auto result = projections.Quotas(options.unit, year, {}, as_of);
    if (!result.ok()) return Fail(result.status());
    Emit(options, labels, projections::ToJson(*result),
         projections::ToTable(*result));
  } else if (report == "deadlines") {
    auto result = projections.Deadlines(options.unit, year, quarter, {}, as_of);
    if (!result.ok()) return Fail(result.status());
    Emit(options, labels, projections::ToJson(*result, offset),
         projections::ToTable(*result, offset));
  } else if (report == "follow-up") {
    projections::FollowUpQuery query;
    query.unit_id = options.unit;
    auto result = projections.FollowUp(query, as_of);
    if (!result.ok()) return Fail(result.status());
    Emit(options, labels, projections::ToJson(*result, offset),
         projections::ToTable(*result, offset));
  } else if (report == "ledger") {
    projections::LedgerQuery query;
    query.limit = 10000;
    projections::LedgerPage all;
    for (;;) {
      auto page = projections.Ledger(query, as_of);
      if (!page.ok()) return Fail(page.status());
      all.position = page->position;
      all.rows.insert(all.rows.end(), page->rows.begin(), page->rows.end());
      if (page->next_after_position == 0) break;
      query.after_position = page->next_after_position;
    }
    Emit(options, labels, projections::ToJson(all, offset),
         projections::ToTable(all, offset));
  } else if (report == "units") {
    auto units = projections.Units({}, as_of);
    if (!units.ok()) return Fail(units.status());
    nlohmann::json json = nlohmann::json::array();
    for (const auto& unit : *units) json.push_back(projections::ToJson(unit));
    std::cout << json.dump(2) << '\n';
  } else {
    projections::ExemplarListQuery query;
    query.unit_id = options.unit;
    query.limit = 1000;
    projections::ExemplarListPage all;
    for (;;) {
      auto page = projections.ListExemplars(query, as_of);
      if (!page.ok()) return Fail(page.status());
      all.position = page->position;
      all.items.insert(all.items.end(), page->items.begin(), page->items.end());
      if (page->next_cursor.empty()) break;
      query.cursor = page->next_cursor;
    }
    Emit(options, labels, projections::ToJson(all, offset),
         projections::ToTable(all, offset));
  }
  return 0;
}

}  // namespace

int RunReplay(const ReplayOptions& options) {
  Result<AsOf> as_of = ParseUntil(options.until, options.utc_offset_minutes);
  if (!as_of.ok()) return Fail(as_of.status());
  Result<Definition> definition = LoadDefinition(options.workflow_path);
  if (!definition.ok()) return Fail(definition.status());
  auto store = OpenDataFolder(options.data_dir, StoreAccess::kBesideServer);
  if (!store.ok()) return Fail(store.status());
  projections::ProjectionsOptions projection_options;
  projection_options.utc_offset_minutes = options.utc_offset_minutes;
  projection_options.in_memory = true;
  // Beside a server, the vault it made opens; a folder never served has
  // none, and its personal values read as withheld.
  auto personal_data =
      api::OpenPersonalData(**store, options.data_dir, options.master_key_file);
  if (personal_data.ok()) {
    projection_options.personal_data = personal_data->get();
  } else {
    std::cerr << "personal values are withheld: "
              << personal_data.status().ToString() << "\n";
  }
  auto opened =
      Projections::Open(store->get(), &*definition, projection_options);
  if (!opened.ok()) return Fail(opened.status());
  if (!options.stream.empty()) {
    return ReplayStream(options, store->get(), **opened, *as_of);
  }
  std::int64_t until_us = as_of->time_us;
  if (until_us == 0) {
    Result<EventRecord> last = (*store)->ReadEvent(
        std::min(as_of->position, (*store)->head().position));
    until_us = last.ok() ? last->recorded_at_us : 0;
  }
  return ReplayReport(options, projections::VietnameseLabels(*definition),
                      **opened, *as_of, until_us);
}

void AddReplayCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<ReplayOptions>();
  CLI::App* replay = app.add_subcommand(
      "replay", "Print an exemplar, a stream, a list or a report as it was");
  AddDataOption(replay, &options->data_dir);
  AddMasterKeyOption(replay, &options->master_key_file);
  replay
      ->add_option("--workflow", options->workflow_path, "Workflow definition")
      ->capture_default_str();
  replay
      ->add_option("--until", options->until,
                   "Position, or time such as 2025-06-30T23:59:59+07:00")
      ->required();
  replay->add_option(
      "--stream", options->stream,
      "exemplar-<id> (or an id), unit-, user-, campaign- stream");
  replay->add_option("--report", options->report, "What to print")
      ->check(CLI::IsMember(
          {"list", "ledger", "quotas", "deadlines", "follow-up", "units"}))
      ->capture_default_str();
  replay->add_option("--year", options->year, "Year (default: of --until)");
  replay
      ->add_option("--quarter", options->quarter,
                   "Quarter 1-4 (default: of --until)")
      ->check(CLI::Range(1, 4));
  replay->add_option("--unit", options->unit, "Within this unit's subtree");
  replay->add_option("--format", options->format, "json, csv or jsonl")
      ->check(CLI::IsMember({"json", "csv", "jsonl"}))
      ->capture_default_str();
  replay
      ->add_option("--utc-offset", options->utc_offset_minutes,
                   "Local time, minutes east of UTC")
      ->capture_default_str();
  commands.push_back({replay, [options] { return RunReplay(*options); }});
}

}  // namespace exemplar::tools
