#include "engine/workflow/personal_data.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "engine/workflow/ids.h"
#include "engine/workflow/stream_ids.h"
#include "events/civil_date.h"
#include "events/payload_codec.h"
#include "events/sha256.h"
#include "events/workflow_documents.h"

namespace exemplar {
namespace {

constexpr std::string_view kSealedMark{"\0S1", 3};
// What a value whose key cannot be read (an error of the vault, not an
// erasure) reads as.
constexpr std::string_view kUnreadableValue = "[unreadable]";

struct SealedParts {
  crypto::KeyName key;
  std::string_view sealed;
};

std::optional<SealedParts> Parse(std::string_view value) {
  if (!value.starts_with(kSealedMark)) return std::nullopt;
  value.remove_prefix(kSealedMark.size());
  const std::size_t subject_end = value.find('\0');
  if (subject_end == std::string_view::npos) return std::nullopt;
  const std::size_t class_end = value.find('\0', subject_end + 1);
  if (class_end == std::string_view::npos) return std::nullopt;
  return SealedParts{
      {std::string(value.substr(0, subject_end)),
       std::string(value.substr(subject_end + 1, class_end - subject_end - 1))},
      value.substr(class_end + 1)};
}

// `sealed` as a reader sees it, opened under `key` at `place`: the plain
// value, kErasedValue when the key was destroyed, kUnreadableValue when
// the key cannot be read or the value does not open.
std::string Readable(const Result<crypto::DataKey>& key,
                     std::string_view sealed, std::string_view place) {
  if (key.status().code() == StatusCode::kNotFound) {
    return std::string(kErasedValue);
  }
  if (!key.ok()) return std::string(kUnreadableValue);
  Result<std::string> plain = crypto::Open(*key, sealed, place);
  return plain.ok() ? std::move(*plain) : std::string(kUnreadableValue);
}

// What a value sealed under `key` is stored after: it names its key.
std::string StoredPrefix(const crypto::KeyName& key) {
  std::string out(kSealedMark);
  out.append(key.subject).push_back('\0');
  out.append(key.retention_class).push_back('\0');
  return out;
}

// Where a field's value belongs; `item` numbers a list's values, and
// `part` names a document's name or key.
std::string FieldPlace(std::string_view stream_id, std::string_view action,
                       std::string_view field, std::size_t item,
                       std::string_view part = {}) {
  std::string place(stream_id);
  place.append("\n").append(action).append("\n").append(field);
  place.append("\n").append(std::to_string(item));
  if (!part.empty()) place.append("\n").append(part);
  return place;
}

// Calls visit(text, item, part) for each text of `value` that may be
// sealed: a string (item 0), each string of a list, and the name and key of
// each document (part "name", "key"); `Value` is FieldValue, const or not.
template <class Value, class Visit>
void ForEachText(Value& value, const Visit& visit) {
  using Text = std::conditional_t<std::is_const_v<Value>, const std::string,
                                  std::string>;
  using Documents =
      std::conditional_t<std::is_const_v<Value>, const std::vector<DocumentRef>,
                         std::vector<DocumentRef>>;
  using Texts =
      std::conditional_t<std::is_const_v<Value>, const std::vector<std::string>,
                         std::vector<std::string>>;
  if (Text* text = std::get_if<std::string>(&value)) {
    visit(*text, std::size_t{0}, std::string_view());
  } else if (Texts* items = std::get_if<std::vector<std::string>>(&value)) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      visit((*items)[i], i, std::string_view());
    }
  } else if (Documents* documents =
                 std::get_if<std::vector<DocumentRef>>(&value)) {
    for (std::size_t i = 0; i < documents->size(); ++i) {
      visit((*documents)[i].name, i, std::string_view("name"));
      visit((*documents)[i].key, i, std::string_view("key"));
    }
  }
}

// What the data subjects of an exemplar's commenters begin with.
std::string CommentersOf(std::string_view exemplar_id) {
  return std::string(exemplar_id) + "#comment-";
}

std::string ReasonPlace(std::string_view stream_id) {
  return std::string(stream_id) + "\nreason";
}

