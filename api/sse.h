// The live event stream: GET /v1/events/stream as Server-Sent Events.
//
// Each event of the log goes out as one SSE event:
//   id: <position>
//   event: <type>
//   data: <the event's JSON, as in GET /v1/events: hash, position, and its
//         fields as `data` (engine/workflow/event_data.h)>
// History first, then live events, in position order with no gap and no
// duplicate (EventStore::Subscribe). Where it starts:
//   - `Last-Event-ID: N` header: after position N (what a reconnecting
//     EventSource sends), and it wins over the query;
//   - `?from=N`: at position N, inclusive, as in GET /v1/events;
//   - neither: live events only, after the head at the time of the request.
// Filters: `types=a,b` (any of these type tags), `stream=` (stream id
// prefix), `unit=` (the unit's subtree; what an event's unit is and what
// "in the subtree" means is set out in sse_units.h).
//
// A comment line ": heartbeat" goes out when nothing else did for
// `heartbeat_interval`. The stream ends with one final event whose data
// says where to resume ({"reason", "resume_from"}; its `id` is the last
// position covered, so a reconnecting EventSource resumes right):
//   - `event: dropped` when the subscriber cannot keep up: its write queue
//     stayed full for `stall_timeout` (a reader that is slow but keeps
//     reading falls back to reading the store, as history, instead);
//   - `event: shutdown` when the server stops (Shutdown());
//   - `event: revoked` as soon as authority the stream was opened under is
//     lost: its token is revoked or expires, one of its user's grants is
//     revoked or runs out, or its user is deactivated (reason
//     "token_revoked", "token_expired", "grant_revoked", "grant_expired",
//     "user_deactivated"). Gaining a grant ends nothing. The pump sees
//     every event of the log, so it notices a revocation when the event
//     passes, however far behind the stream reads.
// One user may hold at most `max_subscribers_per_user` streams at once, one
// token `max_subscribers_per_token`; beyond that 429 too_many_requests.
// Memory is bounded: one ring of the `ring_events` most recent events,
// shared by all, and per subscriber `max_queued_bytes` (plus, while it reads
// history, the store's subscriber buffer).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/router.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"
#include "engine/workflow/definition.h"

namespace exemplar::api {

struct SseOptions {
  // Time without output after which a ": heartbeat" comment is sent.
  // Default 15 s.
  std::chrono::milliseconds heartbeat_interval{15000};
  // Open streams beyond this are refused with 503. Default 2,000.
  std::size_t max_subscribers = 2000;
  // Streams one user, and one token, may hold open at once; beyond that
  // 429. Defaults 16 and 8 (0: no limit).
  std::size_t max_subscribers_per_user = 16;
  std::size_t max_subscribers_per_token = 8;
  // Bytes queued for one client before the pump stops reading events for
  // it. Default 1 MiB.
  std::size_t max_queued_bytes = 1 << 20;
  // A client whose queue stays full this long is dropped. Default 10 s.
  std::chrono::milliseconds stall_timeout{10000};
  // How long the final event may take to reach a client that does not
  // read before the connection is cut. Default 5 s.
  std::chrono::milliseconds final_write_timeout{5000};
  // How often the pump moves new events to the clients; bounds the added
  // delivery latency and batches writes. Default 10 ms.
  std::chrono::milliseconds poll_interval{10};
  // Recent events kept, formatted once, for every subscriber to read
  // (subscribers further behind read the store). Default 8,192.
  std::size_t ring_events = 8192;
};

// The authority a stream is opened under, which it keeps only while all of
// it holds.
struct StreamAuthority {
  std::string user_id;
  std::string token_id;
  std::vector<std::string> grant_ids;    // the user's grants valid at open
  std::vector<std::string> grant_units;  // their units
  // Wall-clock UTC microseconds when the token expires, and when the first
  // of the grants runs out; 0: never.
  std::int64_t token_expires_at_us = 0;
  std::int64_t grants_valid_until_us = 0;
};

// What one subscriber asked for.
struct StreamRequest {
  std::uint64_t from_position = 1;  // first position to deliver
  std::vector<std::string> types;   // any of these; empty: all
  std::string stream_prefix;        // empty: all
  std::vector<std::string> units;   // in any of these subtrees; empty: all
  // The reader's scope, for authorisation: when set, only events in one of
  // these subtrees of the tree as it is now (history included, see
  // sse_units.h) are delivered, whatever the other filters say.
  std::optional<std::vector<std::string>> read_scope;
  // Who reads; unset when no guard is installed (in-process tests).
  std::optional<StreamAuthority> authority;
};

// Parses a request of GET /v1/events/stream (query and Last-Event-ID).
// `head` is the log's head, the default start. kInvalidArgument naming the
// parameter when one is malformed.
Result<StreamRequest> ParseStreamRequest(const Request& request,
                                         const RouteParams& params,
                                         std::uint64_t head);

class EventStreamService {
 public:
  // `store` and `definition` must outlive the service. Starts the pump
  // thread.
  EventStreamService(EventStore& store, const Definition& definition,
                     SseOptions options = {});
  // Shuts down if Shutdown was not called.
  ~EventStreamService();
  EventStreamService(const EventStreamService&) = delete;
  EventStreamService& operator=(const EventStreamService&) = delete;

  // Answers `request` with a stream for `what`: 200 text/event-stream with
  // the stream as its body, 429 too_many_requests (with Retry-After) when
  // its user or token holds its share of streams, or 503 problem+json
  // (too_many_subscribers, shutting_down). Thread safety: any thread.
  Reply Open(const Request& request, StreamRequest what);

  // Sends every open stream its final `shutdown` event, waits until they
  // are written (at most final_write_timeout), refuses new streams, and
  // stops reading the store, which may then close. Call before Server::Stop.
  // Idempotent; any thread.
  void Shutdown();

  // Streams open now. Any thread.
  std::size_t subscriber_count() const;

 private:
  class Pump;
  std::unique_ptr<Pump> pump_;
};

// GET /v1/events/stream. The stream carries only the events within the
// caller's read scope (api/read_scope.h), judged on `handler`'s current
// authority, and ends once that authority is lost.
void AddSseRoute(Router& router, EventStore& store, CommandHandler& handler,
                 EventStreamService& service);

}  // namespace exemplar::api
