// Personal data sealed before it enters the log, and opened for readers.
//
// The definition marks which fields of an action hold personal data, whose
// (the exemplar's subject, a commenter, the acting officer) and under which
// retention class (definition.h, PersonalMark). Before a workflow event is
// appended, each marked value is sealed (crypto/field_cipher.h) under the
// key of its (data subject, retention class) from the key vault, bound to
// its place: stream, action, field and item. So is the envelope's `reason`
// when it is taken from a marked field. The hash chain and the Merkle tree
// cover the sealed bytes, so destroying a key later changes no byte of the
// log: its values read as kErasedValue from then on (crypto-shredding).
//
// A sealed value is a string that no plain value can be (plain text never
// holds a NUL byte): NUL, "S1", the subject, NUL, the class, NUL, and the
// sealed bytes. It names its key, so opening needs no definition.
//
// Thread safety: thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/key_vault.h"
#include "engine/event_store.h"
#include "engine/workflow/definition.h"
#include "events/envelope.h"
#include "events/workflow_event.h"

namespace exemplar {

// What a value whose key was destroyed reads as.
inline constexpr std::string_view kErasedValue = "[erased]";

// What a sealed value reads as to a reader without the vault.
inline constexpr std::string_view kWithheldValue = "[withheld]";

// Whether `value` is a sealed value.
bool IsSealed(std::string_view value);
// Whether `record` holds a sealed value: in its envelope or, for a workflow
// event, in its fields.
bool HoldsSealedValue(const EventRecord& record);
// The key a sealed value was sealed under; nullopt for another value.
std::optional<crypto::KeyName> SealedKeyOf(std::string_view value);

// The data subject a commenter's values are kept under: one per comment,
// so that one citizen's comment can be erased alone.
std::string CommenterSubject(std::string_view exemplar_id,
                             std::uint64_t stream_version);
// The data subject an officer's own statements are kept under.
std::string ActorSubject(std::string_view user_id);

// Removes the sealed values from `event` (a list loses its sealed items)
// and returns the names of the fields that held any: what leaves the
// server without the vault (exports, the event stream, the relay).
std::vector<std::string> WithholdSealed(WorkflowEvent* event);

// The hashes of the documents recorded on `stream` whose keys are sealed
// under one of `keys`: the documents an erasure of `keys` leaves
// unreadable, whose files it then removes.
std::vector<std::string> DocumentsSealedUnder(
    const std::vector<EventRecord>& stream,
    const std::vector<crypto::KeyName>& keys);

// The key vault's storage: the store's side store (SideSpace::kVaultKeys),
// so that new keys are written in the batch of the events they seal.
class VaultKeysInStore : public crypto::KeyStorage {
 public:
  // `side` must outlive this.
  explicit VaultKeysInStore(SideStore* side) : side_(side) {}
  // The hashed id (crypto::HashedKeyId), after the time digits of the
  // exemplar id the subject begins with when it has them (ExemplarIdTime):
  // the keys of new exemplars are then appended to the vault in order, as
  // their streams are to the store, instead of landing at random places,
  // which cost more than the rest of storing them. Subjects of the ids
  // drawn before (no time digits) keep the hashed id their keys are under.
  std::string IdOf(const crypto::KeyName& name) const override;
  Result<std::optional<std::string>> Read(std::string_view id) override;
  Status Write(std::string_view id, std::string_view value) override;
  // Deletes, then purges the vault's family (SideStore::Purge), leaving a
  // mark of each id (WasShredded).
  Status Shred(const std::vector<std::string>& ids) override;
  // The entry id and value of the marks saying the key stored under `id`
  // as `wrapped` was shredded: those of its id's earlier keys (an erasure,
  // data recorded again, another erasure) and its own.
  Result<std::pair<std::string, std::string>> MarkFor(
      std::string_view id, std::string_view wrapped) const;
  // The ids of keys still stored in the form their marks name: shredding
  // them was decided, and not done.
  Result<std::vector<std::string>> MarkedButStored() const;

