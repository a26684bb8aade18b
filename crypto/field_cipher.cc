#include "crypto/field_cipher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace exemplar::crypto {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

struct CipherDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

// AES-256-GCM, fetched from OpenSSL's providers once: EVP_aes_256_gcm()
// would look it up again on every initialisation, which costs more than
// sealing a name.
const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* const cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (fetched == nullptr) std::abort();  // OpenSSL without AES-GCM
    return fetched;
  }();
  return cipher;
}

enum class Direction { kSeal, kOpen };

// A cipher context of this thread with `key` set for `direction`. Setting
// a key costs more than sealing a name (its schedule, GCM's table and
// OpenSSL's parameter handling), and a command seals under the same few
// keys (its subject's, the month's, the master key's): so each thread keeps
// the contexts of the keys it used last and only sets a nonce on them. The
// least recently used goes first, so that a new subject's key in every
// command does not push out the keys every command uses; its context is
// reset, which wipes its key schedule.
EVP_CIPHER_CTX* KeyedContext(const DataKey& key, Direction direction) {
  constexpr std::size_t kKept = 4;
  struct Kept {
    DataKey key{};
    CipherPtr ctx;
  };
  // Most recently used first.
  struct Cache {
    std::array<Kept, kKept> kept;
    ~Cache() {
      for (Kept& k : kept) OPENSSL_cleanse(k.key.data(), k.key.size());
    }
  };
  thread_local std::array<Cache, 2> caches;
  auto& kept = caches[static_cast<int>(direction)].kept;
  auto found = std::find_if(kept.begin(), kept.end(), [&](const Kept& k) {
    return k.ctx && k.key == key;
  });
  const bool hit = found != kept.end();
  if (!hit) found = kept.end() - 1;
  std::rotate(kept.begin(), found, found + 1);
  Kept& front = kept.front();
  if (hit) return front.ctx.get();
  if (!front.ctx) front.ctx.reset(EVP_CIPHER_CTX_new());
  if (!front.ctx) std::abort();
  EVP_CIPHER_CTX_reset(front.ctx.get());
  const int init = direction == Direction::kSeal
                       ? EVP_EncryptInit_ex(front.ctx.get(), Aes256Gcm(),
                                            nullptr, key.data(), nullptr)
                       : EVP_DecryptInit_ex(front.ctx.get(), Aes256Gcm(),
                                            nullptr, key.data(), nullptr);
  // Fails only on memory exhaustion, which the process does not survive.
  if (init != 1) std::abort();
  front.key = key;
  return front.ctx.get();
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* Bytes(std::string& text, std::size_t at) {
  return reinterpret_cast<unsigned char*>(text.data() + at);
}

// Random bytes from OpenSSL's generator, drawn a few kilobytes at a time
// per thread: each call into it costs about as much as sealing a name.
// RAND_bytes fails only when the system's random source does; nothing
// sealed with a predictable nonce may leave, so that ends the process.
void Random(unsigned char* out, std::size_t length) {
  struct Pool {
    std::array<unsigned char, 4096> bytes;
    std::size_t used = 4096;
  };
  thread_local Pool pool;
  while (length > 0) {
    if (pool.used == pool.bytes.size()) {
      if (RAND_bytes(pool.bytes.data(), pool.bytes.size()) != 1) std::abort();
      pool.used = 0;
    }
    const std::size_t taken = std::min(length, pool.bytes.size() - pool.used);
    std::memcpy(out, pool.bytes.data() + pool.used, taken);
    OPENSSL_cleanse(pool.bytes.data() + pool.used, taken);
    pool.used += taken;
    out += taken;
    length -= taken;
  }
}

}  // namespace

DataKey NewDataKey() {
  DataKey key;
  Random(key.data(), key.size());
  return key;
}

std::string Seal(const DataKey& key, std::string_view plain,
                 std::string_view place, std::string_view prefix) {
  std::string sealed(prefix.size() + kSealOverhead + plain.size(), '\0');
  std::copy(prefix.begin(), prefix.end(), sealed.begin());
  const std::size_t at = prefix.size();
  sealed[at] = static_cast<char>(kVersion);
  unsigned char* nonce = Bytes(sealed, at + 1);
  Random(nonce, kNonceBytes);
  EVP_CIPHER_CTX* ctx = KeyedContext(key, Direction::kSeal);
  int length = 0;
  unsigned char none[16];  // GCM's final step writes no bytes
  // With a valid key and nonce length these calls fail only on memory
  // exhaustion, which the process does not survive anyway.
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1 ||
      EVP_EncryptUpdate(ctx, nullptr, &length, Bytes(place),
                        static_cast<int>(place.size())) != 1 ||
      EVP_EncryptUpdate(ctx, Bytes(sealed, at + 1 + kNonceBytes), &length,
                        Bytes(plain), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, none, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          Bytes(sealed, sealed.size() - kTagBytes)) != 1) {
    std::abort();
  }
  return sealed;
}

Result<std::string> Open(const DataKey& key, std::string_view sealed,
                         std::string_view place) {
  if (sealed.size() < kSealOverhead ||
      static_cast<std::uint8_t>(sealed[0]) != kVersion) {
    return Status::InvalidArgument("not a sealed value");
  }
  const std::size_t plain_size = sealed.size() - kSealOverhead;
  std::string plain(plain_size, '\0');
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  EVP_CIPHER_CTX* ctx = KeyedContext(key, Direction::kOpen);
  int length = 0;
  unsigned char none[16];  // GCM's final step writes no bytes
  const bool opened = EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr,
                                         Bytes(sealed.substr(1))) == 1 &&
                      EVP_DecryptUpdate(ctx, nullptr, &length, Bytes(place),
                                        static_cast<int>(place.size())) == 1 &&
                      EVP_DecryptUpdate(ctx, Bytes(plain, 0), &length,
                                        Bytes(sealed.substr(1 + kNonceBytes)),
                                        static_cast<int>(plain_size)) == 1 &&
                      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes,
                                          tag.data()) == 1 &&
                      EVP_DecryptFinal_ex(ctx, none, &length) == 1;
  if (!opened) {
    return Status::PermissionDenied(
        "the sealed value does not open: another key, another place, or "
        "altered bytes");
  }
  return plain;
}

}  // namespace exemplar::crypto
