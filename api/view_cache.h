// Rendered exemplar views, so that reading the same exemplar again costs a
// lookup instead of reading its stream, folding it and writing its JSON.
//
// An entry is valid for the state it was rendered from, named by a
// ViewStamp: the log's head (any append may have changed the exemplar) and
// the projections' position (the unit path's names come from them). A
// lookup with another stamp misses, so a view is never older than one
// rendered afresh would be. Private to api/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace exemplar::api {

struct ViewStamp {
  std::uint64_t head_position = 0;
  std::uint64_t projections_position = 0;

  bool operator==(const ViewStamp&) const = default;
};

// What the route needs of a rendered view: the unit, to check the reader's
// scope, the JSON body, and the stream version it shows (its ETag).
struct RenderedView {
  std::string unit_id;
  std::shared_ptr<const std::string> body;
  std::uint64_t version = 0;
};

class ViewCache {
 public:
  // Holds views up to `max_bytes` of bodies; the least recently put go
  // first.
  explicit ViewCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The view of `exemplar_id` rendered at `stamp`, if held. Thread-safe.
  std::optional<RenderedView> Find(const std::string& exemplar_id,
                                   const ViewStamp& stamp) const;

  // Keeps `view` of `exemplar_id` as rendered at `stamp`, replacing any
  // older one; a body larger than the whole budget is not kept.
  // Thread-safe.
  void Put(const std::string& exemplar_id, const ViewStamp& stamp,
           RenderedView view);

 private:
  struct Entry {
    ViewStamp stamp;
    RenderedView view;
    std::list<std::string>::iterator place;  // in order_
  };

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::list<std::string> order_;  // ids, least recently put first; guarded
  std::size_t bytes_ = 0;         // of the bodies held; guarded
};

}  // namespace exemplar::api
