// Personal values sealed on their way into the log: the stored bytes hold
// no plain value, readers with the vault get it back byte for byte, a value
// moved to another place does not open, and erasing a class destroys its
// keys so that its values read as erased and no file under the store keeps
// the wrapped key (table files uncompressed, so a block cannot hide it).
#include "engine/workflow/personal_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "engine/event_store.h"
#include "events/civil_date.h"
#include "events/payload_codec.h"
#include "tests/support/default_definition.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

namespace fs = std::filesystem;

const std::string kName = "Hộ ông Lò Văn Páo, bản Nà Sự";

bool AnyFileHolds(const fs::path& folder, std::string_view needle) {
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in),
                            std::istreambuf_iterator<char>()};
    if (bytes.find(needle) != std::string::npos) return true;
  }
  return false;
}

class PersonalDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    definition_ = LoadDefinition(testing::DefaultDefinitionPath()).value();
    StoreOptions options;
    options.compress_tables = false;
    store_ = EventStore::Open(dir_.str(), options).value();
    personal_ = PersonalData::Open(&store_->side_store(), master_key_).value();
  }

  // Appends a detection of `id` with kName, sealed, as the event `version`
  // of its stream; returns its record.
  EventRecord Detect(const std::string& id, std::uint64_t version = 0) {
    return AppendSealed(
        id, version, "exemplar_detected",
        {"detect",
         definition_.name,
         definition_.version,
         {{"name", kName},
          {"unit_id", std::string("c1")},
          {"priority_flags", std::vector<std::string>{"ethnic_minority"}}}});
  }

  // Appends to `id`'s stream, as its event `version`, the experience
  // written down in a document whose file is `hash`.
  EventRecord DocumentExperience(const std::string& id, std::uint64_t version,
                                 const std::string& hash) {
    DocumentRef document{hash, 4, "text/plain", "kinh-nghiem.txt",
                         std::string(32, 'k')};
    return AppendSealed(id, version, "experience_documented",
                        {"document_experience",
                         definition_.name,
                         definition_.version,
                         {{"attachments", std::vector{document}}}});
  }

  EventRecord AppendSealed(const std::string& id, std::uint64_t version,
                           const std::string& type,
                           const WorkflowEvent& event) {
    NewEvent record;
    record.type = type;
    record.schema_version = WorkflowEvent::kSchemaVersion;
    record.payload = EncodePayload(event);
    record.actor = Actor{"reporter", "reporter", "c1"};
    AppendRequest request{"exemplar-" + id,
                          version == 0 ? ExpectedVersion::NoStream()
                                       : ExpectedVersion::Exact(version - 1),
                          {record},
                          ""};
    auto keys = personal_->Seal(definition_, version, &request).value();
    EXPECT_TRUE(store_->Append(std::move(request)).ok());
    personal_->Stored(keys);
    return Stream(id).back();
  }

  // Appends an erasure of `id`'s exemplar file, prepared for completion.
  Erasure AppendErasure(const std::string& id) {
    WorkflowEvent event{"approve_erasure",
                        definition_.name,
                        definition_.version,
                        {{"retention_class", std::string("exemplar_file")}}};
    NewEvent record;
    record.type = "subject_erased";
    record.schema_version = WorkflowEvent::kSchemaVersion;
    record.payload = EncodePayload(event);
    record.actor = Actor{"approver", "approver", "c1"};
    const std::vector<EventRecord> stream = Stream(id);
    AppendRequest request{"exemplar-" + id,
                          ExpectedVersion::Exact(stream.back().stream_version),
                          {record},
                          ""};
    std::optional<Erasure> erasure =
        personal_->PrepareErasure(definition_, stream, &request).value();
    EXPECT_TRUE(erasure.has_value());
    EXPECT_TRUE(store_->Append(std::move(request)).ok());
    return erasure.value_or(Erasure{});
  }

  std::vector<EventRecord> Stream(const std::string& id) {
    return store_->ReadStream("exemplar-" + id, 0, Direction::kForward, 100)
        .value();
  }

  // The stored form of the key of `id`'s exemplar file; empty when none.
  std::string StoredKey(const std::string& id) {
    return store_->side_store()
        .Get(
            SideSpace::kVaultKeys,
            VaultKeysInStore(&store_->side_store()).IdOf({id, "exemplar_file"}))
        .value()
        .value_or("");
  }

  // The store and its vault opened again, as at a start.
  void Reopen() {
    personal_.reset();
    store_->Close();
    StoreOptions options;
    options.compress_tables = false;
    store_ = EventStore::Open(dir_.str(), options).value();
    personal_ = PersonalData::Open(&store_->side_store(), master_key_).value();
  }

  static RemoveDocuments NoDocuments() {
    return [](const std::vector<std::string>&) { return Status::Ok(); };
  }

  WorkflowEvent Opened(const EventRecord& record) {
    WorkflowEvent event = DecodeRecordPayload<WorkflowEvent>(record).value();
    personal_->Open(record.stream_id, &event);
    return event;
  }

  testing::TempDir dir_;
  const crypto::DataKey master_key_ = crypto::NewDataKey();
  Definition definition_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<PersonalData> personal_;
};

