#include "crypto/field_cipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
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

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* Bytes(std::string& text, std::size_t at) {
  return reinterpret_cast<unsigned char*>(text.data() + at);
}

// RAND_bytes fails only when the system's random source does; nothing
// sealed with a predictable nonce may leave, so that ends the process.
void Random(unsigned char* out, int length) {
  if (RAND_bytes(out, length) != 1) std::abort();
}

}  // namespace

DataKey NewDataKey() {
  DataKey key;
  Random(key.data(), static_cast<int>(key.size()));
  return key;
}

std::string Seal(const DataKey& key, std::string_view plain,
                 std::string_view place) {
  std::string sealed(kSealOverhead + plain.size(), '\0');
  sealed[0] = static_cast<char>(kVersion);
  unsigned char* nonce = Bytes(sealed, 1);
  Random(nonce, kNonceBytes);
  CipherPtr ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  unsigned char none[16];  // GCM's final step writes no bytes
  // With a valid key and nonce length these calls fail only on memory
  // exhaustion, which the process does not survive anyway.
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                         nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, Bytes(place),
                        static_cast<int>(place.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), Bytes(sealed, 1 + kNonceBytes), &length,
                        Bytes(plain), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), none, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
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
  CipherPtr ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  unsigned char none[16];  // GCM's final step writes no bytes
  const bool opened =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                         Bytes(sealed.substr(1))) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, Bytes(place),
                        static_cast<int>(place.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), Bytes(plain, 0), &length,
                        Bytes(sealed.substr(1 + kNonceBytes)),
                        static_cast<int>(plain_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), none, &length) == 1;
  if (!opened) {
    return Status::PermissionDenied(
        "the sealed value does not open: another key, another place, or "
        "altered bytes");
  }
  return plain;
}

}  // namespace exemplar::crypto
