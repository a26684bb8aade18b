#include "api/view_cache.h"

namespace exemplar::api {

std::optional<RenderedView> ViewCache::Find(const std::string& exemplar_id,
                                            const ViewStamp& stamp) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(exemplar_id);
  if (found == entries_.end() || !(found->second.stamp == stamp)) {
    return std::nullopt;
  }
  return found->second.view;
}

void ViewCache::Put(const std::string& exemplar_id, const ViewStamp& stamp,
                    RenderedView view) {
  const std::size_t size = view.body->size();
  if (size > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto old = entries_.find(exemplar_id); old != entries_.end()) {
    bytes_ -= old->second.view.body->size();
    order_.erase(old->second.place);
    entries_.erase(old);
  }
  while (bytes_ + size > max_bytes_) {
    auto oldest = entries_.find(order_.front());
    bytes_ -= oldest->second.view.body->size();
    entries_.erase(oldest);
    order_.pop_front();
  }
  order_.push_back(exemplar_id);
  entries_[exemplar_id] =
      Entry{stamp, std::move(view), std::prev(order_.end())};
  bytes_ += size;
}

}  // namespace exemplar::api
