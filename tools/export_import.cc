#include "tools/export_import.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/service.h"
#include "documents/document_store.h"
#include "engine/audit/merkle.h"
#include "engine/audit/tree_reader.h"
#include "engine/event_store.h"
#include "engine/log_reader.h"
#include "engine/workflow/personal_data.h"
#include "events/event_json.h"
#include "tools/data_folder.h"
#include "tools/document_check.h"
#include "tools/vault_file.h"

namespace exemplar::tools {
namespace {

namespace fs = std::filesystem;

// Events per AppendSealed call; a run sharing an idempotency key may make a
// chunk a little longer, as runs are never split.
constexpr size_t kImportChunk = 5000;
constexpr size_t kExportPage = 1000;

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

// The head of the log up to `position`: the event there and its hash.
Result<Head> HeadAt(const EventStore& store, std::uint64_t position) {
  const Head head = store.head();
  if (position >= head.position) return head;
  if (position == 0) return Head{};
  Result<EventRecord> event = store.ReadEvent(position);
  if (!event.ok()) return event.status();
  return Head{position, event->hash};
}

// Writes the events from options.from to `to` through the store's log
// reader, so every event exported has its hash and chain checked.
Status WriteEvents(const EventStore& store, const ExportOptions& options,
                   Head to, std::ostream& out, audit::IncrementalTree* tree) {
  LogReader reader(store, options.from, to);
  std::vector<EventRecord> page;
  while (!reader.done()) {
    EXEMPLAR_RETURN_IF_ERROR(reader.Next(&page, kExportPage));
    for (const EventRecord& event : page) {
      out << EventToJson(event).dump() << '\n';
      if (tree) tree->Append(AsBytes(event.hash));
    }
    if (!out) return Status::IoError("cannot write the export");
  }
  out.flush();
  return out ? Status::Ok() : Status::IoError("cannot write the export");
}

// Reads JSON Lines and feeds the store in chunks, checking positions itself
// so that a gap is reported with its line; AppendSealed checks the rest.
class Importer {
 public:
  explicit Importer(EventStore* store) : store_(store) {}

  Status Add(const std::string& line, std::uint64_t line_number) {
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded()) return AtLine(line_number, "is not valid JSON");
    auto event = EventFromJson(json);
    if (!event.ok()) return AtLine(line_number, event.status().message());
    if (event->position != imported_ + chunk_.size() + 1) {
      return AtLine(line_number,
                    "position " + std::to_string(event->position) + " where " +
                        std::to_string(imported_ + chunk_.size() + 1) +
                        " was expected (a gap, a repeat, or a range that "
                        "does not start at 1)");
    }
    bool continues_run =
        !chunk_.empty() && !event->idempotency_key.empty() &&
        event->idempotency_key == chunk_.back().idempotency_key;
    if (chunk_.size() >= kImportChunk && !continues_run) {
      EXEMPLAR_RETURN_IF_ERROR(Flush());
    }
    holds_sealed_ = holds_sealed_ || HoldsSealedValue(*event);
    chunk_.push_back(std::move(event).value());
    lines_.push_back(line_number);
    return Status::Ok();
  }

  Status Flush() {
    if (chunk_.empty()) return Status::Ok();
    std::uint64_t first = chunk_.front().position;
    Status status = store_->AppendSealed(std::move(chunk_));
    if (!status.ok() && status.number() && *status.number() >= first &&
        *status.number() - first < lines_.size()) {
      return AtLine(lines_[*status.number() - first],
                    "position " + std::to_string(*status.number()) + ": " +
                        status.message());
    }
    EXEMPLAR_RETURN_IF_ERROR(status);
    imported_ += lines_.size();
    chunk_.clear();
    lines_.clear();
    return Status::Ok();
  }

  std::uint64_t imported() const { return imported_; }
  bool holds_sealed() const { return holds_sealed_; }

 private:
  static Status AtLine(std::uint64_t line, const std::string& message) {
    return Status::InvalidArgument("line " + std::to_string(line) + ": " +
                                   message);
  }

