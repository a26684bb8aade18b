#include "relay/checkpoint.h"

namespace exemplar::relay {
namespace {

// The key within the side store's relay space (which adds "relay/").
std::string SpaceKey(const std::string& stream_name) {
  return stream_name + "/checkpoint";
}

}  // namespace

Result<std::uint64_t> LoadCheckpoint(const EventStore& store,
                                     const std::string& stream_name) {
  auto value = store.side_store().Get(SideSpace::kRelayCheckpoints,
                                      SpaceKey(stream_name));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::uint64_t{0};
  if ((*value)->size() != 8) {
    return Status::Corruption(
        "relay checkpoint for stream " + stream_name + " is malformed", 0);
  }
  return DecodePosition(**value);
}

Status SaveCheckpoint(const EventStore& store, const std::string& stream_name,
                      std::uint64_t position) {
  SideStore& side = store.side_store();
  SideStore::Batch batch = side.NewBatch();
  batch.Put(SideSpace::kRelayCheckpoints, SpaceKey(stream_name),
            EncodePosition(position));
  return side.Write(&batch, Durability::kSynced);
}

}  // namespace exemplar::relay