std::string AddressPlace(std::string_view stream_id) {
  return std::string(stream_id) + "\nremote_address";
}

// Staff access records: one key per calendar month, named by the month.
constexpr std::string_view kAccessClass = "staff_access";
constexpr std::string_view kAccessSubjectPrefix = "staff-access:";

// Months since year 0 of the UTC month holding `unix_us`.
int MonthIndexAt(std::int64_t unix_us) {
  namespace chrono = std::chrono;
  const chrono::year_month_day date{chrono::sys_days{
      chrono::days{CivilDate::AtInstant(unix_us, 0).days_since_epoch}}};
  return static_cast<int>(date.year()) * 12 +
         static_cast<int>(static_cast<unsigned>(date.month())) - 1;
}

// The key of a month's staff access records: named once per thread and
// month, since every command seals an address.
const crypto::KeyName& AccessKey(int month_index) {
  thread_local std::pair<int, crypto::KeyName> named{-1, {}};
  if (named.first != month_index) {
    char month[16];
    std::snprintf(month, sizeof month, "%04d-%02d", month_index / 12,
                  month_index % 12 + 1);
    named = {
        month_index,
        {std::string(kAccessSubjectPrefix) + month, std::string(kAccessClass)}};
  }
  return named.second;
}

// One command's sealing (all its events): its keys come from `vault`, and the
// names of the keys it used gather in `used`.
class EventSealer {
 public:
  EventSealer(crypto::KeyVault* vault, AppendRequest* request,
              std::vector<crypto::KeyName>* used)
      : vault_(vault), request_(request), used_(used) {}

  // `surely_new`: as crypto::KeyVault::KeyFor.
  Result<std::string> Seal(const crypto::KeyName& key, std::string_view plain,
                           std::string_view place, bool surely_new = false) {
    // An event's values mostly share one key: asked of the vault once.
    if (!last_ || last_->name != key) {
      Result<crypto::DataKey> data_key = KeyFor(key, surely_new);
      if (!data_key.ok()) return data_key.status();
      last_ = Last{key, *data_key, StoredPrefix(key)};
    }
    return crypto::Seal(last_->key, plain, place, last_->prefix);
  }

  // Seals `value` of a field marked for `key`, in place.
  Status SealField(const crypto::KeyName& key, std::string_view action,
                   std::string_view field, FieldValue* value, bool surely_new) {
    const std::string& stream = request_->stream_id;
    Status status = Status::Ok();
    ForEachText(*value, [&](std::string& text, std::size_t item,
                            std::string_view part) {
      if (!status.ok()) return;
      Result<std::string> sealed = Seal(
          key, text, FieldPlace(stream, action, field, item, part), surely_new);
      if (!sealed.ok()) status = sealed.status();
      if (sealed.ok()) text = std::move(*sealed);
    });
    return status;
  }

 private:
  // The key of `key` from the vault; a new one's stored form goes into the
  // request, and its name into `used_`.
  Result<crypto::DataKey> KeyFor(const crypto::KeyName& key, bool surely_new) {
    std::vector<crypto::StoredKey> to_store;
    Result<crypto::DataKey> data_key =
        vault_->KeyFor(key, &to_store, surely_new);
    if (!data_key.ok()) return data_key.status();
    for (crypto::StoredKey& stored : to_store) {
      auto& keys = request_->vault_keys;
      const bool listed =
          std::any_of(keys.begin(), keys.end(),
                      [&](const auto& key) { return key.first == stored.id; });
      if (!listed)
        keys.emplace_back(std::move(stored.id), std::move(stored.wrapped));
    }
    // Named for Stored only when not known to be stored (a new subject's,
    // not the month's every command uses), and once: each name costs a
    // lookup there, on the sequencer thread.
    if (!to_store.empty() &&
        std::find(used_->begin(), used_->end(), key) == used_->end()) {
      used_->push_back(key);
    }
    return data_key;
  }

  crypto::KeyVault* vault_;
  AppendRequest* request_;
  std::vector<crypto::KeyName>* used_;
  // The key the last value was sealed under.
  struct Last {
    crypto::KeyName name;
    crypto::DataKey key;
    std::string prefix;  // StoredPrefix(name)
  };
  std::optional<Last> last_;
};