  EventStore* store_;
  std::vector<EventRecord> chunk_;
  std::vector<std::uint64_t> lines_;  // input line of each chunk_ event
  std::uint64_t imported_ = 0;
  bool holds_sealed_ = false;
};

Status ImportLines(std::istream& in, Importer* importer) {
  std::string line;
  std::uint64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    EXEMPLAR_RETURN_IF_ERROR(importer->Add(line, line_number));
  }
  if (in.bad()) return Status::IoError("cannot read the input");
  return importer->Flush();
}

Status CheckEmptyTarget(const fs::path& target, const fs::path& staging) {
  std::error_code error;
  if (fs::exists(target) &&
      (!fs::is_directory(target) || !fs::is_empty(target, error))) {
    return Status::InvalidArgument(
        target.string() + " is not empty: import writes only a new store");
  }
  if (fs::exists(staging)) {
    return Status::InvalidArgument(
        staging.string() +
        " exists (left by an interrupted import?): delete it first");
  }
  return Status::Ok();
}

// Copies the documents exported beside the events into the store at
// `staging`, then checks that every document its log names is there.
Status ImportDocuments(const EventStore& store, const std::string& staging,
                       const ImportOptions& options) {
  const std::string folder = api::DocumentsFolder(staging);
  if (!options.documents_from.empty()) {
    Result<std::size_t> copied = documents::CopyStoredDocuments(
        *documents::DocumentStore::OpenForReading(options.documents_from),
        folder);
    if (!copied.ok()) return copied.status();
  }
  Result<DocumentCheck> checked = CheckRecordedDocuments(
      store, *documents::DocumentStore::OpenForReading(folder));
  if (checked.ok()) return Status::Ok();
  return Status::InvalidArgument(
      checked.status().message() +
      (options.documents_from.empty()
           ? ": pass --documents-from with the documents exported beside the "
             "events"
           : ""));
}

// Imports into `staging`; returns the number of events and the stored root.
Result<std::pair<std::uint64_t, Hash256>> ImportInto(
    const std::string& staging, std::istream& in,
    const ImportOptions& options) {
  auto store = EventStore::Open(staging);
  if (!store.ok()) return store.status();
  if (!options.vault_from.empty()) {
    Result<std::size_t> keys =
        LoadVault(&(*store)->side_store(), options.vault_from);
    if (!keys.ok()) return keys.status();
  }
  Importer importer(store->get());
  EXEMPLAR_RETURN_IF_ERROR(ImportLines(in, &importer));
  if (importer.holds_sealed() && options.vault_from.empty() &&
      !options.personal_values_erased) {
    return Status::InvalidArgument(
        "the export holds sealed personal values and no vault file was "
        "given: pass --vault-from with the vault exported beside it, or "
        "--personal-values-erased to import them as erased");
  }
  EXEMPLAR_RETURN_IF_ERROR(ImportDocuments(**store, staging, options));
  audit::TreeReader tree(**store);
  auto root = tree.Root(importer.imported());
  if (!root.ok()) return root.status();
  return std::make_pair(importer.imported(), *root);
}

}  // namespace

int RunExport(const ExportOptions& options) {
  if (options.format != "jsonl") return Fail("the only format is jsonl");
  if (options.from == 0) return Fail("--from starts at position 1");
  auto store = OpenDataFolder(options.data_dir, StoreAccess::kBesideServer);
  if (!store.ok()) return Fail(store.status().ToString());
  std::uint64_t head = (*store)->head().position;
  std::uint64_t to = options.to == 0 ? head : std::min(options.to, head);
  Result<Head> last = HeadAt(**store, to);
  if (!last.ok()) return Fail(last.status().ToString());

  std::ofstream file;
  if (options.out != "-") {
    file.open(options.out, std::ios::binary | std::ios::trunc);
    if (!file) return Fail("cannot write " + options.out);
  }
  std::ostream& out = options.out == "-" ? std::cout : file;
  audit::IncrementalTree tree;
  bool whole_prefix = options.from == 1;
  Status written =
      WriteEvents(**store, options, *last, out, whole_prefix ? &tree : nullptr);
  if (!written.ok()) return Fail(written.ToString());
  if (!options.vault_to.empty()) {
    Result<std::size_t> keys =
        SaveVault(&(*store)->side_store(), options.vault_to);
    if (!keys.ok()) return Fail(keys.status().ToString());
    std::fprintf(stderr, "%zu vault keys written to %s\n", *keys,
                 options.vault_to.c_str());
  }
  if (!options.documents_to.empty()) {
    Result<std::size_t> copied = documents::CopyStoredDocuments(
        *documents::DocumentStore::OpenForReading(
            api::DocumentsFolder(options.data_dir)),
        options.documents_to);
    if (!copied.ok()) return Fail(copied.status().ToString());
    std::fprintf(stderr, "%zu documents copied to %s\n", *copied,
                 options.documents_to.c_str());
  }
  std::uint64_t count = to >= options.from ? to - options.from + 1 : 0;
  std::fprintf(stderr, "exported %llu events (positions %llu..%llu, head %llu)",
               static_cast<unsigned long long>(count),
               static_cast<unsigned long long>(options.from),
               static_cast<unsigned long long>(to),
               static_cast<unsigned long long>(head));
  if (whole_prefix) {
    std::fprintf(stderr, ", Merkle root %s", ToHex(tree.Root()).c_str());
  }
  std::fprintf(stderr, "\n");
  return 0;
}

