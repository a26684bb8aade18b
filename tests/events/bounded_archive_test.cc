#include "events/bounded_archive.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cereal/archives/binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "events/payload_codec.h"

// The largest single request made of operator new in this test binary, so
// that a test can see what a decoder asked the allocator for. The replaced
// pair is malloc and free, which GCC cannot see through once inlined.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<std::size_t> largest_request{0};
}  // namespace

void* operator new(std::size_t size) {
  std::size_t seen = largest_request.load(std::memory_order_relaxed);
  while (size > seen && !largest_request.compare_exchange_weak(seen, size)) {
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace exemplar {
namespace {

struct Sample {
  std::uint32_t number = 0;
  std::string name;
  std::vector<std::string> tags;
  std::map<std::string, std::variant<std::int64_t, std::string>> fields;
  std::array<std::uint8_t, 4> digest{};

  bool operator==(const Sample&) const = default;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(number, name, tags, fields, digest);
  }
};

Sample Filled() {
  Sample sample;
  sample.number = 42;
  sample.name = "Nguyễn Thị Hoa";
  sample.tags = {"điển hình", "", "tiên tiến"};
  sample.fields = {{"year", std::int64_t{2025}}, {"unit", std::string("xa")}};
  sample.digest = {1, 2, 3, 4};
  return sample;
}

// The byte offset of `name`'s length: right after the uint32 number.
constexpr std::size_t kNameLengthOffset = 4;

std::string WithLength(std::string bytes, std::size_t offset,
                       std::uint64_t length) {
  std::memcpy(bytes.data() + offset, &length, sizeof(length));
  return bytes;
}

TEST(BoundedInputArchiveTest, ReadsWhatCerealsBinaryArchiveWrites) {
  const std::string bytes = EncodePayload(Filled());
  Sample decoded;
  BoundedInputArchive archive(bytes);
  archive(decoded);
  EXPECT_EQ(decoded, Filled());
  EXPECT_EQ(archive.remaining(), 0u);

  Sample through_cereal;
  std::istringstream in(bytes, std::ios::binary);
  cereal::BinaryInputArchive reference(in);
  reference(through_cereal);
  EXPECT_EQ(decoded, through_cereal);
}

TEST(BoundedInputArchiveTest, ALengthBeyondTheBytesIsRefusedBeforeAllocating) {
  const std::string bytes = EncodePayload(Filled());
  // cereal's own archive would resize the string to each of these first.
  for (std::uint64_t length :
       {std::uint64_t{bytes.size()}, std::uint64_t{1} << 30,
        std::uint64_t{1} << 62, ~std::uint64_t{0}}) {
    Result<Sample> decoded =
        DecodeExactLayout<Sample>(WithLength(bytes, kNameLengthOffset, length));
    ASSERT_FALSE(decoded.ok()) << length;
    EXPECT_NE(decoded.status().message().find(
                  "length " + std::to_string(length) + " exceeds the"),
              std::string::npos)
        << decoded.status().ToString();
  }
}

TEST(BoundedInputArchiveTest, AnElementCountBeyondTheBytesIsRefused) {
  const std::string bytes = EncodePayload(Filled());
  const std::size_t tags_count_offset =
      kNameLengthOffset + 8 + Filled().name.size();
  Result<Sample> decoded = DecodeExactLayout<Sample>(
      WithLength(bytes, tags_count_offset, std::uint64_t{1} << 40));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("exceeds the"), std::string::npos)
      << decoded.status().ToString();
}

TEST(BoundedInputArchiveTest, NoLengthAsksTheAllocatorForMoreThanTheBytes) {
  const std::string bytes = EncodePayload(Filled());
  const std::string corrupt =
      WithLength(bytes, kNameLengthOffset, std::uint64_t{1} << 32);
  largest_request = 0;
  EXPECT_FALSE(DecodeExactLayout<Sample>(corrupt).ok());
  EXPECT_LT(largest_request.load(), std::size_t{1} << 20);
}

TEST(BoundedInputArchiveTest, TruncatedBytesAreRefusedAtEveryLength) {
  const std::string bytes = EncodePayload(Filled());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(DecodeExactLayout<Sample>(bytes.substr(0, size)).ok()) << size;
  }
  EXPECT_FALSE(DecodeExactLayout<Sample>(bytes + '\0').ok());
}

}  // namespace
}  // namespace exemplar
