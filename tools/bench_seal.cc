// `exemplar bench seal`: seals `--commands` detections as the command
// handler does (the personal fields, then the remote address), each of a
// new exemplar, so each makes its subject's key; then opens each sealed
// name as the read models do. Nothing is appended: the figures are the
// CPU of sealing and opening alone, and the bytes sealing adds to an
// event and to the vault. The keys are marked stored as after an append.
#include "tools/bench_seal.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "engine/workflow/ids.h"
#include "engine/workflow/personal_data.h"
#include "engine/workflow/stream_ids.h"
#include "events/payload_codec.h"
#include "events/workflow_event.h"
#include "tools/bench_report.h"
#include "tools/bench_support.h"

namespace exemplar::tools {
namespace {

using Clock = std::chrono::steady_clock;

const std::string kName = "Hộ bà Nguyễn Thị Lan";

// A detection as bench/detect.lua sends it, recorded from 127.0.0.1: its
// envelope and its payload, not yet encoded, as Decide leaves them.
std::pair<NewEvent, WorkflowEvent> Detection(const Definition& definition) {
  WorkflowEvent payload{"detect", definition.name, definition.version, {}};
  payload.fields["subject_kind"] = std::string("household");
  payload.fields["name"] = kName;
  payload.fields["unit_id"] = std::string("kh");
  payload.fields["field"] = std::string("production_business");
  payload.fields["summary"] = std::string("Sản xuất kinh doanh giỏi");
  payload.fields["source"] = std::string("branch_report");
  payload.fields["cultured_family"] = true;
  NewEvent event;
  event.type = definition.FindAction("detect")->event;
  event.schema_version = WorkflowEvent::kSchemaVersion;
  event.actor = Actor{"admin", "reporter", "kh"};
  event.remote_address = "127.0.0.1";
  return {std::move(event), std::move(payload)};
}

std::size_t EventBytes(const NewEvent& event) {
  return event.payload.size() + event.reason.size() +
         event.remote_address.size();
}

void PrintSpread(const char* what, std::vector<double>* micros) {
  double total = 0;
  for (double value : *micros) total += value;
  const Spread spread = SpreadOf(micros);
  std::printf("%-28s mean %6.2f µs  p50 %6.2f  p99 %6.2f  p99.9 %6.2f\n", what,
              total / micros->size(), spread.p50, spread.p99, spread.p999);
}

struct Figures {
  std::vector<double> seal_us;
  std::vector<double> open_us;
  std::size_t sealed_bytes = 0;
  std::size_t vault_bytes = 0;
};

// Seals one detection of a new exemplar as the command handler does, then
// opens its name as the read models do.
Status SealOne(PersonalData* personal, const Definition& definition,
               const std::pair<NewEvent, WorkflowEvent>& detection,
               Figures* figures) {
  const std::string stream_id = ExemplarStreamId(NewExemplarId());
  AppendRequest request{
      stream_id, ExpectedVersion::NoStream(), {detection.first}, "", {}};
  WorkflowEvent payload = detection.second;
  std::vector<crypto::KeyName> keys;
  Clock::time_point start = Clock::now();
  Result<bool> sealed_any = personal->SealWorkflowEvent(
      definition, 0, &payload, &request.events.front(), &request, &keys);
  if (!sealed_any.ok()) return sealed_any.status();
  const std::int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  EXEMPLAR_RETURN_IF_ERROR(personal->SealAddresses(now_us, &request, &keys));
  figures->seal_us.push_back(MicrosSince(start));
  // Encoded with or without sealing: not timed.
  request.events.front().payload = EncodePayload(payload);
  personal->Stored(keys);
  const NewEvent& sealed = request.events.front();
  figures->sealed_bytes += EventBytes(sealed);
  for (const auto& [id, wrapped] : request.vault_keys) {
    figures->vault_bytes += id.size() + wrapped.size();
  }
  Result<WorkflowEvent> event =
      DecodePayload<WorkflowEvent>(sealed.schema_version, sealed.payload);
  if (!event.ok()) return event.status();
  start = Clock::now();
  const std::string name =
      ReadableField(personal, stream_id, *event, "name", 0,
                    std::get<std::string>(event->fields["name"]));
  figures->open_us.push_back(MicrosSince(start));
  if (name != kName) {
    return Status::Internal("the name did not open: " + name);
  }
  return Status::Ok();
}

}  // namespace

int RunBenchSeal(const BenchSealOptions& options) {
  Result<Definition> definition = LoadDefinition(options.workflow_path);
  if (!definition.ok()) {
    std::fprintf(stderr, "%s\n", definition.status().ToString().c_str());
    return 1;
  }
  const std::filesystem::path root =
      ScratchFolder(options.scratch_dir, "exemplar-bench-seal");
  Status status = Status::Ok();
  {
    Result<std::unique_ptr<EventStore>> store = EventStore::Open(root.string());
    if (!store.ok()) return FinishBench(root, store.status());
    Result<std::unique_ptr<PersonalData>> personal =
        PersonalData::Open(&(*store)->side_store(), crypto::NewDataKey());
    if (!personal.ok()) return FinishBench(root, personal.status());
    const std::pair<NewEvent, WorkflowEvent> detection = Detection(*definition);
    Figures figures;
    const double cpu_before = ThreadCpuSeconds();
    for (int i = 0; i < options.commands && status.ok(); ++i) {
      status = SealOne(personal->get(), *definition, detection, &figures);
    }
    const double cpu_us =
        (ThreadCpuSeconds() - cpu_before) * 1e6 / options.commands;
    if (status.ok()) {
      std::printf("%d detections, each of a new exemplar, on one thread\n",
                  options.commands);
      PrintSpread("seal (fields and address)", &figures.seal_us);
      PrintSpread("open the name", &figures.open_us);
      std::printf(
          "thread CPU per detection     %6.2f µs (both, and the loop)\n",
          cpu_us);
      const double n = options.commands;
      const std::size_t plain_bytes = EncodePayload(detection.second).size() +
                                      detection.first.remote_address.size();
      std::printf("event bytes                  %6zu plain, %6.0f sealed\n",
                  plain_bytes, figures.sealed_bytes / n);
      std::printf(
          "vault bytes per detection    %6.0f (key ids and wrapped keys)\n",
          figures.vault_bytes / n);
    }
  }
  return FinishBench(root, status);
}

void AddBenchSealCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BenchSealOptions>();
  CLI::App* command = AddBenchCommand(
      app, "seal",
      "CPU of sealing a detection's personal data and of opening it, and the "
      "bytes sealing adds");
  command->add_option("--commands", options->commands, "Detections sealed")
      ->capture_default_str();
  AddScratchOption(command, &options->scratch_dir);
  command
      ->add_option("--workflow", options->workflow_path, "Workflow definition")
      ->capture_default_str();
  commands.push_back({command, [options] { return RunBenchSeal(*options); }});
}

}  // namespace exemplar::tools
