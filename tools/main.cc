// The one `exemplar` binary: serve, bench, verify and the other subcommands.
#include <CLI/CLI.hpp>

#include "tools/audit_commands.h"
#include "tools/bench_append.h"
#include "tools/serve.h"

int main(int argc, char** argv) {
  CLI::App app{
      "exemplar: event-sourced workflow engine for advanced exemplars"};
  app.require_subcommand(1);

  exemplar::tools::ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "Serve the HTTP API");
  serve->add_option("--data", serve_options.data_dir, "Data folder")
      ->capture_default_str();
  serve
      ->add_option("--workflow", serve_options.workflow_path,
                   "Workflow definition JSON")
      ->capture_default_str();
  serve->add_option("--port", serve_options.server.port, "TCP port")
      ->capture_default_str();
  serve
      ->add_option("--bind", serve_options.server.bind_address,
                   "Address to bind")
      ->capture_default_str();
  serve
      ->add_option("--body-limit", serve_options.server.body_limit_bytes,
                   "Largest request body in bytes")
      ->capture_default_str();

  auto* audit = app.add_subcommand("audit", "Verify the audit trail");
  audit->require_subcommand(1);
  exemplar::tools::VerifyCommandOptions verify_options;
  auto* verify = audit->add_subcommand(
      "verify",
      "Recompute every hash, the chain, the Merkle tree, the "
      "indexes and check every signed head");
  verify->add_option("--data", verify_options.data_dir, "Data folder")
      ->capture_default_str();
  verify->add_option("--public-key", verify_options.public_key_path,
                     "PEM public key the heads must verify under");
  exemplar::tools::CheckProofOptions proof_options;
  auto* check = audit->add_subcommand(
      "check-proof", "Check an inclusion or consistency proof offline");
  check->add_option("--head", proof_options.head_path, "Trusted signed head")
      ->required();
  check->add_option("--public-key", proof_options.public_key_path, "PEM")
      ->required();
  check->add_option("--proof", proof_options.proof_path, "Proof JSON")
      ->required();
  auto* event_option = check->add_option("--event", proof_options.event_path,
                                         "Event JSON, for inclusion");
  auto* old_option =
      check->add_option("--old-head", proof_options.old_head_path,
                        "Older signed head, for consistency");
  event_option->excludes(old_option);

  auto* bench = app.add_subcommand("bench", "Print performance figures");
  bench->require_subcommand(1);
  exemplar::tools::BenchAppendOptions append_options;
  auto* append = bench->add_subcommand(
      "append", "Durable append throughput against raw RocksDB");
  append->add_option("--clients", append_options.clients,
                     "Concurrent appenders");
  append->add_option("--events", append_options.events, "Events in all");
  append->add_option("--payload", append_options.payload_bytes,
                     "Payload bytes per event");
  append->add_option("--dir", append_options.scratch_dir,
                     "Scratch folder for the bench stores");

  CLI11_PARSE(app, argc, argv);
  if (verify->parsed()) return exemplar::tools::RunAuditVerify(verify_options);
  if (check->parsed()) return exemplar::tools::RunCheckProof(proof_options);
  if (serve->parsed()) return exemplar::tools::RunServe(serve_options);
  if (append->parsed()) return exemplar::tools::RunBenchAppend(append_options);
  return 0;
}
