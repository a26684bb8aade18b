#include "tools/data_folder.h"

#include <filesystem>

#include "events/sha256.h"

namespace exemplar::tools {
namespace {

void ReplaceAll(std::string* text, std::string_view name,
                const std::string& value) {
  for (size_t at = text->find(name); at != std::string::npos;
       at = text->find(name, at + value.size())) {
    text->replace(at, name.size(), value);
  }
}

}  // namespace

Result<std::unique_ptr<EventStore>> OpenDataFolder(const std::string& data_dir,
                                                   StoreAccess access) {
  StoreOptions options;
  options.create_if_missing = false;
  options.read_only = access == StoreAccess::kBesideServer;
  auto store = EventStore::Open(data_dir, options);
  if (store.ok() || store.status().code() != StatusCode::kUnavailable) {
    return store;
  }
  return Status::Unavailable(
      store.status().message() +
      ". This command writes to the store, which one process at a time may "
      "do: stop the server on " +
      data_dir +
      " first, then start it again afterwards (export, backup, audit verify "
      "and replay run beside it)");
}

Result<std::optional<audit::Ed25519PublicKey>> DataFolderPublicKey(
    const std::string& data_dir) {
  if (!std::filesystem::exists(std::filesystem::path(data_dir) /
                               kSigningKeyFile)) {
    return std::optional<audit::Ed25519PublicKey>();
  }
  auto signer = audit::HeadSigner::Open(data_dir);
  if (!signer.ok()) return signer.status();
  return std::optional<audit::Ed25519PublicKey>((*signer)->public_key());
}

std::string VerifiedFigures(const audit::VerifyReport& report,
                            std::string_view pattern) {
  std::string text(pattern);
  ReplaceAll(&text, "{events}", std::to_string(report.events));
  ReplaceAll(&text, "{root}", ToHex(report.root));
  ReplaceAll(&text, "{heads}", std::to_string(report.signed_heads));
  return text;
}

void AddMasterKeyOption(CLI::App* command, std::string* master_key_file) {
  command->add_option("--master-key-file", *master_key_file,
                      "The master key's file (default: EXEMPLAR_MASTER_KEY, "
                      "else the data folder's master.key)");
}

void AddDataOption(CLI::App* command, std::string* data_dir) {
  command->add_option("--data", *data_dir, "Data folder")
      ->capture_default_str();
}

}  // namespace exemplar::tools
