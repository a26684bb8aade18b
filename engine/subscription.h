// A subscription to the log: history from a position, then live events.
//
// The consumer pulls with Next(). History is read from the store on the
// consumer's thread; live events are pushed by the sequencer into a bounded
// buffer. When the buffer overflows, the subscription is dropped: Next()
// returns kDropped with the position to resume from. The writer never waits
// for a subscriber and memory stays bounded.
//
// Thread safety: one consumer thread per Subscription; Cancel() may be called
// from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "events/envelope.h"
#include "events/status.h"

namespace exemplar {

class Subscription {
 public:
  virtual ~Subscription() = default;

  // The next matching event in position order; nullopt when none arrived
  // within `timeout`. Errors: kDropped (number() is the position to resume
  // from), kUnavailable (cancelled or store closed), kCorruption.
  virtual Result<std::optional<EventRecord>> Next(
      std::chrono::milliseconds timeout) = 0;

  // The position after the last event delivered (or skipped by the filter):
  // where a new subscription would resume.
  virtual std::uint64_t resume_position() const = 0;

  // Wakes a waiting Next(), which then returns kUnavailable.
  virtual void Cancel() = 0;
};

}  // namespace exemplar