  // Visits every stored entry in id order: keys, the vault's check value
  // and the marks of shredded keys; what a copy of the vault carries.
  Status ForEach(const SideStore::Visit& visit) const;
  // Shreds every key, keeping the check value and the marks: a copy of the
  // store that travels without its keys still tells which master key it
  // needs and which keys were erased.
  Status ShredAllKeys();
  // Whether the key stored under `id` as `wrapped` was shredded here.
  Result<bool> WasShredded(std::string_view id, std::string_view wrapped) const;
  // Whether `mark`, the value of a mark, names the key `wrapped`.
  static bool IsMarkOf(std::string_view mark, std::string_view wrapped);
  // The value of a mark naming what `a` and `b` name.
  static std::string MergedMarks(std::string_view a, std::string_view b);
  // The entry of an erasure not yet complete, and those there are: entry
  // id and the hashes of its documents.
  static std::pair<std::string, std::string> ErasingEntry(
      const std::vector<std::string>& documents);
  Result<std::vector<std::pair<std::string, std::vector<std::string>>>>
  Erasing() const;
  // Drops the entries of erasures now complete.
  Status DropErasing(const std::vector<std::string>& entries);
  // Whether an entry's `id` is a key's (not the check value, not a mark).
  static bool IsKey(std::string_view id);
  // The key id a mark's `id` records; empty when `id` is not a mark.
  static std::string KeyOfMark(std::string_view id);

 private:
  SideStore* side_;
};

class PersonalData;

// What an erasure destroys, decided before its event is appended.
struct Erasure {
  std::string entry;  // its entry in the vault until it is complete
  std::vector<crypto::KeyName> keys;
  std::vector<std::string> documents;  // hashes of the documents' files
};

// Removes the files of the documents whose hashes it is given.
using RemoveDocuments =
    std::function<Status(const std::vector<std::string>& hashes)>;

// `stored`, a value of `event`'s field `field` recorded on `stream_id`, as
// a reader sees it: opened with `personal`, or kWithheldValue when it is
// sealed and `personal` is null.
std::string ReadableField(const PersonalData* personal,
                          std::string_view stream_id,
                          const WorkflowEvent& event, std::string_view field,
                          std::size_t item, std::string_view stored);
// Every sealed value of `event` the same way, in place.
void OpenForReader(const PersonalData* personal, std::string_view stream_id,
                   WorkflowEvent* event);
// The envelope's reason `stored` of an event on `stream_id` the same way.
std::string ReadableReason(const PersonalData* personal,
                           std::string_view stream_id, std::string_view stored);

struct PersonalDataOptions {
  // Staff access records: the remote address of each request's events is
  // sealed under a key of the calendar month (UTC) it was recorded in, and
  // that key is destroyed once the month is older than this many months.
  // Default 12: the addresses of December 2025 go on 1 January 2027.
  int staff_address_months = 12;
};

class PersonalData {
 public:
  // The personal data of the store whose side store is `side` (which must
  // outlive it): its vault, in SideSpace::kVaultKeys, opened or made under
  // `master_key`. Errors as crypto::KeyVault::Open.
  static Result<std::unique_ptr<PersonalData>> Open(
      SideStore* side, const crypto::DataKey& master_key,
      PersonalDataOptions options = {});

  // Seals the marked fields of `payload`, the payload of `event`, one of
  // the events `request` appends, not yet encoded (the caller encodes it
  // after), which will have `version` in an exemplar's stream; and
  // `event`'s reason when it is taken from a marked field. Adds the keys
  // not stored yet to request->vault_keys, and their names to `used`, for
  // Stored once the append succeeded. Returns whether it sealed any value:
  // none on another stream or of another event.
  Result<bool> SealWorkflowEvent(const Definition& definition,
                                 std::uint64_t version, WorkflowEvent* payload,
                                 NewEvent* event, AppendRequest* request,
                                 std::vector<crypto::KeyName>* used);
  // SealWorkflowEvent for each workflow event of `request`, already
  // encoded, whose first event will have `first_version`: each is decoded,
  // sealed and encoded again. Returns the names of the keys to say Stored.
  Result<std::vector<crypto::KeyName>> Seal(const Definition& definition,
                                            std::uint64_t first_version,
                                            AppendRequest* request);
  // Seals the remote address of each of `request`'s events under the key
  // of the month (UTC) it is recorded in, `now_us` for an event that leaves
  // its time to the store, adding to `used` and request->vault_keys as Seal
  // does. The first call in a month of `now_us` first destroys the keys of
  // the months past keeping (ExpireAddresses).
  Status SealAddresses(std::int64_t now_us, AppendRequest* request,
                       std::vector<crypto::KeyName>* used);
  // Destroys the address keys of the months that ended more than
  // staff_address_months before the month of `now_us`. Returns how many
  // months' keys it destroyed.
  Result<int> ExpireAddresses(std::int64_t now_us);
  // Says the keys of a successful append are stored.
  void Stored(const std::vector<crypto::KeyName>& keys);
  // The key staged uploads' records are sealed under
  // (documents::DocumentStore), drawn from the master key.
  crypto::DataKey UploadsKey() const;

