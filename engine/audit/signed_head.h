// Signed tree heads: this server's Ed25519 signature over the Merkle tree's
// size and root at a moment, so that anyone holding the public key can hold
// the log to what it showed them (with consistency proofs between heads).
//
// The signed bytes (SignedTreeHeadBytes), 63 in all:
//   "exemplar-sth-v1"           15 ASCII bytes, the format and version
//   tree_size                   8 bytes big-endian
//   timestamp_us                8 bytes big-endian (two's complement)
//   root_hash                   32 bytes
// The signature is Ed25519 (RFC 8032, pure) over those bytes.
//
// Stored heads live in the side store's kSignedHeads space under tree_size
// big-endian, so they sort by size; the value is the signed bytes followed
// by the 64-byte signature.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/side_store.h"
#include "events/sha256.h"
#include "events/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace exemplar::audit {

using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

struct SignedTreeHead {
  std::uint64_t tree_size = 0;
  Hash256 root_hash{};
  std::int64_t timestamp_us = 0;  // UTC microseconds since the epoch
  Ed25519Signature signature{};

  bool operator==(const SignedTreeHead&) const = default;
};

// The canonical bytes of `head` that are signed (see the top of this file);
// the signature itself is not part of them.
std::string SignedTreeHeadBytes(const SignedTreeHead& head);

// OK when `head.signature` is a valid Ed25519 signature by `public_key` over
// SignedTreeHeadBytes(head). Otherwise kInvalidArgument with field()
// "signature". Thread-safe.
Status VerifySignedHead(const SignedTreeHead& head,
                        const Ed25519PublicKey& public_key);

// OK when `heads`, in the order given, never shrink in tree size, strictly
// increase in timestamp, and never show two roots for one size. Signatures
// are not checked here; see VerifySignedHead. Otherwise kInvalidArgument
// whose message names the index of the first offending head.
Status VerifyHeadSequence(const std::vector<SignedTreeHead>& heads);

// An Ed25519 public key in SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY");
// empty only when OpenSSL cannot allocate.
std::string PublicKeyToPem(const Ed25519PublicKey& key);
// Parses such a PEM. kInvalidArgument when it is not an Ed25519 public key.
Result<Ed25519PublicKey> PublicKeyFromPem(std::string_view pem);
// Parses 64 hex characters of a raw key. kInvalidArgument otherwise.
Result<Ed25519PublicKey> PublicKeyFromHex(std::string_view hex);

struct HeadSignerOptions {
  // The private key's PEM file (PKCS#8, Ed25519). Default empty, meaning
  // "<data_dir>/audit-ed25519.pem", created when missing. A path given here
  // must exist; it is never created.
  std::string key_path;
};

// Signs tree heads with the server's key. Timestamps only increase: when the
// clock reads at or before the last signed time, the head gets the last
// time + 1 microsecond rather than failing, so a clock step back never stops
// the log from publishing heads. Thread-safe.
class HeadSigner {
 public:
  // Loads the key, or creates it in `data_dir` (which must exist): written
  // to a temporary file of mode 0600, synced, then linked into place, so the
  // key file is either absent or complete, and two processes racing both end
  // up with the one that won. Errors: kNotFound (a given key_path does not
  // exist), kInvalidArgument (not an Ed25519 private key), kIoError.
  static Result<std::unique_ptr<HeadSigner>> Open(
      const std::string& data_dir, HeadSignerOptions options = {});
  ~HeadSigner();
  HeadSigner(const HeadSigner&) = delete;
  HeadSigner& operator=(const HeadSigner&) = delete;

  const Ed25519PublicKey& public_key() const { return public_key_; }
  std::string PublicKeyPem() const { return PublicKeyToPem(public_key_); }
  std::string PublicKeyHex() const { return ToHex(public_key_); }
  // Where the private key was loaded from.
  const std::string& key_path() const { return key_path_; }

  // Carries on from `last`, e.g. the latest stored head after a restart, so
  // later heads neither go back in time nor shrink. Its signature is not
  // checked (it may predate a key change).
  void ContinueFrom(const SignedTreeHead& last);

  // Signs the tree of `tree_size` leaves with root `root_hash` at `now_us`
  // (UTC microseconds), or at last time + 1 if that is later. Errors:
  // kInvalidArgument when tree_size is below the last signed size (field
  // "tree_size") or equal to it with another root (field "root_hash");
  // kInternal when OpenSSL fails.
  Result<SignedTreeHead> Sign(std::uint64_t tree_size, const Hash256& root_hash,
                              std::int64_t now_us);

 private:
  struct KeyDeleter {
    void operator()(evp_pkey_st* key) const;
  };
  using KeyPtr = std::unique_ptr<evp_pkey_st, KeyDeleter>;

  HeadSigner(KeyPtr key, Ed25519PublicKey public_key, std::string key_path);
  static Result<KeyPtr> LoadKey(const std::string& path);
  static Result<KeyPtr> CreateKey(const std::string& path);

  const KeyPtr key_;
  const Ed25519PublicKey public_key_;
  const std::string key_path_;
  std::mutex mutex_;
  std::optional<SignedTreeHead> last_;  // guarded by mutex_
};

// Writes `head` (synced) into the side store, replacing a stored head of
// the same size. Errors: kIoError.
Status PutSignedHead(SideStore& side, const SignedTreeHead& head);

// The stored head for `tree_size`; nullopt when there is none. Errors:
// kCorruption (undecodable value), kIoError.
Result<std::optional<SignedTreeHead>> LoadSignedHead(const SideStore& side,
                                                     std::uint64_t tree_size);

// The stored head of the largest tree size; nullopt when none is stored.
// Errors as LoadSignedHead.
Result<std::optional<SignedTreeHead>> LoadLatestSignedHead(
    const SideStore& side);

// Up to `max_count` stored heads with tree size >= `from_size`, by size.
// Errors as LoadSignedHead.
Result<std::vector<SignedTreeHead>> LoadSignedHeads(const SideStore& side,
                                                    std::uint64_t from_size,
                                                    size_t max_count);

}  // namespace exemplar::audit
