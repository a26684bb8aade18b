#include "tools/vault_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "crypto/key_vault.h"
#include "engine/workflow/personal_data.h"
#include "events/event_json.h"
#include "projections/projections.h"
#include "tools/data_folder.h"

namespace exemplar::tools {
namespace {

constexpr char kHeaderMember[] = "exemplar_vault";
constexpr int kFormat = 1;

// Creates `path` for writing with mode 0600; kInvalidArgument when it
// exists.
Result<int> CreatePrivateFile(const std::string& path) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  if (errno == EEXIST) {
    return Status::InvalidArgument(path + " exists: a vault file is new");
  }
  return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      return Status::IoError("cannot write " + path + ": " +
                             std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return Status::Ok();
}

std::string EntryLine(std::string_view id, std::string_view wrapped) {
  nlohmann::json line = {{"id", std::string(id)},
                         {"wrapped_base64", Base64Encode(wrapped)}};
  return line.dump() + "\n";
}

Status WriteVault(const VaultKeysInStore& vault, int fd,
                  const std::string& path, std::size_t* keys) {
  nlohmann::json header = {{kHeaderMember, kFormat}};
  std::string buffer = header.dump() + "\n";
  Status written = Status::Ok();
  EXEMPLAR_RETURN_IF_ERROR(
      vault.ForEach([&](std::string_view id, std::string_view wrapped) {
        buffer += EntryLine(id, wrapped);
        if (VaultKeysInStore::IsKey(id)) ++*keys;
        if (buffer.size() >= (1 << 16)) {
          written = WriteAll(fd, buffer, path);
          buffer.clear();
        }
        return written.ok();
      }));
  EXEMPLAR_RETURN_IF_ERROR(written);
  EXEMPLAR_RETURN_IF_ERROR(WriteAll(fd, buffer, path));
  if (::fsync(fd) != 0) return Status::IoError("cannot sync " + path);
  return Status::Ok();
}

using Entries = std::vector<std::pair<std::string, std::string>>;

Status AtLine(const std::string& path, std::size_t line,
              const std::string& message) {
  return Status::InvalidArgument(path + ", line " + std::to_string(line) +
                                 ": " + message);
}

Result<Entries> ReadVaultFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path);
  Entries entries;
  std::string text;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (line == 1) {
      const bool header = json.is_object() && json.contains(kHeaderMember) &&
                          json[kHeaderMember] == kFormat;
      if (!header) {
        return AtLine(path, line, "not a vault file of this build");
      }
      continue;
    }
    if (!json.is_object() || !json.contains("id") || !json["id"].is_string() ||
        !json.contains("wrapped_base64") ||
        !json["wrapped_base64"].is_string()) {
      return AtLine(path, line, "not an entry {\"id\", \"wrapped_base64\"}");
    }
    Result<std::string> wrapped =
        Base64Decode(json["wrapped_base64"].get<std::string>());
    if (!wrapped.ok()) return AtLine(path, line, wrapped.status().message());
    entries.emplace_back(json["id"].get<std::string>(), std::move(*wrapped));
  }
  if (in.bad() || line == 0) {
    return Status::InvalidArgument(path + " is not a vault file");
  }
  return entries;
}

// kInvalidArgument when `side` keeps a check value other than `entries`'.
Status CheckSameVault(VaultKeysInStore& vault, const Entries& entries) {
  Result<std::optional<std::string>> kept = vault.Read(crypto::kVaultCheckId);
  if (!kept.ok()) return kept.status();
  if (!kept->has_value()) return Status::Ok();
  for (const auto& [id, wrapped] : entries) {
    if (id == crypto::kVaultCheckId && wrapped == **kept) return Status::Ok();
  }
  return Status::InvalidArgument(
      "the vault file belongs to another vault than this store's (another "
      "master key or another store)");
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

}  // namespace

Result<std::size_t> SaveVault(SideStore* side, const std::string& path) {
  Result<int> fd = CreatePrivateFile(path);
  if (!fd.ok()) return fd.status();
  std::size_t keys = 0;
  Status written = WriteVault(VaultKeysInStore(side), *fd, path, &keys);
  ::close(*fd);
  if (!written.ok()) {
    std::remove(path.c_str());
    return written;
  }
  return keys;
}

