#include "tools/audit_commands.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/service.h"
#include "documents/document_store.h"
#include "engine/audit/audit_json.h"
#include "engine/audit/merkle.h"
#include "engine/audit/signed_head.h"
#include "events/event_json.h"
#include "tools/data_folder.h"
#include "tools/document_check.h"

namespace exemplar::tools {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename T>
Result<T> ReadJsonFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  nlohmann::json json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) {
    return Status::InvalidArgument(path + " is not valid JSON");
  }
  if constexpr (std::is_same_v<T, EventRecord>) {
    return EventFromJson(json);
  } else {
    return audit::FromJson<T>(json);
  }
}

int Fail(const Status& status) {
  std::printf("INVALID: %s\n", status.ToString().c_str());
  return 1;
}

// A store that does not verify: where, what, and what to do.
int ReportFailed(const Status& fault) {
  const std::uint64_t position = fault.number().value_or(0);
  if (position > 0) {
    std::printf("FAILED at position %llu: %s\n",
                static_cast<unsigned long long>(position),
                fault.message().c_str());
  } else {
    std::printf("FAILED: %s\n", fault.message().c_str());
  }
  std::printf(
      "The data folder is damaged or was altered: restore it from a backup "
      "that verifies (README, \"Restore\"), and keep this folder aside to "
      "find out what happened.\n");
  return 1;
}

// Recomputes the event's hash from its fields, so the proof is about the
// event's content and not only about a hash the server supplied.
Status CheckEventHash(EventRecord event) {
  Hash256 claimed = event.hash;
  SealEventRecord(&event);
  if (event.hash != claimed) {
    return Status::Corruption("the event's fields do not hash to its hash",
                              event.position);
  }
  return Status::Ok();
}

Status CheckInclusion(const CheckProofOptions& options,
                      const audit::SignedTreeHead& head) {
  auto event = ReadJsonFile<EventRecord>(options.event_path);
  if (!event.ok()) return event.status();
  EXEMPLAR_RETURN_IF_ERROR(CheckEventHash(*event));
  auto proof = ReadJsonFile<audit::InclusionProofData>(options.proof_path);
  if (!proof.ok()) return proof.status();
  if (proof->tree_size != head.tree_size ||
      proof->leaf_index + 1 != event->position ||
      proof->event_hash != event->hash) {
    return Status::InvalidArgument(
        "the proof is for another event or tree size than the head");
  }
  return audit::VerifyInclusion(audit::LeafHash(AsBytes(event->hash)),
                                proof->leaf_index, head.tree_size, proof->path,
                                head.root_hash);
}

Status CheckConsistency(const CheckProofOptions& options,
                        const audit::SignedTreeHead& head,
                        const audit::Ed25519PublicKey& key) {
  auto old_head = ReadJsonFile<audit::SignedTreeHead>(options.old_head_path);
  if (!old_head.ok()) return old_head.status();
  EXEMPLAR_RETURN_IF_ERROR(audit::VerifySignedHead(*old_head, key));
  auto proof = ReadJsonFile<audit::ConsistencyProofData>(options.proof_path);
  if (!proof.ok()) return proof.status();
  if (proof->first_size != old_head->tree_size ||
      proof->second_size != head.tree_size) {
    return Status::InvalidArgument("the proof is for other tree sizes");
  }
  return audit::VerifyConsistency(old_head->tree_size, head.tree_size,
                                  old_head->root_hash, head.root_hash,
                                  proof->path);
}

}  // namespace