TEST_F(PersonalDataTest, MarkedValuesAreSealedAndOpenByteForByte) {
  const EventRecord record = Detect("pao");
  EXPECT_EQ(record.payload.find(kName), std::string::npos);
  EXPECT_EQ(record.payload.find("ethnic_minority"), std::string::npos);
  EXPECT_NE(record.payload.find("c1"), std::string::npos);  // not marked
  const WorkflowEvent event = Opened(record);
  EXPECT_EQ(std::get<std::string>(event.fields.at("name")), kName);
  EXPECT_EQ(
      std::get<std::vector<std::string>>(event.fields.at("priority_flags")),
      std::vector<std::string>{"ethnic_minority"});
  WorkflowEvent without = DecodeRecordPayload<WorkflowEvent>(record).value();
  EXPECT_EQ(WithholdSealed(&without),
            (std::vector<std::string>{"name", "priority_flags"}));
  EXPECT_FALSE(without.fields.contains("name"));
}

// The keys of exemplars drawn later sort later, so that a new exemplar's
// key is appended to the vault; the keys of exemplars drawn before keep the
// hashed ids they are stored under, and open after an upgrade.
TEST_F(PersonalDataTest, SubjectKeysAreOrderedLikeTheirExemplarsIds) {
  VaultKeysInStore vault(&store_->side_store());
  const crypto::KeyName earlier{"ex-0193a1b2c3d4e5f60718293a", "exemplar_file"};
  const crypto::KeyName later{"ex-0193a1b2c3d5000000000000", "exemplar_file"};
  EXPECT_EQ(vault.IdOf(earlier),
            "0193a1b2c3d4-" + crypto::HashedKeyId(earlier));
  EXPECT_LT(vault.IdOf(earlier), vault.IdOf(later));
  const crypto::KeyName comment{CommenterSubject(later.subject, 3), "comment"};
  EXPECT_TRUE(vault.IdOf(comment).starts_with("0193a1b2c3d5-"));
  for (const crypto::KeyName& before :
       {crypto::KeyName{"ex-0123456789abcdef0123", "exemplar_file"},
        crypto::KeyName{"6f1c2a3b-0d4e-4f50-8a61-7b8c9d0e1f23", "comment"},
        crypto::KeyName{ActorSubject("lan"), "exemplar_file"}}) {
    EXPECT_EQ(vault.IdOf(before), crypto::HashedKeyId(before));
  }

  const std::string id = "ex-" + std::string(24, 'a');
  Detect(id);
  EXPECT_FALSE(
      store_->side_store()
          .Get(SideSpace::kVaultKeys,
               "aaaaaaaaaaaa-" + crypto::HashedKeyId({id, "exemplar_file"}))
          ->value_or("")
          .empty());
  Reopen();
  EXPECT_EQ(std::get<std::string>(Opened(Stream(id).back()).fields.at("name")),
            kName);
}

