#include "projections/row_decoder.h"

#include <cstdint>
#include <iterator>
#include <utility>
#include <variant>

namespace exemplar::projections {
namespace {

// Loads alternative `index` of a field value the way cereal's variant load
// does (an int32 index, then the value), but into the alternative already
// held when it is the same one, keeping its storage.
template <std::size_t... I>
void LoadFieldValue(BoundedInputArchive& archive, std::int32_t index,
                    FieldValue* value, std::index_sequence<I...>) {
  auto load = [&]<std::size_t N>(std::integral_constant<std::size_t, N>) {
    if (value->index() != N) value->template emplace<N>();
    archive(std::get<N>(*value));
  };
  ((index == static_cast<std::int32_t>(I)
        ? load(std::integral_constant<std::size_t, I>())
        : void()),
   ...);
}

}  // namespace

bool WorkflowEventDecoder::Decode(std::string_view bytes,
                                  WorkflowEvent* event) {
  try {
    BoundedInputArchive archive(bytes);
    archive(event->action, event->definition_name, event->definition_version);
    LoadFields(archive, &event->fields);
    return archive.remaining() == 0;
  } catch (const std::exception&) {
    return false;
  }
}

void WorkflowEventDecoder::LoadFields(BoundedInputArchive& archive,
                                      Fields* fields) {
  // From the last, so that popping from the back reuses them in key order
  // (a node tends to meet the same field, and alternative, again).
  while (!fields->empty()) {
    spare_.push_back(fields->extract(std::prev(fields->end())));
  }
  cereal::size_type size = 0;
  archive(cereal::make_size_tag(size));
  for (cereal::size_type i = 0; i < size; ++i) {
    Fields::node_type node;
    if (spare_.empty()) {
      Fields fresh;
      fresh.try_emplace(std::string());
      node = fresh.extract(fresh.begin());
    } else {
      node = std::move(spare_.back());
      spare_.pop_back();
    }
    archive(node.key());
    std::int32_t index = 0;
    archive(index);
    if (index < 0 ||
        index >= static_cast<std::int32_t>(std::variant_size_v<FieldValue>)) {
      throw cereal::Exception("invalid field value alternative");
    }
    LoadFieldValue(archive, index, &node.mapped(),
                   std::make_index_sequence<std::variant_size_v<FieldValue>>());
    // As cereal's map load: a repeated key keeps its first value.
    fields->insert(fields->end(), std::move(node));
    if (!node.empty()) spare_.push_back(std::move(node));
  }
}

}  // namespace exemplar::projections