int RunAuditVerify(const VerifyCommandOptions& options) {
  std::optional<audit::Ed25519PublicKey> key;
  if (!options.public_key_path.empty()) {
    auto pem = ReadFile(options.public_key_path);
    if (!pem.ok()) return Fail(pem.status());
    auto parsed = audit::PublicKeyFromPem(*pem);
    if (!parsed.ok()) return Fail(parsed.status());
    key = *parsed;
  } else {
    auto own = DataFolderPublicKey(options.data_dir);
    if (!own.ok()) return Fail(own.status());
    key = *own;
  }
  // A read-only follower, so an auditor can verify beside a running server.
  auto store = OpenDataFolder(options.data_dir, StoreAccess::kBesideServer);
  if (!store.ok() && store.status().code() == StatusCode::kCorruption) {
    return ReportFailed(store.status());
  }
  if (!store.ok()) return Fail(store.status());
  bool terminal = isatty(STDERR_FILENO);
  auto progress = [terminal](std::uint64_t at, std::uint64_t head) {
    if (terminal) {
      std::fprintf(stderr, "\rverifying %llu / %llu events",
                   static_cast<unsigned long long>(at),
                   static_cast<unsigned long long>(head));
    }
  };
  auto report = audit::VerifyStore(**store, key, progress);
  if (terminal) std::fprintf(stderr, "\n");
  if (!report.ok()) return ReportFailed(report.status());
  auto documents = CheckRecordedDocuments(
      **store, *documents::DocumentStore::OpenForReading(
                   api::DocumentsFolder(options.data_dir)));
  if (!documents.ok()) return ReportFailed(documents.status());
  std::printf("%s%s; %llu documents match their hashes, %llu erased\n",
              VerifiedFigures(*report,
                              "OK: {events} events, chain, Merkle root {root}, "
                              "stream and idempotency indexes, {heads} signed "
                              "heads")
                  .c_str(),
              key ? " with valid signatures"
                  : " (no public key: signatures not checked)",
              static_cast<unsigned long long>(documents->checked),
              static_cast<unsigned long long>(documents->erased));
  return 0;
}

int RunCheckProof(const CheckProofOptions& options) {
  auto pem = ReadFile(options.public_key_path);
  if (!pem.ok()) return Fail(pem.status());
  auto key = audit::PublicKeyFromPem(*pem);
  if (!key.ok()) return Fail(key.status());
  auto head = ReadJsonFile<audit::SignedTreeHead>(options.head_path);
  if (!head.ok()) return Fail(head.status());
  if (Status s = audit::VerifySignedHead(*head, *key); !s.ok()) return Fail(s);
  Status checked = options.old_head_path.empty()
                       ? CheckInclusion(options, *head)
                       : CheckConsistency(options, *head, *key);
  if (!checked.ok()) return Fail(checked);
  std::printf("VALID\n");
  return 0;
}

void AddAuditCommands(CLI::App& app, Commands& commands) {
  CLI::App* audit = CommandGroup(app, "audit", "Verify the audit trail");
  auto verify_options = std::make_shared<VerifyCommandOptions>();
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Recompute every hash, the chain, the Merkle tree, the "
      "indexes and check every signed head");
  AddDataOption(verify, &verify_options->data_dir);
  verify->add_option("--public-key", verify_options->public_key_path,
                     "PEM public key the heads must verify under");
  commands.push_back(
      {verify, [verify_options] { return RunAuditVerify(*verify_options); }});

  auto proof_options = std::make_shared<CheckProofOptions>();
  CLI::App* check = audit->add_subcommand(
      "check-proof", "Check an inclusion or consistency proof offline");
  check->add_option("--head", proof_options->head_path, "Trusted signed head")
      ->required();
  check->add_option("--public-key", proof_options->public_key_path, "PEM")
      ->required();
  check->add_option("--proof", proof_options->proof_path, "Proof JSON")
      ->required();
  CLI::Option* event_option = check->add_option(
      "--event", proof_options->event_path, "Event JSON, for inclusion");
  CLI::Option* old_option =
      check->add_option("--old-head", proof_options->old_head_path,
                        "Older signed head, for consistency");
  event_option->excludes(old_option);
  commands.push_back(
      {check, [proof_options] { return RunCheckProof(*proof_options); }});
}

}  // namespace exemplar::tools