// The command handler seals a decided payload before it is first encoded;
// the result is what sealing the encoded event gives: the same fields
// sealed, opening to the same values, the others as they were.
TEST_F(PersonalDataTest, APayloadSealedBeforeEncodingMatchesOneSealedAfter) {
  const WorkflowEvent plain{
      "detect",
      definition_.name,
      definition_.version,
      {{"name", kName},
       {"unit_id", std::string("c1")},
       {"priority_flags", std::vector<std::string>{"ethnic_minority"}}}};
  NewEvent event;
  event.type = "exemplar_detected";
  event.schema_version = WorkflowEvent::kSchemaVersion;
  AppendRequest request{
      "exemplar-pao", ExpectedVersion::NoStream(), {event}, ""};
  WorkflowEvent payload = plain;
  std::vector<crypto::KeyName> keys;
  EXPECT_TRUE(personal_
                  ->SealWorkflowEvent(definition_, 0, &payload,
                                      &request.events.front(), &request, &keys)
                  .value());
  EXPECT_EQ(keys, (std::vector<crypto::KeyName>{{"pao", "exemplar_file"}}));
  EXPECT_EQ(request.vault_keys.size(), 1u);
  EXPECT_TRUE(IsSealed(std::get<std::string>(payload.fields.at("name"))));
  EXPECT_EQ(std::get<std::string>(payload.fields.at("unit_id")), "c1");
  request.events.front().payload = EncodePayload(payload);
  EXPECT_TRUE(store_->Append(std::move(request)).ok());
  personal_->Stored(keys);
  const EventRecord before_encoding = Stream("pao").back();

  const EventRecord after_encoding = AppendSealed("lo", 0, event.type, plain);
  const WorkflowEvent a = Opened(before_encoding);
  const WorkflowEvent b = Opened(after_encoding);
  EXPECT_EQ(a.fields, b.fields);
  EXPECT_EQ(a.fields, plain.fields);
}

// Sealing names for Stored only the keys not known to be stored: the
// month's key, used by every command, only on its first.
TEST_F(PersonalDataTest, OnlyKeysNotYetStoredAreNamedForStoring) {
  const std::int64_t at_us = CivilDate::FromYmd(2026, 3, 10).StartUnixMicros(0);
  auto seal = [&](const std::string& stream) {
    NewEvent event;
    event.type = "unit_created";
    event.payload = "payload";
    event.remote_address = "203.0.113.7";
    event.recorded_at_us = at_us;
    AppendRequest request{stream, ExpectedVersion::NoStream(), {event}, ""};
    std::vector<crypto::KeyName> keys;
    EXPECT_TRUE(personal_->SealAddresses(at_us, &request, &keys).ok());
    const std::size_t written = request.vault_keys.size();
    EXPECT_TRUE(store_->Append(std::move(request)).ok());
    personal_->Stored(keys);
    return std::make_pair(keys.size(), written);
  };
  EXPECT_EQ(seal("unit-a"), std::make_pair(std::size_t{1}, std::size_t{1}));
  EXPECT_EQ(seal("unit-b"), std::make_pair(std::size_t{0}, std::size_t{0}));
}

// A rebuild's reading thread opens, in place, the values the fold shows:
// the fields it names open byte for byte, list items included, every other
// personal value stays sealed, and an erased subject reads as erased.
TEST_F(PersonalDataTest, OpenOnceOpensOnlyTheFieldsItNames) {
  const std::vector<std::string> flags{"direct_worker",
                                       "remote_border_island_ethnic_area"};
  const EventRecord pao =
      AppendSealed("pao", 0, "exemplar_detected",
                   {"detect",
                    definition_.name,
                    definition_.version,
                    {{"name", kName},
                     {"unit_id", std::string("c1")},
                     {"summary", std::string("Trồng quế trên đất dốc")},
                     {"priority_flags", flags}}});
  const EventRecord lo = Detect("lo");
  ASSERT_TRUE(
      personal_->CompleteErasure(AppendErasure("lo"), NoDocuments()).ok());
  Reopen();
  auto open_once = [&](const EventRecord& record) {
    WorkflowEvent event = DecodeRecordPayload<WorkflowEvent>(record).value();
    personal_->OpenOnce(record.stream_id, {"name", "priority_flags"}, &event);
    return event;
  };
  const WorkflowEvent opened = open_once(pao);
  EXPECT_EQ(std::get<std::string>(opened.fields.at("name")), kName);
  EXPECT_EQ(
      std::get<std::vector<std::string>>(opened.fields.at("priority_flags")),
      flags);
  EXPECT_TRUE(IsSealed(std::get<std::string>(opened.fields.at("summary"))));
  EXPECT_EQ(std::get<std::string>(open_once(lo).fields.at("name")), "[erased]");
}

