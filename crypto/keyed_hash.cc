#include "crypto/keyed_hash.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "events/sha256.h"

namespace exemplar::crypto {

std::string KeyedHashHex(const DataKey& key, std::string_view message) {
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
  return ToHex(mac);
}

}  // namespace exemplar::crypto