crypto::KeyName KeyOf(const PersonalMark& mark, std::string_view exemplar_id,
                      std::uint64_t version, const NewEvent& event) {
  switch (mark.of) {
    case PersonalOf::kCommenter:
      return {CommenterSubject(exemplar_id, version), mark.retention_class};
    case PersonalOf::kActor:
      return {ActorSubject(event.actor.user_id), mark.retention_class};
    case PersonalOf::kSubject:
      break;
  }
  return {std::string(exemplar_id), mark.retention_class};
}

}  // namespace

bool IsSealed(std::string_view value) {
  // Parse, without copying the key's name: asked of every value read.
  if (!value.starts_with(kSealedMark)) return false;
  const std::size_t subject_end = value.find('\0', kSealedMark.size());
  return subject_end != std::string_view::npos &&
         value.find('\0', subject_end + 1) != std::string_view::npos;
}

bool HoldsSealedValue(const EventRecord& record) {
  if (IsSealed(record.reason) || IsSealed(record.remote_address)) return true;
  Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
  if (!event.ok()) return false;  // not a workflow event
  bool sealed = false;
  for (const auto& [name, value] : event->fields) {
    ForEachText(value, [&](const std::string& text, std::size_t,
                           std::string_view) { sealed |= IsSealed(text); });
  }
  return sealed;
}

std::optional<crypto::KeyName> SealedKeyOf(std::string_view value) {
  std::optional<SealedParts> parts = Parse(value);
  if (!parts) return std::nullopt;
  return parts->key;
}

std::string CommenterSubject(std::string_view exemplar_id,
                             std::uint64_t stream_version) {
  return CommentersOf(exemplar_id) + std::to_string(stream_version);
}

std::string ActorSubject(std::string_view user_id) {
  return "user:" + std::string(user_id);
}

std::vector<std::string> DocumentsSealedUnder(
    const std::vector<EventRecord>& stream,
    const std::vector<crypto::KeyName>& keys) {
  std::vector<std::string> hashes;
  for (const EventRecord& record : stream) {
    Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
    if (!event.ok()) continue;  // a transfer
    for (const DocumentRef* document : DocumentsOf(*event)) {
      std::optional<crypto::KeyName> key = SealedKeyOf(document->key);
      if (key && std::find(keys.begin(), keys.end(), *key) != keys.end()) {
        hashes.push_back(document->hash);
      }
    }
  }
  return hashes;
}

std::vector<std::string> WithholdSealed(WorkflowEvent* event) {
  std::vector<std::string> withheld;
  for (auto it = event->fields.begin(); it != event->fields.end();) {
    bool held = false;
    if (auto* text = std::get_if<std::string>(&it->second)) {
      held = IsSealed(*text);
    } else if (auto* items =
                   std::get_if<std::vector<std::string>>(&it->second)) {
      const std::size_t before = items->size();
      std::erase_if(*items, [](const std::string& v) { return IsSealed(v); });
      held = items->size() != before;
    } else if (auto* documents =
                   std::get_if<std::vector<DocumentRef>>(&it->second)) {
      // The hash, size and type say nothing of the content; the name and
      // the key go.
      for (DocumentRef& document : *documents) {
        held |= IsSealed(document.name) || IsSealed(document.key);
        if (IsSealed(document.name)) document.name.clear();
        if (IsSealed(document.key)) document.key.clear();
      }
    }
    if (held) withheld.push_back(it->first);
    if (held && std::holds_alternative<std::string>(it->second)) {
      it = event->fields.erase(it);
    } else {
      ++it;
    }
  }
  return withheld;
}

std::string VaultKeysInStore::IdOf(const crypto::KeyName& name) const {
  std::string id = crypto::HashedKeyId(name);
  if (std::optional<std::string_view> time = ExemplarIdTime(name.subject)) {
    return std::string(*time).append("-").append(id);
  }
  return id;
}

Result<std::optional<std::string>> VaultKeysInStore::Read(std::string_view id) {
  return side_->Get(SideSpace::kVaultKeys, id);
}