Result<std::size_t> LoadVault(SideStore* side, const std::string& path) {
  Result<Entries> entries = ReadVaultFile(path);
  if (!entries.ok()) return entries.status();
  VaultKeysInStore vault(side);
  EXEMPLAR_RETURN_IF_ERROR(CheckSameVault(vault, *entries));
  std::map<std::string, std::string> marks;  // key id -> mark in the file
  for (const auto& [id, value] : *entries) {
    if (std::string key = VaultKeysInStore::KeyOfMark(id); !key.empty()) {
      marks[std::move(key)] = value;
    }
  }
  SideStore::Batch batch = side->NewBatch();
  std::size_t keys = 0;
  for (const auto& [id, wrapped] : *entries) {
    if (VaultKeysInStore::IsKey(id)) {
      // A key erased since the file was written stays erased.
      Result<bool> erased_here = vault.WasShredded(id, wrapped);
      if (!erased_here.ok()) return erased_here.status();
      const auto mark = marks.find(id);
      const bool erased_there =
          mark != marks.end() &&
          VaultKeysInStore::IsMarkOf(mark->second, wrapped);
      if (*erased_here || erased_there) continue;
      ++keys;
    }
    if (!VaultKeysInStore::KeyOfMark(id).empty()) {
      // Marks add up: the file's must not replace those of later erasures.
      Result<std::optional<std::string>> here =
          side->Get(SideSpace::kVaultKeys, id);
      if (!here.ok()) return here.status();
      batch.Put(SideSpace::kVaultKeys, id,
                VaultKeysInStore::MergedMarks(here->value_or(""), wrapped));
      continue;
    }
    batch.Put(SideSpace::kVaultKeys, id, wrapped);
  }
  EXEMPLAR_RETURN_IF_ERROR(side->Write(&batch, Durability::kSynced));
  return keys;
}

Status StripVault(SideStore* side) {
  return VaultKeysInStore(side).ShredAllKeys();
}

namespace {

int RunVaultExport(const std::string& data_dir, const std::string& file) {
  auto store = OpenDataFolder(data_dir, StoreAccess::kBesideServer);
  if (!store.ok()) return Fail(store.status().ToString());
  Result<std::size_t> keys = SaveVault(&(*store)->side_store(), file);
  if (!keys.ok()) return Fail(keys.status().ToString());
  std::printf("%zu keys written to %s\n", *keys, file.c_str());
  return 0;
}

int RunVaultImport(const std::string& data_dir, const std::string& file) {
  auto store = OpenDataFolder(data_dir, StoreAccess::kWriter);
  if (!store.ok()) return Fail(store.status().ToString());
  Result<std::size_t> keys = LoadVault(&(*store)->side_store(), file);
  if (!keys.ok()) return Fail(keys.status().ToString());
  // The read models showed the values as erased: the next start folds them
  // again, with the keys.
  Status dropped = projections::Projections::Drop(store->get());
  if (!dropped.ok()) return Fail(dropped.ToString());
  std::printf("%zu keys loaded into %s\n", *keys, data_dir.c_str());
  return 0;
}

struct VaultOptions {
  std::string data_dir = "./data";
  std::string file;
};

}  // namespace

void AddVaultCommands(CLI::App& app, Commands& commands) {
  CLI::App* group = CommandGroup(
      app, "vault", "Carry the key vault apart from the store (wrapped keys)");

  auto save = std::make_shared<VaultOptions>();
  CLI::App* exporter = group->add_subcommand(
      "export", "Write the vault's wrapped keys to a new file (mode 0600)");
  AddDataOption(exporter, &save->data_dir);
  exporter->add_option("--out", save->file, "New file")->required();
  commands.push_back({exporter, [save] {
                        return RunVaultExport(save->data_dir, save->file);
                      }});

  auto load = std::make_shared<VaultOptions>();
  CLI::App* importer = group->add_subcommand(
      "import", "Put the keys of a vault file back into a stopped store");
  AddDataOption(importer, &load->data_dir);
  importer->add_option("--in", load->file, "Vault file")->required();
  commands.push_back({importer, [load] {
                        return RunVaultImport(load->data_dir, load->file);
                      }});
}

}  // namespace exemplar::tools