int RunImport(const ImportOptions& options) {
  fs::path target = fs::path(options.data_dir).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();  // "dir/"
  fs::path staging = target.string() + ".importing";
  if (Status s = CheckEmptyTarget(target, staging); !s.ok()) {
    return Fail(s.message());
  }
  std::ifstream file;
  if (options.in != "-") {
    file.open(options.in, std::ios::binary);
    if (!file) return Fail("cannot read " + options.in);
  }
  std::istream& in = options.in == "-" ? std::cin : file;

  auto imported = ImportInto(staging.string(), in, options);
  std::error_code error;
  if (!imported.ok()) {
    fs::remove_all(staging, error);
    return Fail("import refused, nothing written to " + target.string() + ": " +
                imported.status().message());
  }
  fs::rename(staging, target, error);
  if (error) {
    return Fail("cannot move " + staging.string() + " to " + target.string() +
                ": " + error.message());
  }
  std::printf("imported %llu events into %s, Merkle root %s\n",
              static_cast<unsigned long long>(imported->first), target.c_str(),
              ToHex(imported->second).c_str());
  return 0;
}

void AddExportImportCommands(CLI::App& app, Commands& commands) {
  auto export_options = std::make_shared<ExportOptions>();
  CLI::App* exporter = app.add_subcommand(
      "export", "Write events with envelope, hash and position as JSON Lines");
  AddDataOption(exporter, &export_options->data_dir);
  exporter->add_option("--from", export_options->from, "First position")
      ->capture_default_str();
  exporter->add_option("--to", export_options->to,
                       "Last position (default: the head)");
  exporter->add_option("--format", export_options->format, "jsonl")
      ->capture_default_str();
  exporter->add_option("--out", export_options->out, "File, or - for stdout")
      ->capture_default_str();
  exporter->add_option("--vault-to", export_options->vault_to,
                       "Also write the key vault to this new file (mode 0600)");
  exporter->add_option("--documents-to", export_options->documents_to,
                       "Also copy the evidence documents, sealed as stored, "
                       "into this folder");
  commands.push_back(
      {exporter, [export_options] { return RunExport(*export_options); }});

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* importer = app.add_subcommand(
      "import", "Rebuild a new store from an export of a whole log");
  importer
      ->add_option("--data", import_options->data_dir,
                   "New data folder (absent or empty)")
      ->required();
  importer->add_option("--in", import_options->in, "File, or - for stdin")
      ->capture_default_str();
  CLI::Option* vault =
      importer->add_option("--vault-from", import_options->vault_from,
                           "The vault file exported with the events");
  importer->add_option("--documents-from", import_options->documents_from,
                       "The folder of evidence documents exported with the "
                       "events");
  importer
      ->add_flag("--personal-values-erased",
                 import_options->personal_values_erased,
                 "Import sealed personal values without their vault: they "
                 "read as erased")
      ->excludes(vault);
  commands.push_back(
      {importer, [import_options] { return RunImport(*import_options); }});
}

}  // namespace exemplar::tools
