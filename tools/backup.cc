#include "tools/backup.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "engine/audit/signed_head.h"
#include "engine/audit/verify.h"
#include "engine/event_store.h"

namespace exemplar::tools {
namespace {

namespace fs = std::filesystem;

constexpr char kPrivateKeyFile[] = "audit-ed25519.pem";
constexpr char kPublicKeyFile[] = "audit-ed25519.pub.pem";

// The public key of the data folder's signing key; nullopt when the store
// has never been served (no key, no signed heads).
Result<std::optional<audit::Ed25519PublicKey>> SourcePublicKey(
    const std::string& data_dir) {
  if (!fs::exists(fs::path(data_dir) / kPrivateKeyFile)) {
    return std::optional<audit::Ed25519PublicKey>();
  }
  auto signer = audit::HeadSigner::Open(data_dir);
  if (!signer.ok()) return signer.status();
  return std::optional<audit::Ed25519PublicKey>((*signer)->public_key());
}

Result<audit::VerifyReport> CopyAndVerify(
    const BackupOptions& options, const std::string& copy,
    const std::optional<audit::Ed25519PublicKey>& key) {
  {
    StoreOptions follower;
    follower.read_only = true;
    auto source = EventStore::Open(options.data_dir, follower);
    if (!source.ok()) return source.status();
    EXEMPLAR_RETURN_IF_ERROR((*source)->Checkpoint(copy));
  }
  StoreOptions copy_options;
  copy_options.create_if_missing = false;
  auto store = EventStore::Open(copy, copy_options);
  if (!store.ok()) return store.status();
  return audit::VerifyStore(**store, key);
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
  fs::copy_file(fs::path(options.data_dir) / kPrivateKeyFile,
                dest / kPrivateKeyFile, error);
  if (!error) {
    fs::permissions(dest / kPrivateKeyFile,
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
  auto key = SourcePublicKey(options.data_dir);
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
    return Fail("no verified copy of " + options.data_dir);
  }
  fs::rename(copy, options.dest, error);
  if (error) return Fail("cannot rename the copy: " + error.message());
  if (Status s = WriteKeys(options, *key); !s.ok()) return Fail(s.ToString());
  std::printf(
      "backup verified: %llu events, Merkle root %s, %llu signed heads, in "
      "%s%s\n",
      static_cast<unsigned long long>(report->events),
      ToHex(report->root).c_str(),
      static_cast<unsigned long long>(report->signed_heads),
      options.dest.c_str(),
      options.with_signing_key ? " (with the private signing key)" : "");
  return 0;
}

void AddBackupCommand(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<BackupOptions>();
  CLI::App* backup = app.add_subcommand(
      "backup", "Copy a store, even while it is served, and verify the copy");
  backup->add_option("--data", options->data_dir, "Data folder")
      ->capture_default_str();
  backup->add_option("--to", options->dest, "New folder for the copy")
      ->required();
  backup->add_flag("--with-signing-key", options->with_signing_key,
                   "Also copy the private signing key (mode 0600)");
  backup
      ->add_option("--attempts", options->attempts,
                   "Copies tried before giving up")
      ->capture_default_str();
  commands.push_back({backup, [options] { return RunBackup(*options); }});
}

}  // namespace exemplar::tools
