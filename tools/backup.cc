#include "tools/backup.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "api/service.h"
#include "documents/document_store.h"
#include "engine/audit/signed_head.h"
#include "projections/projections.h"
#include "tools/data_folder.h"
#include "tools/document_check.h"
#include "tools/vault_file.h"

namespace exemplar::tools {
namespace {

namespace fs = std::filesystem;

constexpr char kPublicKeyFile[] = "audit-ed25519.pub.pem";

// Leaves the copy without what opens or shows personal values: the
// vault's keys go to their own file when asked, and the read models, which
// hold names in plain form, are dropped (a server on the copy folds them
// again from the log, with the keys it is given).
Status LeavePersonalValuesSealed(const BackupOptions& options,
                                 EventStore* copy) {
  if (!options.vault_to.empty()) {
    std::filesystem::remove(options.vault_to);  // an earlier attempt's
    Result<std::size_t> keys = SaveVault(&copy->side_store(), options.vault_to);
    if (!keys.ok()) return keys.status();
  }
  EXEMPLAR_RETURN_IF_ERROR(StripVault(&copy->side_store()));
  return projections::Projections::Drop(copy);
}

Result<audit::VerifyReport> CopyAndVerify(
    const BackupOptions& options, const std::string& copy,
    const std::optional<audit::Ed25519PublicKey>& key) {
  {
    auto source = OpenDataFolder(options.data_dir, StoreAccess::kBesideServer);
    if (!source.ok()) return source.status();
    EXEMPLAR_RETURN_IF_ERROR((*source)->Checkpoint(copy));
  }
  // After the checkpoint: a document is stored before the event that
  // records it is appended, so every document the copy's log names is
  // there to copy.
  auto source_documents = documents::DocumentStore::OpenForReading(
      api::DocumentsFolder(options.data_dir));
  Result<std::size_t> copied = documents::CopyStoredDocuments(
      *source_documents, api::DocumentsFolder(copy));
  if (!copied.ok()) return copied.status();
  auto store = OpenDataFolder(copy, StoreAccess::kWriter);
  if (!store.ok()) return store.status();
  EXEMPLAR_RETURN_IF_ERROR(LeavePersonalValuesSealed(options, store->get()));
  auto report = audit::VerifyStore(**store, key);
  if (!report.ok()) return report.status();
  auto documents = CheckRecordedDocuments(
      **store,
      *documents::DocumentStore::OpenForReading(api::DocumentsFolder(copy)));
  if (!documents.ok()) return documents.status();
  return report;
}

Status WriteKeys(const BackupOptions& options,
                 const std::optional<audit::Ed25519PublicKey>& key) {
  if (!key) return Status::Ok();
  fs::path dest(options.dest);
  std::ofstream pem(dest / kPublicKeyFile);
  pem << audit::PublicKeyToPem(*key);
  if (!pem) return Status::IoError("cannot write the public key");
  if (!options.with_signing_key) return Status::Ok();
  std::error_code error;
  fs::copy_file(fs::path(options.data_dir) / kSigningKeyFile,
                dest / kSigningKeyFile, error);
  if (!error) {
    fs::permissions(dest / kSigningKeyFile,
                    fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, error);
  }
  if (error) return Status::IoError("cannot copy the key: " + error.message());
  return Status::Ok();
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

}  // namespace

int RunBackup(const BackupOptions& options) {
  if (fs::exists(options.dest)) {
    return Fail(options.dest +
                " already exists: a backup goes to a new folder");
  }
  if (!options.vault_to.empty() && fs::exists(options.vault_to)) {
    return Fail(options.vault_to +
                " already exists: the vault goes to a new file");
  }
  auto key = DataFolderPublicKey(options.data_dir);
  if (!key.ok()) return Fail(key.status().ToString());
  std::string copy = options.dest + ".partial";
  std::error_code error;
  Result<audit::VerifyReport> report = Status::Internal("no attempt made");
  for (int attempt = 1; attempt <= options.attempts; ++attempt) {
    fs::remove_all(copy, error);
    report = CopyAndVerify(options, copy, *key);
    if (report.ok()) break;
    std::fprintf(stderr, "attempt %d: %s\n", attempt,
                 report.status().ToString().c_str());
    // Only a copy spoiled by the server's concurrent work is worth retrying.
    StatusCode code = report.status().code();
    if (code != StatusCode::kCorruption && code != StatusCode::kIoError) break;
  }
  if (!report.ok()) {
    fs::remove_all(copy, error);
    if (!options.vault_to.empty()) fs::remove(options.vault_to, error);
    return Fail("no verified copy of " + options.data_dir);
  }
  fs::rename(copy, options.dest, error);
  if (error) return Fail("cannot rename the copy: " + error.message());
  if (Status s = WriteKeys(options, *key); !s.ok()) return Fail(s.ToString());
  std::printf(
      "%s%s%s%s\n",
      VerifiedFigures(*report,
                      "backup verified: {events} events, Merkle root "
                      "{root}, {heads} signed heads, in ")
          .c_str(),
      options.dest.c_str(),
      options.with_signing_key ? " (with the private signing key)" : "",
      options.vault_to.empty()
          ? " (without the key vault: its personal values read as erased)"
          : (", key vault in " + options.vault_to).c_str());
  return 0;
}

void AddBackupCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BackupOptions>();
  CLI::App* backup = app.add_subcommand(
      "backup", "Copy a store, even while it is served, and verify the copy");
  AddDataOption(backup, &options->data_dir);
  backup->add_option("--to", options->dest, "New folder for the copy")
      ->required();
  backup->add_flag("--with-signing-key", options->with_signing_key,
                   "Also copy the private signing key (mode 0600)");
  backup->add_option("--vault-to", options->vault_to,
                     "Also write the key vault, wrapped, to this new file "
                     "(mode 0600)");
  backup
      ->add_option("--attempts", options->attempts,
                   "Copies tried before giving up")
      ->capture_default_str();
  commands.push_back({backup, [options] { return RunBackup(*options); }});
}

}  // namespace exemplar::tools
