// The side store: derived state that lives beside the log in the store's
// database (read models, the relay's checkpoint, signed tree heads), kept by
// the store so that no one else reaches into its storage.
//
// Each user has a space of its own, a key range that no other space's keys
// fall in, so a scan of one never meets another's entries. The spaces keep
// the column families and key bytes stores have always had
// (docs/architecture.md, "Storage layout"), so an existing store reads the
// same:
//   kProjectionRows          family "projections", keys as given
//   kProjectionCheckpoints   family "meta", under "projection_checkpoint\0"
//   kRelayCheckpoints        family "meta", under "relay/"
//   kSignedHeads             family "audit", under "h"
//   kPasswords               family "meta", under "password/"
//   kWebSessions             family "meta", under "session/"
//   kVaultKeys               family "vault", keys as given
// Keys passed in and handed out never carry the space's prefix.
//
// Durability is chosen per write (Durability): kSynced returns once the
// write is on disk; kBuffered once it is in the write-ahead log's buffer,
// so it survives the process but a machine crash may lose it. Either way a
// batch is written whole or not at all.
//
// Thread safety: every method may be called from any thread; a Batch
// belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "events/status.h"

namespace exemplar {

enum class SideSpace {
  kProjectionRows,
  kProjectionCheckpoints,
  kRelayCheckpoints,
  kSignedHeads,
  kPasswords,    // user id -> the password's Argon2id hash (api/passwords.h)
  kWebSessions,  // session secret's hash -> session (api/web_sessions.h)
  kVaultKeys,    // stored key id -> wrapped key (crypto/key_vault.h)
};

enum class Durability {
  kSynced,    // on disk before Write returns
  kBuffered,  // survives the process, not necessarily the machine
};

// Positions in keys and values are 8 bytes big-endian, so that keys sort
// by number: the encoding the spaces have always used.
std::string EncodePosition(std::uint64_t position);
// Reads the first 8 bytes of `bytes` (fewer when it is shorter).
std::uint64_t DecodePosition(std::string_view bytes);

class SideStore {
 public:
  struct Impl;  // engine/internal/side_store_impl.h

  // Writes gathered to be written together. Reusable: Write clears it and
  // keeps its buffer.
  class Batch {
   public:
    ~Batch();
    Batch(Batch&&) noexcept;
    Batch& operator=(Batch&&) noexcept;

    void Put(SideSpace space, std::string_view key, std::string_view value);
    void Delete(SideSpace space, std::string_view key);
    // Deletes the keys in [begin, end).
    void DeleteRange(SideSpace space, std::string_view begin,
                     std::string_view end);
    bool empty() const;
    void Clear();

   private:
    friend class SideStore;
    struct Writes;
    explicit Batch(const Impl* store);
    const Impl* store_;
    std::unique_ptr<Writes> writes_;
  };

  // Calls visit(key, value) in key order until it returns false.
  using Visit =
      std::function<bool(std::string_view key, std::string_view value)>;

  explicit SideStore(std::unique_ptr<Impl> impl);
  ~SideStore();
  SideStore(const SideStore&) = delete;
  SideStore& operator=(const SideStore&) = delete;

  // An empty batch for this store.
  Batch NewBatch() const;
  // Writes `batch` whole, then clears it. Errors: kIoError.
  Status Write(Batch* batch, Durability durability);

  // The value under `key`; nullopt when there is none. Errors: kIoError.
  Result<std::optional<std::string>> Get(SideSpace space,
                                         std::string_view key) const;
  // Visits the entries of `space` with keys in [begin, end) in key order;
  // an empty `end` means to the end of the space. Errors: kIoError.
  Status Scan(SideSpace space, std::string_view begin, std::string_view end,
              const Visit& visit) const;
  // The same entries in reverse key order, from the greatest key below
  // `end` down to `begin`.
  Status ScanBackward(SideSpace space, std::string_view begin,
                      std::string_view end, const Visit& visit) const;
  // The entry of `space` with the greatest key; nullopt when it is empty.
  Result<std::optional<std::pair<std::string, std::string>>> Last(
      SideSpace space) const;

  // Writes what `spaces` hold in memory to their files, so that the
  // write-ahead log behind them may be recycled and a restart does not
  // replay it. Errors: kIoError.
  Status Flush(std::initializer_list<SideSpace> spaces);

  // Makes what was deleted or overwritten in `spaces` physically gone:
  // every family is flushed, so that no write-ahead log still holds an old
  // value, then the families of `spaces` are compacted whole, so that no
  // table does. Slow (it rewrites those families); for erasure.
  // Errors: kIoError.
  Status Purge(std::initializer_list<SideSpace> spaces);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace exemplar
