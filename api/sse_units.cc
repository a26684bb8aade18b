#include "api/sse_units.h"

#include <algorithm>

#include "engine/workflow/stream_ids.h"
#include "events/clock.h"
#include "events/system_events.h"

namespace exemplar::api {
EventUnits::EventUnits(const EventStore& store, const Definition& definition)
    : store_(store), units_(store, definition) {}

Result<bool> EventUnits::WithinAny(const EventRecord& event,
                                   const std::vector<std::string>& roots) {
  return Within(event, roots, event.position, event.recorded_at_us);
}

Result<bool> EventUnits::WithinAnyNow(const EventRecord& event,
                                      const std::vector<std::string>& roots,
                                      std::uint64_t head) {
  return Within(event, roots, std::max(head, event.position),
                SystemClockMicros());
}

Result<bool> EventUnits::Within(const EventRecord& event,
                                const std::vector<std::string>& roots,
                                std::uint64_t fold_to,
                                std::int64_t tree_at_us) {
  auto unit = units_.UnitOf(event);
  if (!unit.ok()) return unit.status();
  if (unit->empty()) return false;
  if (Status folded = CatchUp(fold_to); !folded.ok()) return folded;
  for (const std::string& root : roots) {
    if (tree_.IsWithin(*unit, root, tree_at_us)) return true;
    // A root a reorganisation ended follows its lineage: its successors'
    // events are its subscribers' too.
    for (const std::string& successor :
         tree_.CurrentSuccessorsAt(root, tree_at_us)) {
      if (successor != root && tree_.IsWithin(*unit, successor, tree_at_us)) {
        return true;
      }
    }
  }
  return false;
}

Status EventUnits::CatchUp(std::uint64_t position) {
  if (next_fold_ == 1) {
    if (Status loaded = LoadUnitStreams(); !loaded.ok()) return loaded;
  }
  // Only unit and reorganisation streams hold these types.
  static const EventFilter unit_events{UnitTree::EventTypes(), ""};
  constexpr size_t kPageEvents = 512;
  while (next_fold_ <= position) {
    auto page = store_.ReadAll(next_fold_, kPageEvents, unit_events);
    if (!page.ok()) return page.status();
    for (const EventRecord& event : page->events) {
      if (Status applied = tree_.Apply(event); !applied.ok()) return applied;
    }
    if (page->next_position <= next_fold_) break;  // at the head
    next_fold_ = page->next_position;
  }
  return Status::Ok();
}

// The tree is folded ahead of the events asked about (IsWithin takes their
// time), so the first catch-up may take it to the head at once, from the
// unit streams rather than the whole log.
Status EventUnits::LoadUnitStreams() {
  const std::uint64_t head = store_.head().position;  // before the read
  std::vector<EventRecord> events;
  for (StreamKind kind : {StreamKind::kUnit, StreamKind::kReorganisation}) {
    auto read = store_.ReadStreamsWithPrefix(std::string(StreamPrefix(kind)));
    if (!read.ok()) return read.status();
    for (EventRecord& event : *read) {
      if (event.position <= head) events.push_back(std::move(event));
    }
  }
  std::sort(events.begin(), events.end(),
            [](const EventRecord& a, const EventRecord& b) {
              return a.position < b.position;
            });
  UnitTree tree;  // folded aside: a failure leaves tree_ as it was
  for (const EventRecord& event : events) {
    if (Status applied = tree.Apply(event); !applied.ok()) return applied;
  }
  tree_ = std::move(tree);
  next_fold_ = head + 1;
  return Status::Ok();
}

}  // namespace exemplar::api
