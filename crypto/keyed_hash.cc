#include "crypto/keyed_hash.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "events/sha256.h"

namespace exemplar::crypto {

namespace {

Hash256 Mac(const DataKey& key, std::string_view message) {
  Hash256 mac;
  std::size_t length = 0;
  // Fails only when OpenSSL cannot allocate, which the process does not
  // survive anyway.
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(),
                key.size(),
                reinterpret_cast<const unsigned char*>(message.data()),
                message.size(), mac.data(), mac.size(), &length) == nullptr ||
      length != mac.size()) {
    std::abort();
  }
  return mac;
}

}  // namespace

std::string KeyedHashHex(const DataKey& key, std::string_view message) {
  return ToHex(Mac(key, message));
}

DataKey DerivedKey(const DataKey& key, std::string_view purpose) {
  return Mac(key, purpose);
}

}  // namespace exemplar::crypto
