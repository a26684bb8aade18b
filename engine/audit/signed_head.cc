#include "engine/audit/signed_head.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/internal/layout.h"
#include "events/private_file.h"

namespace exemplar::audit {
namespace {

constexpr std::string_view kHeadMagic = "exemplar-sth-v1";
constexpr size_t kHeadBytesSize = kHeadMagic.size() + 8 + 8 + 32;
constexpr char kDefaultKeyFile[] = "audit-ed25519.pem";

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// The oldest queued OpenSSL error as text; clears the queue.
std::string OpenSslError() {
  char text[256] = "unknown OpenSSL error";
  unsigned long code = ERR_get_error();  // NOLINT: OpenSSL's type
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  ERR_clear_error();
  return text;
}

std::string ErrnoText(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

PkeyPtr RawPublicKey(const Ed25519PublicKey& key) {
  return PkeyPtr(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                             key.data(), key.size()));
}

Result<Ed25519PublicKey> ExtractPublicKey(EVP_PKEY* key) {
  Ed25519PublicKey raw{};
  size_t length = raw.size();
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519 ||
      EVP_PKEY_get_raw_public_key(key, raw.data(), &length) != 1 ||
      length != raw.size()) {
    ERR_clear_error();
    return Status::InvalidArgument("not an Ed25519 key", "key");
  }
  return raw;
}

Result<std::string> PrivateKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                       nullptr, nullptr) != 1) {
    return Status::Internal("cannot encode private key: " + OpenSslError());
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);  // NOLINT: OpenSSL's type
  return std::string(data, static_cast<size_t>(length));
}

std::string EncodeStoredHead(const SignedTreeHead& head) {
  std::string value = SignedTreeHeadBytes(head);
  value.append(reinterpret_cast<const char*>(head.signature.data()),
               head.signature.size());
  return value;
}

Result<SignedTreeHead> DecodeStoredHead(std::string_view value) {
  SignedTreeHead head;
  if (value.size() != kHeadBytesSize + head.signature.size() ||
      value.substr(0, kHeadMagic.size()) != kHeadMagic) {
    return Status::Corruption("stored signed tree head does not decode", 0);
  }
  value.remove_prefix(kHeadMagic.size());
  head.tree_size = layout::ReadBigEndian64(value);
  head.timestamp_us =
      static_cast<std::int64_t>(layout::ReadBigEndian64(value.substr(8)));
  value.remove_prefix(16);
  std::copy_n(value.begin(), head.root_hash.size(), head.root_hash.begin());
  value.remove_prefix(head.root_hash.size());
  std::copy_n(value.begin(), head.signature.size(), head.signature.begin());
  return head;
}

// Decodes a stored head and checks that it sits under its own key (the
// tree size, big-endian, in the side store's signed-head space).
Result<SignedTreeHead> DecodeStoredHeadAt(std::string_view key,
                                          std::string_view value) {
  Result<SignedTreeHead> head = DecodeStoredHead(value);
  if (head.ok() && key != layout::BigEndian64(head->tree_size)) {
    return Status::Corruption("signed tree head is stored under another size",
                              0);
  }
  return head;
}

}  // namespace

std::string SignedTreeHeadBytes(const SignedTreeHead& head) {
  std::string bytes(kHeadMagic);
  layout::AppendBigEndian64(head.tree_size, &bytes);
  layout::AppendBigEndian64(static_cast<std::uint64_t>(head.timestamp_us),
                            &bytes);
  bytes.append(AsBytes(head.root_hash));
  return bytes;
}

Status VerifySignedHead(const SignedTreeHead& head,
                        const Ed25519PublicKey& public_key) {
  PkeyPtr key = RawPublicKey(public_key);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string message = SignedTreeHeadBytes(head);
  bool valid =
      key && ctx &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) ==
          1 &&
      EVP_DigestVerify(ctx.get(), head.signature.data(), head.signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  if (!valid) {
    return Status::InvalidArgument(
        "signature does not verify with the given public key", "signature");
  }
  return Status::Ok();
}

Status VerifyHeadSequence(const std::vector<SignedTreeHead>& heads) {
  for (size_t i = 1; i < heads.size(); ++i) {
    const SignedTreeHead& before = heads[i - 1];
    const SignedTreeHead& head = heads[i];
    std::string where = "head " + std::to_string(i) + ": ";
    if (head.tree_size < before.tree_size) {
      return Status::InvalidArgument(where + "tree size shrinks", "tree_size");
    }
    if (head.timestamp_us <= before.timestamp_us) {
      return Status::InvalidArgument(where + "timestamp does not increase",
                                     "timestamp_us");
    }
    if (head.tree_size == before.tree_size &&
        head.root_hash != before.root_hash) {
      return Status::InvalidArgument(where + "another root for the same size",
                                     "root_hash");
    }
  }
  return Status::Ok();
}

std::string PublicKeyToPem(const Ed25519PublicKey& key) {
  PkeyPtr pkey = RawPublicKey(key);
  BioPtr bio(BIO_new(BIO_s_mem()));
  char* data = nullptr;
  if (!pkey || !bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) {
    ERR_clear_error();
    return {};  // only on allocation failure
  }
  long length = BIO_get_mem_data(bio.get(), &data);  // NOLINT: OpenSSL's type
  return std::string(data, static_cast<size_t>(length));
}

Result<Ed25519PublicKey> PublicKeyFromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr)
                  : nullptr);
  if (!key) {
    ERR_clear_error();
    return Status::InvalidArgument("not a PEM public key", "public_key");
  }
  return ExtractPublicKey(key.get());
}

