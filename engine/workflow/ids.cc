#include "engine/workflow/ids.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string_view>

#include "events/sha256.h"

namespace exemplar {
namespace {

std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

}  // namespace

Result<std::string> RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(bytes)) != 1) {
    return Status::Internal("the random generator failed");
  }
  return Hex(raw);
}

std::string RandomIdHex(std::size_t bytes) {
  thread_local std::mt19937_64 generator = [] {
    std::uint64_t seed = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
      seed = std::random_device{}();
    }
    return std::mt19937_64(seed);
  }();
  std::string raw;
  while (raw.size() < bytes) {
    std::uint64_t word = generator();
    raw.append(reinterpret_cast<const char*>(&word),
               std::min(sizeof word, bytes - raw.size()));
  }
  return Hex(raw);
}

std::string NewExemplarId() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  char time[13];
  std::snprintf(
      time, sizeof time, "%012llx",
      static_cast<unsigned long long>(now.count()) & 0xffffffffffffULL);
  return "ex-" + std::string(time) + RandomIdHex(6);
}

std::optional<std::string_view> ExemplarIdTime(std::string_view id) {
  constexpr std::size_t kSize = 3 + 24;
  if (id.size() < kSize || !id.starts_with("ex-") ||
      (id.size() > kSize && id[kSize] != '#')) {
    return std::nullopt;
  }
  const std::string_view digits = id.substr(3, 24);
  if (digits.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return std::nullopt;
  }
  return digits.substr(0, 12);
}

bool IsOpaqueExemplarId(std::string_view id) {
  const auto hex_digits = [](std::string_view text, bool lower_only) {
    return std::all_of(text.begin(), text.end(), [&](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
             (!lower_only && c >= 'A' && c <= 'F');
    });
  };
  if ((id.size() == 3 + 20 || id.size() == 3 + 24) && id.starts_with("ex-")) {
    return hex_digits(id.substr(3), true);
  }
  if (id.size() != 36) return false;
  for (std::size_t dash : {8, 13, 18, 23}) {
    if (id[dash] != '-') return false;
  }
  return hex_digits(id.substr(0, 8), false) &&
         hex_digits(id.substr(9, 4), false) &&
         hex_digits(id.substr(14, 4), false) &&
         hex_digits(id.substr(19, 4), false) &&
         hex_digits(id.substr(24), false);
}

std::string ExemplarIdForRetry(std::string_view user, std::string_view key) {
  std::string joined;
  for (std::string_view part : {user, key}) {
    joined += std::to_string(part.size()) + ':';
    joined.append(part);
  }
  return "ex-" + ToHex(Sha256({joined})).substr(0, 20);
}

std::string NewGrantId() { return "g-" + RandomIdHex(8); }

std::string NewReorganisationId() { return "reorg-" + RandomIdHex(8); }

Result<std::string> NewTokenId() {
  Result<std::string> hex = RandomHex(8);
  if (!hex.ok()) return hex.status();
  return "tok" + *hex;
}

}  // namespace exemplar