TEST_F(PersonalDataTest, ASealedValueMovedToAnotherStreamDoesNotOpen) {
  EventRecord record = Detect("pao");
  record.stream_id = "exemplar-other";
  const WorkflowEvent event = Opened(record);
  EXPECT_EQ(std::get<std::string>(event.fields.at("name")), "[unreadable]");
}

TEST_F(PersonalDataTest, ErasingAClassDestroysItsKeysInEveryFile) {
  const EventRecord pao = Detect("pao");
  const EventRecord other = Detect("other");
  const std::string wrapped = StoredKey("pao");
  ASSERT_TRUE(AnyFileHolds(dir_.str(), wrapped));  // the scan finds it

  const Erasure erasure = AppendErasure("pao");
  ASSERT_TRUE(personal_->CompleteErasure(erasure, NoDocuments()).ok());
  EXPECT_FALSE(AnyFileHolds(dir_.str(), wrapped));
  EXPECT_EQ(std::get<std::string>(Opened(pao).fields.at("name")), "[erased]");
  EXPECT_EQ(std::get<std::string>(Opened(other).fields.at("name")), kName);
  EXPECT_TRUE(VaultKeysInStore(&store_->side_store()).Erasing()->empty());

  // Reopened: still erased; the other subject's key stays.
  personal_.reset();
  store_->Close();
  store_ = EventStore::Open(dir_.str()).value();
  EXPECT_FALSE(AnyFileHolds(dir_.str(), wrapped));
}

// The server stops after the erasure's event is stored and before its keys
// are destroyed: the next start finishes it, keys and documents.
TEST_F(PersonalDataTest, AnErasureAStopInterruptedIsFinishedAtTheNextStart) {
  const EventRecord pao = Detect("pao");
  const std::string hash(64, 'd');
  DocumentExperience("pao", 1, hash);
  Detect("other");
  const std::string wrapped = StoredKey("pao");
  AppendErasure("pao");  // and no CompleteErasure

  Reopen();
  EXPECT_EQ(std::get<std::string>(Opened(pao).fields.at("name")), kName);
  std::vector<std::string> removed;
  auto remove = [&](const std::vector<std::string>& hashes) {
    removed.insert(removed.end(), hashes.begin(), hashes.end());
    return Status::Ok();
  };
  EXPECT_EQ(personal_->CompleteInterruptedErasures(remove).value(), 1);
  EXPECT_EQ(std::get<std::string>(Opened(pao).fields.at("name")), "[erased]");
  EXPECT_FALSE(AnyFileHolds(dir_.str(), wrapped));
  EXPECT_EQ(removed, std::vector<std::string>{hash});
  EXPECT_NE(StoredKey("other"), "");

  Reopen();  // nothing is left to finish
  EXPECT_EQ(personal_->CompleteInterruptedErasures(remove).value(), 0);
}

// A key made for the same subject and class after its erasure (data
// recorded since) is not the one the erasure destroyed: an interrupted
// erasure finished later leaves it.
TEST_F(PersonalDataTest, FinishingAnErasureLeavesAKeyMadeAgainSince) {
  Detect("pao");
  AppendErasure("pao");
  // As if completed but for its entry: the key is destroyed...
  VaultKeysInStore vault(&store_->side_store());
  ASSERT_TRUE(vault.Shred({vault.IdOf({"pao", "exemplar_file"})}).ok());
  Reopen();
  // ...and a detection recorded since makes the key again.
  const EventRecord again = Detect("pao", /*version=*/2);
  EXPECT_EQ(personal_->CompleteInterruptedErasures(NoDocuments()).value(), 1);
  EXPECT_EQ(std::get<std::string>(Opened(again).fields.at("name")), kName);
}