Result<Ed25519PublicKey> PublicKeyFromHex(std::string_view hex) {
  Ed25519PublicKey key{};
  if (!FromHex(hex, &key)) {
    return Status::InvalidArgument("public key must be 64 hex characters",
                                   "public_key");
  }
  return key;
}

void HeadSigner::KeyDeleter::operator()(evp_pkey_st* key) const {
  EVP_PKEY_free(key);
}

HeadSigner::HeadSigner(KeyPtr key, Ed25519PublicKey public_key,
                       std::string key_path)
    : key_(std::move(key)),
      public_key_(public_key),
      key_path_(std::move(key_path)) {}

HeadSigner::~HeadSigner() = default;

Result<std::unique_ptr<HeadSigner>> HeadSigner::Open(
    const std::string& data_dir, HeadSignerOptions options) {
  bool default_path = options.key_path.empty();
  std::string path =
      default_path ? data_dir + "/" + kDefaultKeyFile : options.key_path;
  bool exists = ::access(path.c_str(), F_OK) == 0;
  if (!exists && !default_path) {
    return Status::NotFound("key file " + path + " does not exist");
  }
  Result<KeyPtr> key = exists ? LoadKey(path) : CreateKey(path);
  if (!key.ok()) return key.status();
  Result<Ed25519PublicKey> public_key = ExtractPublicKey(key->get());
  if (!public_key.ok()) return public_key.status();
  return std::unique_ptr<HeadSigner>(
      new HeadSigner(std::move(key).value(), *public_key, path));
}

Result<HeadSigner::KeyPtr> HeadSigner::LoadKey(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return Status::IoError(ErrnoText("cannot read", path));
  }
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    ERR_clear_error();
    return Status::InvalidArgument(path + " is not an Ed25519 private key",
                                   "key_path");
  }
  return key;
}

Result<HeadSigner::KeyPtr> HeadSigner::CreateKey(const std::string& path) {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Status::Internal("cannot generate key: " + OpenSslError());
  Result<std::string> pem = PrivateKeyPem(key.get());
  if (!pem.ok()) return pem.status();
  // A concurrent creator's key wins: then this one is dropped.
  Result<bool> created = CreatePrivateFile(path, *pem);
  if (!created.ok()) return created.status();
  if (!*created) return LoadKey(path);
  return key;
}

void HeadSigner::ContinueFrom(const SignedTreeHead& last) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_ = last;
}

Result<SignedTreeHead> HeadSigner::Sign(std::uint64_t tree_size,
                                        const Hash256& root_hash,
                                        std::int64_t now_us) {
  std::lock_guard<std::mutex> lock(mutex_);
  SignedTreeHead head{tree_size, root_hash, now_us, {}};
  if (last_) {
    if (tree_size < last_->tree_size) {
      return Status::InvalidArgument("tree size is below the last signed one",
                                     "tree_size");
    }
    if (tree_size == last_->tree_size && root_hash != last_->root_hash) {
      return Status::InvalidArgument(
          "root differs from the one signed for this size", "root_hash");
    }
    head.timestamp_us = std::max(now_us, last_->timestamp_us + 1);
  }
  std::string message = SignedTreeHeadBytes(head);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t length = head.signature.size();
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), head.signature.data(), &length,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return Status::Internal("cannot sign tree head: " + OpenSslError());
  }
  last_ = head;
  return head;
}

Status PutSignedHead(SideStore& side, const SignedTreeHead& head) {
  SideStore::Batch batch = side.NewBatch();
  batch.Put(SideSpace::kSignedHeads, layout::BigEndian64(head.tree_size),
            EncodeStoredHead(head));
  return side.Write(&batch, Durability::kSynced);
}

Result<std::optional<SignedTreeHead>> LoadSignedHead(const SideStore& side,
                                                     std::uint64_t tree_size) {
  const std::string key = layout::BigEndian64(tree_size);
  auto value = side.Get(SideSpace::kSignedHeads, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<SignedTreeHead>();
  Result<SignedTreeHead> head = DecodeStoredHeadAt(key, **value);
  if (!head.ok()) return head.status();
  return std::optional<SignedTreeHead>(*head);
}

Result<std::optional<SignedTreeHead>> LoadLatestSignedHead(
    const SideStore& side) {
  auto last = side.Last(SideSpace::kSignedHeads);
  if (!last.ok()) return last.status();
  if (!last->has_value()) return std::optional<SignedTreeHead>();
  Result<SignedTreeHead> head =
      DecodeStoredHeadAt((*last)->first, (*last)->second);
  if (!head.ok()) return head.status();
  return std::optional<SignedTreeHead>(*head);
}

Result<std::vector<SignedTreeHead>> LoadSignedHeads(const SideStore& side,
                                                    std::uint64_t from_size,
                                                    size_t max_count) {
  std::vector<SignedTreeHead> heads;
  Status failed;
  EXEMPLAR_RETURN_IF_ERROR(
      side.Scan(SideSpace::kSignedHeads, layout::BigEndian64(from_size), "",
                [&](std::string_view key, std::string_view value) {
                  if (heads.size() >= max_count) return false;
                  Result<SignedTreeHead> head = DecodeStoredHeadAt(key, value);
                  if (!head.ok()) {
                    failed = head.status();
                    return false;
                  }
                  heads.push_back(*head);
                  return true;
                }));
  EXEMPLAR_RETURN_IF_ERROR(failed);
  return heads;
}

}  // namespace exemplar::audit
