// `exemplar audit verify` and `exemplar audit check-proof`.
#pragma once

#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct VerifyCommandOptions {
  std::string data_dir = "./data";
  // PEM file of the key heads must verify under; default: the key in the
  // data folder (an auditor should pass the key they obtained separately).
  std::string public_key_path;
};

// Exit code 0 only when every check holds; prints the first bad position.
int RunAuditVerify(const VerifyCommandOptions& options);

struct CheckProofOptions {
  std::string head_path;        // trusted signed head, JSON
  std::string public_key_path;  // PEM
  std::string event_path;       // an event as JSON (GET /v1/events form)
  std::string proof_path;       // inclusion proof JSON
  std::string old_head_path;    // for consistency: the older signed head
};

// Checks offline: the head's signature, then either the event's own hash and
// its inclusion proof against the head, or a consistency proof between the
// old head and the head. Exit code 0 only when valid.
int RunCheckProof(const CheckProofOptions& options);

// Registers `audit verify` and `audit check-proof`.
void AddAuditCommands(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
