#include "events/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace exemplar {

namespace {

// Fetched once: EVP_sha256() costs an implicit fetch and a reference count
// per digest, which is most of the time a short input takes.
const EVP_MD* Sha256Method() {
  static EVP_MD* const method = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return method;
}

struct ContextFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Hash256 Sha256(std::initializer_list<std::string_view> parts) {
  // One context per thread, reset by each digest instead of allocated.
  thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> ctx(EVP_MD_CTX_new());
  Hash256 out{};
  EVP_DigestInit_ex2(ctx.get(), Sha256Method(), nullptr);
  for (std::string_view part : parts) {
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  }
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), out.data(), &length);
  return out;
}

std::string ToHex(const Hash256& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (std::uint8_t byte : hash) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xF]);
  }
  return hex;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool FromHex(std::string_view hex, Hash256* out) {
  if (hex.size() != 64) return false;
  for (size_t i = 0; i < 32; ++i) {
    int high = HexValue(hex[2 * i]);
    int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    (*out)[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

}  // namespace exemplar