Status VaultKeysInStore::Write(std::string_view id, std::string_view value) {
  SideStore::Batch batch = side_->NewBatch();
  batch.Put(SideSpace::kVaultKeys, id, value);
  return side_->Write(&batch, Durability::kSynced);
}

namespace {

// What a shredded key leaves in the vault: under its id with this prefix,
// a hash of its stored form, so that loading an older copy of the vault
// does not bring that key back, while a key made for the same name later
// (data recorded after an erasure) still loads.
constexpr std::string_view kShreddedPrefix = "erased/";
// An erasure whose event is stored and whose keys may not be destroyed
// yet, under this prefix and a random id: the hashes of its documents, one
// per line.
constexpr std::string_view kErasingPrefix = "erasing/";

std::string MarkOf(std::string_view wrapped) {
  return ToHex(Sha256({"exemplar-vault-v1 shredded\n", wrapped}));
}

Status DeleteAndPurge(SideStore* side, const std::vector<std::string>& ids,
                      bool leave_marks) {
  SideStore::Batch batch = side->NewBatch();
  for (const std::string& id : ids) {
    if (leave_marks) {
      Result<std::optional<std::string>> wrapped =
          side->Get(SideSpace::kVaultKeys, id);
      if (!wrapped.ok()) return wrapped.status();
      if (wrapped->has_value()) {
        auto mark = VaultKeysInStore(side).MarkFor(id, **wrapped);
        if (!mark.ok()) return mark.status();
        batch.Put(SideSpace::kVaultKeys, mark->first, mark->second);
      }
    }
    batch.Delete(SideSpace::kVaultKeys, id);
  }
  EXEMPLAR_RETURN_IF_ERROR(side->Write(&batch, Durability::kSynced));
  return side->Purge({SideSpace::kVaultKeys});
}

// The entries of `side`'s vault whose ids begin with `prefix`.
Status ScanPrefix(const SideStore* side, std::string_view prefix,
                  const SideStore::Visit& visit) {
  std::string end(prefix);
  ++end.back();  // the prefixes end in '/': the next id past them
  return side->Scan(SideSpace::kVaultKeys, prefix, end, visit);
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

}  // namespace

Result<std::pair<std::string, std::string>> VaultKeysInStore::MarkFor(
    std::string_view id, std::string_view wrapped) const {
  std::string mark_id = std::string(kShreddedPrefix).append(id);
  Result<std::optional<std::string>> before =
      side_->Get(SideSpace::kVaultKeys, mark_id);
  if (!before.ok()) return before.status();
  return std::pair(std::move(mark_id),
                   MergedMarks(before->value_or(""), MarkOf(wrapped)));
}

std::string VaultKeysInStore::MergedMarks(std::string_view a,
                                          std::string_view b) {
  std::set<std::string> marks;
  for (const std::string& line : Lines(a)) marks.insert(line);
  for (const std::string& line : Lines(b)) marks.insert(line);
  std::string merged;
  for (const std::string& mark : marks) {
    merged.append(merged.empty() ? "" : "\n").append(mark);
  }
  return merged;
}

Result<std::vector<std::string>> VaultKeysInStore::MarkedButStored() const {
  std::vector<std::pair<std::string, std::string>> marks;
  EXEMPLAR_RETURN_IF_ERROR(ScanPrefix(
      side_, kShreddedPrefix, [&](std::string_view id, std::string_view mark) {
        marks.emplace_back(KeyOfMark(id), mark);
        return true;
      }));
  std::vector<std::string> ids;
  for (const auto& [id, mark] : marks) {
    Result<std::optional<std::string>> wrapped =
        side_->Get(SideSpace::kVaultKeys, id);
    if (!wrapped.ok()) return wrapped.status();
    if (wrapped->has_value() && IsMarkOf(mark, **wrapped)) ids.push_back(id);
  }
  return ids;
}

std::pair<std::string, std::string> VaultKeysInStore::ErasingEntry(
    const std::vector<std::string>& documents) {
  const crypto::DataKey random = crypto::NewDataKey();
  std::string listed;
  for (const std::string& hash : documents) listed.append(hash).append("\n");
  const std::string_view bytes(reinterpret_cast<const char*>(random.data()),
                               random.size());
  return {std::string(kErasingPrefix) + ToHex(Sha256({bytes})).substr(0, 32),
          listed};
}

Result<std::vector<std::pair<std::string, std::vector<std::string>>>>
VaultKeysInStore::Erasing() const {
  std::vector<std::pair<std::string, std::vector<std::string>>> erasing;
  EXEMPLAR_RETURN_IF_ERROR(ScanPrefix(
      side_, kErasingPrefix, [&](std::string_view id, std::string_view value) {
        erasing.emplace_back(std::string(id), Lines(value));
        return true;
      }));
  return erasing;
}

Status VaultKeysInStore::DropErasing(const std::vector<std::string>& entries) {
  SideStore::Batch batch = side_->NewBatch();
  for (const std::string& entry : entries) {
    batch.Delete(SideSpace::kVaultKeys, entry);
  }
  return side_->Write(&batch, Durability::kSynced);
}

Status VaultKeysInStore::Shred(const std::vector<std::string>& ids) {
  return DeleteAndPurge(side_, ids, /*leave_marks=*/true);
}

Status VaultKeysInStore::ForEach(const SideStore::Visit& visit) const {
  return side_->Scan(SideSpace::kVaultKeys, "", "", visit);
}

Status VaultKeysInStore::ShredAllKeys() {
  std::vector<std::string> ids;
  EXEMPLAR_RETURN_IF_ERROR(ForEach([&](std::string_view id, std::string_view) {
    if (IsKey(id)) ids.emplace_back(id);
    return true;
  }));
  return DeleteAndPurge(side_, ids, /*leave_marks=*/false);
}

Result<bool> VaultKeysInStore::WasShredded(std::string_view id,
                                           std::string_view wrapped) const {
  Result<std::optional<std::string>> mark = side_->Get(
      SideSpace::kVaultKeys, std::string(kShreddedPrefix).append(id));
  if (!mark.ok()) return mark.status();
  return IsMarkOf(mark->value_or(""), wrapped);
}

bool VaultKeysInStore::IsMarkOf(std::string_view mark,
                                std::string_view wrapped) {
  const std::vector<std::string> marks = Lines(mark);
  return std::find(marks.begin(), marks.end(), MarkOf(wrapped)) != marks.end();
}

bool VaultKeysInStore::IsKey(std::string_view id) {
  return id != crypto::kVaultCheckId && !id.starts_with(kShreddedPrefix) &&
         !id.starts_with(kErasingPrefix);
}

std::string VaultKeysInStore::KeyOfMark(std::string_view id) {
  return id.starts_with(kShreddedPrefix)
             ? std::string(id.substr(kShreddedPrefix.size()))
             : std::string();
}

Result<std::unique_ptr<PersonalData>> PersonalData::Open(
    SideStore* side, const crypto::DataKey& master_key,
    PersonalDataOptions options) {
  auto storage = std::make_unique<VaultKeysInStore>(side);
  Result<std::unique_ptr<crypto::KeyVault>> vault =
      crypto::KeyVault::Open(storage.get(), master_key);
  if (!vault.ok()) return vault.status();
  return std::unique_ptr<PersonalData>(
      new PersonalData(std::move(storage), std::move(*vault), options));
}

Result<std::vector<crypto::KeyName>> PersonalData::Seal(
    const Definition& definition, std::uint64_t first_version,
    AppendRequest* request) {
  std::vector<crypto::KeyName> used;
  std::uint64_t version = first_version;
  for (NewEvent& event : request->events) {
    const std::uint64_t this_version = version++;
    if (event.schema_version != WorkflowEvent::kSchemaVersion) continue;
    Result<WorkflowEvent> payload =
        DecodePayload<WorkflowEvent>(event.schema_version, event.payload);
    if (!payload.ok()) continue;  // not a workflow event: a transfer
    Result<bool> sealed = SealWorkflowEvent(definition, this_version, &*payload,
                                            &event, request, &used);
    if (!sealed.ok()) return sealed.status();
    if (*sealed) event.payload = EncodePayload(*payload);
  }
  return used;
}

Result<bool> PersonalData::SealWorkflowEvent(
    const Definition& definition, std::uint64_t version, WorkflowEvent* payload,
    NewEvent* event, AppendRequest* request,
    std::vector<crypto::KeyName>* used) {
  std::optional<StreamName> stream = ParseStreamId(request->stream_id);
  if (!stream || stream->kind != StreamKind::kExemplar) return false;
  const ActionSpec* action = definition.FindAction(payload->action);
  if (action == nullptr || action->event != event->type) return false;
  EventSealer sealer(vault_.get(), request, used);
  bool sealed_any = false;
  for (auto& [name, value] : payload->fields) {
    const FieldSpec* spec = action->FindField(name);
    if (spec == nullptr || !spec->personal) continue;
    const crypto::KeyName key =
        KeyOf(*spec->personal, stream->id, version, *event);
    // A subject's keys are made with its stream's first event, and only
    // its stream's events are sealed under them: a new stream's subject
    // has none stored, which spares a read of the vault per creation.
    const bool surely_new =
        version == 0 && spec->personal->of == PersonalOf::kSubject;
    EXEMPLAR_RETURN_IF_ERROR(
        sealer.SealField(key, action->name, name, &value, surely_new));
    sealed_any = true;
    if (name == "reason" && !event->reason.empty()) {
      Result<std::string> reason =
          sealer.Seal(key, event->reason, ReasonPlace(request->stream_id));
      if (!reason.ok()) return reason.status();
      event->reason = std::move(*reason);
    }
  }
  return sealed_any;
}

Status PersonalData::SealAddresses(std::int64_t now_us, AppendRequest* request,
                                   std::vector<crypto::KeyName>* used) {
  EXEMPLAR_RETURN_IF_ERROR(ExpireOnceAMonth(now_us));
  EventSealer sealer(vault_.get(), request, used);
  for (NewEvent& event : request->events) {
    if (event.remote_address.empty() || IsSealed(event.remote_address)) {
      continue;
    }
    // The month the event is recorded in, which a command may set.
    const crypto::KeyName& key = AccessKey(MonthIndexAt(
        event.recorded_at_us != 0 ? event.recorded_at_us : now_us));
    Result<std::string> sealed = sealer.Seal(key, event.remote_address,
                                             AddressPlace(request->stream_id));
    if (!sealed.ok()) return sealed.status();
    event.remote_address = std::move(*sealed);
  }
  return Status::Ok();
}

Status PersonalData::ExpireOnceAMonth(std::int64_t now_us) {
  const int month = MonthIndexAt(now_us);
  // Every command asks; only the first of a month takes the lock.
  if (sealing_month_.load(std::memory_order_acquire) == month) {
    return Status::Ok();
  }
  std::lock_guard lock(expiry_mutex_);
  if (sealing_month_.load(std::memory_order_relaxed) == month) {
    return Status::Ok();
  }
  Result<int> expired = ExpireAddresses(now_us);
  if (!expired.ok()) return expired.status();
  sealing_month_.store(month, std::memory_order_release);
  return Status::Ok();
}

Result<int> PersonalData::ExpireAddresses(std::int64_t now_us) {
  // Months further back than this were expired by an earlier start, or
  // never held addresses: the lookups stay few.
  constexpr int kMonthsLookedBack = 120;
  const int newest_expired =
      MonthIndexAt(now_us) - options_.staff_address_months - 1;
  std::vector<crypto::KeyName> expired;
  for (int month = newest_expired - kMonthsLookedBack + 1;
       month <= newest_expired; ++month) {
    const crypto::KeyName key = AccessKey(month);
    Result<crypto::DataKey> found = vault_->Find(key);
    if (found.ok()) {
      expired.push_back(key);
    } else if (found.status().code() != StatusCode::kNotFound) {
      return found.status();
    }
  }
  if (!expired.empty()) EXEMPLAR_RETURN_IF_ERROR(vault_->Destroy(expired));
  return static_cast<int>(expired.size());
}

void PersonalData::Stored(const std::vector<crypto::KeyName>& keys) {
  vault_->Stored(keys);
}

crypto::DataKey PersonalData::UploadsKey() const {
  return vault_->PurposeKey("exemplar staged uploads v1");
}

std::string PersonalData::OpenValue(std::string_view stored,
                                    std::string_view place) const {
  std::optional<SealedParts> parts = Parse(stored);
  if (!parts) return std::string(stored);
  return Readable(vault_->Find(parts->key), parts->sealed, place);
}

void PersonalData::OpenOnce(std::string_view stream_id,
                            std::initializer_list<std::string_view> fields,
                            WorkflowEvent* event) const {
  // A subject's values are mostly sealed under one key: read it once.
  std::optional<std::pair<crypto::KeyName, Result<crypto::DataKey>>> last;
  for (std::string_view field : fields) {
    auto value = event->fields.find(std::string(field));
    if (value == event->fields.end()) continue;
    ForEachText(value->second, [&](std::string& text, std::size_t item,
                                   std::string_view part) {
      std::optional<SealedParts> parts = Parse(text);
      if (!parts) return;
      if (!last || last->first != parts->key) {
        last.emplace(parts->key, vault_->FindOnce(parts->key));
      }
      text = Readable(last->second, parts->sealed,
                      FieldPlace(stream_id, event->action, field, item, part));
    });
  }
}

void PersonalData::Open(std::string_view stream_id,
                        WorkflowEvent* event) const {
  for (auto& [name, value] : event->fields) {
    ForEachText(
        value, [&](std::string& text, std::size_t item, std::string_view part) {
          if (!IsSealed(text)) return;
          text = OpenValue(
              text, FieldPlace(stream_id, event->action, name, item, part));
        });
  }
}

std::string PersonalData::OpenReason(std::string_view stream_id,
                                     std::string_view stored) const {
  return OpenValue(stored, ReasonPlace(stream_id));
}

std::string PersonalData::OpenAddress(std::string_view stream_id,
                                      std::string_view stored) const {
  return OpenValue(stored, AddressPlace(stream_id));
}

std::string PersonalData::OpenField(std::string_view stream_id,
                                    const WorkflowEvent& event,
                                    std::string_view field, std::size_t item,
                                    std::string_view stored) const {
  return OpenValue(stored, FieldPlace(stream_id, event.action, field, item));
}

std::string ReadableField(const PersonalData* personal,
                          std::string_view stream_id,
                          const WorkflowEvent& event, std::string_view field,
                          std::size_t item, std::string_view stored) {
  if (!IsSealed(stored)) return std::string(stored);
  if (personal == nullptr) return std::string(kWithheldValue);
  return personal->OpenField(stream_id, event, field, item, stored);
}

void OpenForReader(const PersonalData* personal, std::string_view stream_id,
                   WorkflowEvent* event) {
  if (personal != nullptr) return personal->Open(stream_id, event);
  for (auto& [name, value] : event->fields) {
    ForEachText(value, [](std::string& text, std::size_t, std::string_view) {
      if (IsSealed(text)) text = kWithheldValue;
    });
  }
}

std::string ReadableReason(const PersonalData* personal,
                           std::string_view stream_id,
                           std::string_view stored) {
  if (!IsSealed(stored)) return std::string(stored);
  if (personal == nullptr) return std::string(kWithheldValue);
  return personal->OpenReason(stream_id, stored);
}

namespace {

// The keys an erasure of `retention_class` on the exemplar `exemplar_id`,
// whose stream's events are `stream`, destroys: its subject's, and its
// commenters'.
std::vector<crypto::KeyName> KeysOfClass(const std::vector<EventRecord>& stream,
                                         std::string_view exemplar_id,
                                         const std::string& retention_class) {
  std::set<crypto::KeyName> keys{{std::string(exemplar_id), retention_class}};
  const std::string commenters = CommentersOf(exemplar_id);
  auto note = [&](std::string_view value) {
    std::optional<crypto::KeyName> key = SealedKeyOf(value);
    if (key && key->retention_class == retention_class &&
        key->subject.starts_with(commenters)) {
      keys.insert(*key);
    }
  };
  for (const EventRecord& record : stream) {
    Result<WorkflowEvent> event = DecodeRecordPayload<WorkflowEvent>(record);
    if (!event.ok()) continue;  // a transfer
    for (const auto& [name, value] : event->fields) {
      ForEachText(value, [&](const std::string& text, std::size_t,
                             std::string_view) { note(text); });
    }
  }
  return {keys.begin(), keys.end()};
}

// The retention class `request`'s erasing event names; nullopt when it
// appends none.
std::optional<std::string> ErasedClass(const Definition& definition,
                                       const AppendRequest& request) {
  auto erasing = [&definition](const std::string& type) {
    return std::any_of(definition.actions.begin(), definition.actions.end(),
                       [&type](const ActionSpec& action) {
                         return action.effects.erases_personal_data &&
                                action.event == type;
                       });
  };
  for (const NewEvent& event : request.events) {
    // Told by the type first: every command passes here.
    if (event.schema_version != WorkflowEvent::kSchemaVersion ||
        !erasing(event.type)) {
      continue;
    }
    Result<WorkflowEvent> payload =
        DecodePayload<WorkflowEvent>(event.schema_version, event.payload);
    if (!payload.ok()) continue;
    const ActionSpec* action = definition.FindAction(payload->action);
    if (action == nullptr || action->event != event.type ||
        !action->effects.erases_personal_data) {
      continue;
    }
    auto field = payload->fields.find(action->effects.erasure_class_field);
    if (field == payload->fields.end()) continue;
    if (const auto* erased = std::get_if<std::string>(&field->second)) {
      return *erased;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::optional<Erasure>> PersonalData::PrepareErasure(
    const Definition& definition, const std::vector<EventRecord>& stream,
    AppendRequest* request) {
  std::optional<StreamName> name = ParseStreamId(request->stream_id);
  const std::optional<Erasure> none;
  if (!name || name->kind != StreamKind::kExemplar) return none;
  std::optional<std::string> erased = ErasedClass(definition, *request);
  if (!erased) return none;
  Erasure erasure;
  erasure.keys = KeysOfClass(stream, name->id, *erased);
  erasure.documents = DocumentsSealedUnder(stream, erasure.keys);
  for (const crypto::KeyName& key : erasure.keys) {
    const std::string id = storage_->IdOf(key);
    Result<std::optional<std::string>> wrapped = storage_->Read(id);
    if (!wrapped.ok()) return wrapped.status();
    if (wrapped->has_value()) {
      auto mark = storage_->MarkFor(id, **wrapped);
      if (!mark.ok()) return mark.status();
      request->vault_keys.push_back(std::move(*mark));
    }
  }
  auto entry = VaultKeysInStore::ErasingEntry(erasure.documents);
  erasure.entry = entry.first;
  request->vault_keys.push_back(std::move(entry));
  return std::optional<Erasure>(std::move(erasure));
}

Status PersonalData::CompleteErasure(const Erasure& erasure,
                                     const RemoveDocuments& remove_documents) {
  EXEMPLAR_RETURN_IF_ERROR(vault_->Destroy(erasure.keys));
  // Unreadable now; removed, so that not even their sealed bytes stay.
  EXEMPLAR_RETURN_IF_ERROR(remove_documents(erasure.documents));
  return storage_->DropErasing({erasure.entry});
}

Result<int> PersonalData::CompleteInterruptedErasures(
    const RemoveDocuments& remove_documents) {
  auto erasing = storage_->Erasing();
  if (!erasing.ok()) return erasing.status();
  if (erasing->empty()) return 0;
  Result<std::vector<std::string>> keys = storage_->MarkedButStored();
  if (!keys.ok()) return keys.status();
  EXEMPLAR_RETURN_IF_ERROR(vault_->DestroyStored(*keys));
  std::vector<std::string> entries;
  for (const auto& [entry, documents] : *erasing) {
    EXEMPLAR_RETURN_IF_ERROR(remove_documents(documents));
    entries.push_back(entry);
  }
  EXEMPLAR_RETURN_IF_ERROR(storage_->DropErasing(entries));
  return static_cast<int>(entries.size());
}

}  // namespace exemplar
