#include "crypto/key_file.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "events/private_file.h"
#include "events/sha256.h"

namespace exemplar::crypto {

Result<DataKey> ParseKey(std::string_view text) {
  auto space = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
  };
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  Hash256 bytes;
  if (!FromHex(text, &bytes)) {
    return Status::InvalidArgument(
        "a key is 64 hexadecimal characters (32 bytes)", "key");
  }
  DataKey key;
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

std::string NewKeyText() {
  const DataKey key = NewDataKey();
  Hash256 bytes;
  std::copy(key.begin(), key.end(), bytes.begin());
  return ToHex(bytes);
}

Result<DataKey> LoadKeyFile(const std::string& path) {
  Result<std::string> text = ReadPrivateFile(path);
  if (!text.ok()) return text.status();
  Result<DataKey> key = ParseKey(*text);
  if (!key.ok()) {
    return Status::InvalidArgument(path + ": " + key.status().message(), "key");
  }
  return key;
}

Result<DataKey> LoadOrCreateKeyFile(const std::string& path) {
  Result<DataKey> loaded = LoadKeyFile(path);
  if (loaded.status().code() != StatusCode::kNotFound) return loaded;
  Result<bool> created = CreatePrivateFile(path, NewKeyText() + "\n");
  if (!created.ok()) return created.status();
  return LoadKeyFile(path);
}

Result<MasterKey> LoadMasterKey(const std::string& file,
                                const std::string& data_dir) {
  MasterKey out;
  if (!file.empty()) {
    Result<DataKey> key = LoadKeyFile(file);
    if (!key.ok()) return key.status();
    out.key = *key;
    out.source = file;
    return out;
  }
  if (const char* text = std::getenv(kMasterKeyVariable)) {
    Result<DataKey> key = ParseKey(text);
    if (!key.ok()) {
      return Status::InvalidArgument(std::string(kMasterKeyVariable) + ": " +
                                     key.status().message());
    }
    out.key = *key;
    out.source = kMasterKeyVariable;
    return out;
  }
  out.source = data_dir + "/" + kMasterKeyFileName;
  Result<DataKey> key = LoadOrCreateKeyFile(out.source);
  if (!key.ok()) return key.status();
  out.key = *key;
  out.beside_the_data = true;
  return out;
}

}  // namespace exemplar::crypto
