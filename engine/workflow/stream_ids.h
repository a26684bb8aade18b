// The streams of the workflow and how their ids are built: one stream per
// exemplar ("exemplar-<id>"), unit ("unit-<id>"), user and their role grants
// ("user-<id>"), API token ("token-<id>"), campaign ("campaign-<id>"), a
// user's sign-in credentials ("credential-<user id>"), a reorganisation
// of units ("reorganisation-<id>") and the versions of a workflow definition
// ("workflow-<name>").
// Every module builds and reads stream ids through here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exemplar {

enum class StreamKind {
  kExemplar,
  kUnit,
  kUser,
  kToken,
  kCampaign,
  kCredential,
  kReorganisation,  // a reform's units_reorganised
  kRegistration,    // a unit's annual list (engine/workflow/funnel.h)
  kAssessment,      // the scores of a unit's propagation work
  kWorkflow         // the versions of a workflow definition
};

// The stream of the thing of `kind` with id `id`.
std::string StreamIdOf(StreamKind kind, std::string_view id);

inline std::string ExemplarStreamId(std::string_view exemplar_id) {
  return StreamIdOf(StreamKind::kExemplar, exemplar_id);
}

// "exemplar-", "unit-", ...: every stream of `kind` starts with it.
std::string_view StreamPrefix(StreamKind kind);

// A stream id read back: its kind and the id of its thing.
struct StreamName {
  StreamKind kind;
  std::string_view id;  // a view into the stream id given
};

// nullopt for a stream id of no known kind.
std::optional<StreamName> ParseStreamId(std::string_view stream_id);

// True for streams whose events are system events (units, users and their
// grants, campaigns, reorganisations, workflow definitions): the streams the
// organisation's read models fold. Token and credential streams are not among
// them: the authority model folds them too (the command handler reads them
// beside these), but nothing else need.
bool IsSystemStream(std::string_view stream_id);

// The prefixes of those streams. Every system event lives in one of them:
// the only commands that append system events are SystemCommands, and a
// definition may not name a system or token event type (LoadDefinition
// refuses it).
const std::vector<std::string>& SystemStreamPrefixes();

}  // namespace exemplar