  // Opens the sealed values of `event`, recorded on `stream_id`, in place:
  // the plain value when its key is held, kErasedValue when it was
  // destroyed.
  void Open(std::string_view stream_id, WorkflowEvent* event) const;
  // The envelope's reason `stored` of an event on `stream_id`, opened the
  // same way.
  std::string OpenReason(std::string_view stream_id,
                         std::string_view stored) const;
  // The envelope's remote address `stored` of an event on `stream_id`,
  // opened the same way.
  std::string OpenAddress(std::string_view stream_id,
                          std::string_view stored) const;
  // Opens in place, as Open does, the sealed values of `event`'s fields
  // named in `fields`, reading each key they need without remembering it
  // (crypto::KeyVault::FindOnce): for a reader that opens each subject's
  // values once, such as a rebuild's reading thread.
  void OpenOnce(std::string_view stream_id,
                std::initializer_list<std::string_view> fields,
                WorkflowEvent* event) const;
  // One value of `event`'s field `field` (item `item` of a list) as stored,
  // opened the same way.
  std::string OpenField(std::string_view stream_id, const WorkflowEvent& event,
                        std::string_view field, std::size_t item,
                        std::string_view stored) const;

  // When `request` appends an erasing event (an action whose effects erase
  // personal data) to the exemplar whose stream's events are `stream`: the
  // keys of the exemplar's subject and of its commenters in the class the
  // event names, and the documents sealed under them. Adds to
  // request->vault_keys, to be written with the event, a mark of each key's
  // stored form and an entry listing the documents, so that an erasure
  // whose event was stored is finished at the next start
  // (CompleteInterruptedErasures) should the server stop before
  // CompleteErasure. nullopt for another request.
  Result<std::optional<Erasure>> PrepareErasure(
      const Definition& definition, const std::vector<EventRecord>& stream,
      AppendRequest* request);
  // Once the erasing event is stored: destroys the erasure's keys, so that
  // every value sealed under them reads as kErasedValue from now on,
  // removes its documents and drops its entry.
  Status CompleteErasure(const Erasure& erasure,
                         const RemoveDocuments& remove_documents);
  // Finishes the erasures whose events were stored while their keys were
  // not destroyed (the server stopped in between): destroys each marked key
  // still stored in the form its mark names (not one made again since for
  // the same name) and removes the documents. Returns how many erasures it
  // finished.
  Result<int> CompleteInterruptedErasures(
      const RemoveDocuments& remove_documents);

 private:
  PersonalData(std::unique_ptr<VaultKeysInStore> storage,
               std::unique_ptr<crypto::KeyVault> vault,
               PersonalDataOptions options)
      : storage_(std::move(storage)),
        vault_(std::move(vault)),
        options_(options) {}
  std::string OpenValue(std::string_view stored, std::string_view place) const;

  std::unique_ptr<VaultKeysInStore> storage_;
  std::unique_ptr<crypto::KeyVault> vault_;
  const PersonalDataOptions options_;
  // Runs ExpireAddresses at the first call in a month of `now_us`.
  Status ExpireOnceAMonth(std::int64_t now_us);

  std::mutex expiry_mutex_;
  // The month (MonthIndexAt) addresses were last sealed in; -1 at first.
  std::atomic<int> sealing_month_ = -1;
};

}  // namespace exemplar