// Erased, recorded again under a new key, erased again: both keys stay
// marked as shredded, so that no older copy of the vault brings either
// back (tools/vault_file.h).
TEST_F(PersonalDataTest, EachErasureOfASubjectsClassKeepsItsMark) {
  Detect("pao");
  const std::string first = StoredKey("pao");
  ASSERT_TRUE(
      personal_->CompleteErasure(AppendErasure("pao"), NoDocuments()).ok());
  Detect("pao", /*version=*/2);
  const std::string second = StoredKey("pao");
  ASSERT_NE(second, first);
  ASSERT_TRUE(
      personal_->CompleteErasure(AppendErasure("pao"), NoDocuments()).ok());

  VaultKeysInStore vault(&store_->side_store());
  const std::string id = vault.IdOf({"pao", "exemplar_file"});
  EXPECT_TRUE(vault.WasShredded(id, first).value());
  EXPECT_TRUE(vault.WasShredded(id, second).value());
  EXPECT_FALSE(vault.WasShredded(id, "another key").value());
  EXPECT_EQ(StoredKey("pao"), "");
}

// Staff access records: a request's address is sealed under its month's
// key, opens for readers while the month is kept, and reads as erased once
// the month is older than the retention, while a newer month's stays.
TEST_F(PersonalDataTest, StaffAddressesAreSealedPerMonthAndExpire) {
  const std::int64_t kDay = std::int64_t{86400} * 1000 * 1000;
  const std::int64_t march_2025 =
      CivilDate::FromYmd(2025, 3, 10).StartUnixMicros(0);
  const std::int64_t may_2025 = march_2025 + 61 * kDay;
  auto appended = [&](std::int64_t at_us, const std::string& address) {
    NewEvent event;
    event.type = "unit_created";
    event.payload = "payload";
    event.remote_address = address;
    event.recorded_at_us = at_us;
    AppendRequest request{"unit-" + std::to_string(at_us),
                          ExpectedVersion::NoStream(),
                          {event},
                          ""};
    std::vector<crypto::KeyName> keys;
    EXPECT_TRUE(personal_->SealAddresses(at_us, &request, &keys).ok());
    EXPECT_TRUE(store_->Append(std::move(request)).ok());
    personal_->Stored(keys);
    return store_
        ->ReadStream("unit-" + std::to_string(at_us), 0, Direction::kForward, 1)
        .value()
        .front();
  };
  const EventRecord in_march = appended(march_2025, "203.0.113.7");
  const EventRecord in_may = appended(may_2025, "198.51.100.4");
  EXPECT_TRUE(IsSealed(in_march.remote_address));
  EXPECT_EQ(in_march.remote_address.find("203.0.113.7"), std::string::npos);
  EXPECT_EQ(personal_->OpenAddress(in_march.stream_id, in_march.remote_address),
            "203.0.113.7");
  EXPECT_TRUE(HoldsSealedValue(in_march));

  // Kept 12 months: March 2025 goes when April 2026 begins, May stays.
  const std::int64_t april_2026 =
      CivilDate::FromYmd(2026, 4, 1).StartUnixMicros(0);
  EXPECT_EQ(personal_->ExpireAddresses(april_2026 - 1).value(), 0);
  EXPECT_EQ(personal_->ExpireAddresses(april_2026).value(), 1);
  EXPECT_EQ(personal_->OpenAddress(in_march.stream_id, in_march.remote_address),
            "[erased]");
  EXPECT_EQ(personal_->OpenAddress(in_may.stream_id, in_may.remote_address),
            "198.51.100.4");
}

}  // namespace
}  // namespace exemplar
