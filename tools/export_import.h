// `exemplar export` and `exemplar import`: the log as JSON Lines, one event
// per line in the form of events/event_json.h (envelope, payload as base64,
// position, prev_hash, hash), and back into an empty store that then holds
// the same hashes, positions, stream versions, idempotency index and Merkle
// root as the source.
#pragma once

#include <cstdint>
#include <string>

#include "tools/command.h"

namespace exemplar::tools {

struct ExportOptions {
  std::string data_dir = "./data";
  std::uint64_t from = 1;  // first position, inclusive. Default 1.
  std::uint64_t to = 0;    // last position, inclusive. Default 0: the head.
  std::string format = "jsonl";  // the only format
  std::string out = "-";         // file to write, "-" for stdout
  // Also write the key vault to this new file (tools/vault_file.h). Empty:
  // the export carries sealed values without the keys that open them.
  std::string vault_to;
  // Also copy the evidence documents (sealed, as stored) into this folder.
  std::string documents_to;
};

// Reads the store as a read-only follower (EventStore read_only), so it runs
// beside a server holding the store, and exports the log as of its start.
// Prints a summary, with the Merkle root of positions 1..to when `from` is
// 1, to stderr. Returns the process exit code: 0 on success.
int RunExport(const ExportOptions& options);

struct ImportOptions {
  std::string data_dir;  // must not exist, or be an empty folder
  std::string in = "-";  // JSON Lines file to read, "-" for stdin
  // The vault file that opens the export's sealed values.
  std::string vault_from;
  // Import an export holding sealed values without its vault: every
  // personal value then reads as erased. Without this or vault_from, such
  // an import is refused.
  bool personal_values_erased = false;
  // The evidence documents exported with the events (documents_to). The
  // import is refused when a document the log names is missing, unless its
  // key is not held (personal_values_erased): it then reads as erased.
  std::string documents_from;
};

// Imports into `data_dir.importing`, then renames it to `data_dir`, so that
// a refused or interrupted import never leaves a store at `data_dir`. The
// input must be a whole log: positions 1, 2, ... with every hash chaining
// and matching its fields (EventStore::AppendSealed). On refusal prints the
// line and position and removes the staging folder; a killed import leaves
// `data_dir.importing` for the operator to delete. Signed heads are not part
// of an export: the new store's server signs its own. Returns the process
// exit code.
int RunImport(const ImportOptions& options);

// Registers `export` and `import`.
void AddExportImportCommands(CLI::App& app, Commands& commands);

}  // namespace exemplar::tools
