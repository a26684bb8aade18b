#include "api/subject_access_routes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/query.h"
#include "engine/workflow/event_data.h"
#include "engine/workflow/stream_ids.h"
#include "events/clock.h"
#include "events/sha256.h"
#include "projections/queries.h"

namespace exemplar::api {
namespace {

using nlohmann::json;

// The events of the exemplar's stream up to `position`, oldest first.
Result<std::vector<EventRecord>> StreamUpTo(const EventStore& store,
                                            const std::string& exemplar_id,
                                            std::uint64_t position) {
  constexpr std::size_t kPage = 1000;
  std::vector<EventRecord> events;
  const std::string stream = ExemplarStreamId(exemplar_id);
  while (true) {
    const std::uint64_t from =
        events.empty() ? 0 : events.back().stream_version + 1;
    auto page = store.ReadStream(stream, from, Direction::kForward, kPage);
    if (!page.ok()) return page.status();
    for (EventRecord& record : *page) {
      if (record.position > position) return events;
      events.push_back(std::move(record));
    }
    if (page->size() < kPage) return events;
  }
}

// The fields of `action` holding a third party's personal data.
bool ThirdParty(const ActionSpec* action, const std::string& field) {
  const FieldSpec* spec = action ? action->FindField(field) : nullptr;
  return spec && spec->personal && spec->personal->of == PersonalOf::kCommenter;
}

// One event as the subject receives it.
json SubjectEvent(const Definition& definition, const PersonalData* personal,
                  const EventRecord& record, int offset) {
  json data = EventData(definition, record, personal);
  json out = {
      {"position", record.position},
      {"stream_version", record.stream_version},
      {"hash", ToHex(record.hash)},
      {"recorded_at",
       projections::FormatInstant(record.recorded_at_us, offset)},
      {"type", record.type},
      {"actor",
       {{"user_id", record.actor.user_id},
        {"role", record.actor.role},
        {"unit_id", record.actor.unit_id}}},
      {"reason", ReadableReason(personal, record.stream_id, record.reason)}};
  if (!data.is_object() || !data.contains("action")) {
    out["data"] = data;  // a transfer between units
    return out;
  }
  const ActionSpec* action = definition.FindAction(data["action"]);
  out["action"] = data["action"];
  if (action) out["action_vi"] = action->label.vi;
  json fields = json::object();
  json withheld = json::array();
  for (auto& [name, value] : data["fields"].items()) {
    if (ThirdParty(action, name)) {
      withheld.push_back(name);
    } else {
      fields[name] = value;
    }
  }
  out["fields"] = std::move(fields);
  if (!withheld.empty()) out["withheld_third_party"] = std::move(withheld);
  return out;
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

// A field's value as a person reads it, as HTML: a choice by its label, a
// document by its name, linked to where it is read while it can be.
std::string Shown(const FieldSpec* field, const json& value,
                  const std::string& exemplar_id) {
  auto one = [&](const json& item) {
    if (item.is_object() && item.contains("name")) {
      const std::string name = Escape(Text(item["name"]));
      if (!item.contains("hash") || Text(item["name"]) == kErasedValue) {
        return name;
      }
      return "<a href=\"/v1/exemplars/" + Escape(exemplar_id) + "/documents/" +
             Escape(Text(item["hash"])) + "\">" + name + "</a>";
    }
    const Label* label =
        field && item.is_string() ? field->ValueLabel(item) : nullptr;
    return Escape(label ? label->vi : Text(item));
  };
  if (!value.is_array()) return one(value);
  std::string out;
  for (const json& item : value) out += (out.empty() ? "" : ", ") + one(item);
  return out;
}

// "2025-01-26T06:21:36+07:00" as "2025-01-26 06:21" (local time).
std::string LocalTime(const json& instant) {
  std::string text = Text(instant).substr(0, 16);
  if (text.size() == 16) text[10] = ' ';
  return text;
}

// The document as a page to read and print.
std::string ToHtml(const Definition& definition, const json& document) {
  std::string html =
      "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">"
      "<title>Dữ liệu cá nhân của chủ thể " +
      Escape(Text(document["exemplar_id"])) +
      "</title><style>body{font-family:sans-serif;max-width:60em;margin:2em "
      "auto;padding:0 1em}table{border-collapse:collapse;width:100%}td,th{"
      "border:1px solid #999;padding:.3em;vertical-align:top;text-align:left}"
      "small{color:#555;overflow-wrap:anywhere}@media (max-width:40em){"
      "table,tr,td{display:block}tr:first-child{display:none}td{border:0;"
      "padding:.1em 0}tr{border-top:1px solid #999;padding:.5em 0}}"
      "</style></head><body>";
  const json& request = document["request"];
  html += "<h1>Dữ liệu cá nhân đang được lưu giữ</h1><p>Chủ thể: <b>" +
          Escape(Text(document["name"])) + "</b> (" +
          Escape(Text(document["exemplar_id"])) + ")</p><p>Đơn yêu cầu số " +
          Escape(Text(request["fields"]["legal_reference"])) + " ngày " +
          Escape(Text(request["fields"]["legal_date"])) + "; cung cấp lúc " +
          Escape(LocalTime(request["recorded_at"])) + " bởi " +
          Escape(Text(request["actor"]["user_id"])) + " (vị trí " +
          Escape(Text(request["position"])) + " trong sổ sự kiện).</p>";
  html +=
      "<table><tr><th>Thời điểm</th><th>Bước</th><th>Người thực hiện</th>"
      "<th>Nội dung</th></tr>";
  for (const json& event : document["events"]) {
    const ActionSpec* action = event.contains("action")
                                   ? definition.FindAction(event["action"])
                                   : nullptr;
    std::string content;
    const json fields = event.value("fields", json::object());
    for (const auto& [name, value] : fields.items()) {
      const FieldSpec* field = action ? action->FindField(name) : nullptr;
      content += "<div>" + Escape(field ? field->label.vi : name) + ": " +
                 Shown(field, value, Text(document["exemplar_id"])) + "</div>";
    }
    if (event.contains("withheld_third_party")) {
      content += "<div><small>Không cung cấp dữ liệu của người khác: " +
                 Escape(Text(event["withheld_third_party"])) + "</small></div>";
    }
    html += "<tr><td>" + Escape(LocalTime(event["recorded_at"])) + "</td><td>" +
            Escape(action ? action->label.vi
                   : event["type"] == "exemplar_transferred"
                       ? "Chuyển đơn vị"
                       : Text(event["type"])) +
            "</td><td>" + Escape(Text(event["actor"]["user_id"])) + " (" +
            Escape(Text(event["actor"]["role"])) + ")</td><td>" + content +
            "<div><small>vị trí " + Escape(Text(event["position"])) +
            ", mã băm " + Escape(Text(event["hash"])) +
            "</small></div></td></tr>";
  }
  return html + "</table></body></html>";
}

// Whether the caller may read the document of the step `step`: its actor,
// or an admin, holding now the step's role or admin.
bool MayRead(const Authority& authority, const std::string& user,
             const EventRecord& step, std::int64_t now) {
  bool admin = false, role = false;
  for (const GrantRecord* grant : authority.GrantsOf(user, now)) {
    admin |= grant->role == "admin";
    role |= grant->role == step.actor.role;
  }
  return admin || (role && user == step.actor.user_id);
}

Response NotFound(const Request& request) {
  return Problem(request, http::status::not_found, "subject_access_not_found",
                 "no subject-access step of this exemplar at that position",
                 "position");
}

}  // namespace

void AddSubjectAccessRoutes(Router& router, const EventStore& store,
                            CommandHandler& handler) {
  router.Add(
      http::verb::get, "/v1/exemplars/{id}/subject-access",
      [&store, &handler](const Request& request,
                         const RouteParams& params) -> Reply {
        const std::string& id = params.path.at("id");
        auto position = RequiredNumber(params, "position", 1, kMaxQueryNumber);
        if (!position.ok())
          return ProblemFromStatus(request, position.status());
        auto events = StreamUpTo(store, id, *position);
        if (!events.ok()) return ProblemFromStatus(request, events.status());
        if (events->empty() || events->back().position != *position) {
          return NotFound(request);
        }
        const Definition& definition = handler.definition();
        const PersonalData* personal = handler.personal_data();
        const int offset = definition.utc_offset_minutes;
        const EventRecord& step = events->back();
        json request_event = SubjectEvent(definition, personal, step, offset);
        const ActionSpec* action =
            definition.FindAction(request_event.value("action", ""));
        if (action == nullptr || !action->effects.gives_subject_access) {
          return NotFound(request);
        }
        auto authority = handler.CurrentAuthority();
        if (!authority.ok())
          return ProblemFromStatus(request, authority.status());
        if (!MayRead(**authority, params.context.user_id, step,
                     SystemClockMicros())) {
          // Told apart from an unknown step only to who may read it.
          return NotFound(request);
        }
        json document = {{"exemplar_id", id},
                         {"name", nullptr},
                         {"request", request_event},
                         {"events", json::array()}};
        for (const EventRecord& record : *events) {
          json event = SubjectEvent(definition, personal, record, offset);
          if (document["name"].is_null() && event.contains("fields") &&
              event["fields"].contains(definition.subject.name_field)) {
            document["name"] = event["fields"][definition.subject.name_field];
          }
          document["events"].push_back(std::move(event));
        }
        const std::string accept(request[http::field::accept]);
        if (accept.find("text/html") != std::string::npos) {
          Response response(http::status::ok, request.version());
          response.set(http::field::content_type, "text/html; charset=utf-8");
          response.keep_alive(request.keep_alive());
          response.body() = ToHtml(definition, document);
          response.prepare_payload();
          return response;
        }
        return JsonResponse(request, http::status::ok, document);
      });
}

}  // namespace exemplar::api
