#include "tools/serve_config.h"

#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace exemplar::tools {
namespace {

template <typename T>
Status ParseNumber(const std::string& key, const std::string& value, T* out) {
  try {
    size_t used = 0;
    unsigned long long parsed = std::stoull(value, &used);
    if (used != value.size() || value.front() == '-' ||
        parsed > std::numeric_limits<T>::max()) {
      throw std::out_of_range(value);
    }
    *out = static_cast<T>(parsed);
    return Status::Ok();
  } catch (const std::exception&) {
    return Status::InvalidArgument(key + ": not a number in range: " + value,
                                   key);
  }
}

// Minutes, fractions allowed (down to a second), up to a day.
Status ParseMinutes(const std::string& key, const std::string& value,
                    std::chrono::seconds* out) {
  try {
    size_t used = 0;
    const double minutes = std::stod(value, &used);
    if (used != value.size() || !(minutes * 60 >= 1) || minutes > 24 * 60) {
      throw std::out_of_range(value);
    }
    *out = std::chrono::seconds(static_cast<std::int64_t>(minutes * 60));
    return Status::Ok();
  } catch (const std::exception&) {
    return Status::InvalidArgument(
        key + ": minutes from 1/60 to 1440 expected: " + value, key);
  }
}

template <typename T>
ServeSetting Number(std::string key, std::string env, std::string flag,
                    std::string help, T api::ServerOptions::*member) {
  return {key, env, flag, help,
          [key, member](const std::string& value, ServeOptions* options) {
            return ParseNumber(key, value, &(options->server.*member));
          }};
}

ServeSetting Seconds(std::string key, std::string env, std::string flag,
                     std::string help,
                     std::chrono::seconds api::ServerOptions::*member) {
  return {key, env, flag, help,
          [key, member](const std::string& value, ServeOptions* options) {
            std::uint32_t seconds = 0;
            EXEMPLAR_RETURN_IF_ERROR(ParseNumber(key, value, &seconds));
            options->server.*member = std::chrono::seconds(seconds);
            return Status::Ok();
          }};
}

ServeSetting Text(std::string key, std::string env, std::string flag,
                  std::string help,
                  std::function<std::string*(ServeOptions*)> field) {
  return {key, env, flag, help,
          [field](const std::string& value, ServeOptions* options) {
            *field(options) = value;
            return Status::Ok();
          }};
}

// A count of the SSE or query options.
ServeSetting Limit(std::string key, std::string env, std::string flag,
                   std::string help,
                   std::function<std::size_t*(ServeOptions*)> field) {
  return {key, env, flag, help,
          [key, field](const std::string& value, ServeOptions* options) {
            return ParseNumber(key, value, field(options));
          }};
}

}  // namespace

const std::vector<ServeSetting>& ServeSettings() {
  using api::ServerOptions;
  static const std::vector<ServeSetting> settings = {
      Text("data", "EXEMPLAR_DATA", "--data", "Data folder",
           [](ServeOptions* o) { return &o->data_dir; }),
      Text("master_key_file", "EXEMPLAR_MASTER_KEY_FILE", "--master-key-file",
           "The master key that wraps the key vault: a file of 64 hex "
           "digits, mode 0600 (default: EXEMPLAR_MASTER_KEY, else the data "
           "folder's master.key)",
           [](ServeOptions* o) { return &o->master_key_file; }),
      Text("workflow", "EXEMPLAR_WORKFLOW", "--workflow",
           "Workflow definition JSON",
           [](ServeOptions* o) { return &o->workflow_path; }),
      Text("bind", "EXEMPLAR_BIND", "--bind", "Address to bind",
           [](ServeOptions* o) { return &o->server.bind_address; }),
      Number("port", "EXEMPLAR_PORT", "--port", "TCP port (0: any free one)",
             &ServerOptions::port),
      Number("header_limit_bytes", "EXEMPLAR_HEADER_LIMIT", "--header-limit",
             "Largest request header block, bytes",
             &ServerOptions::header_limit_bytes),
      Number("body_limit_bytes", "EXEMPLAR_BODY_LIMIT", "--body-limit",
             "Largest request body, bytes", &ServerOptions::body_limit_bytes),
      Seconds("read_timeout_seconds", "EXEMPLAR_READ_TIMEOUT", "--read-timeout",
              "Time to receive a whole request, seconds",
              &ServerOptions::read_timeout),
      Seconds("idle_timeout_seconds", "EXEMPLAR_IDLE_TIMEOUT", "--idle-timeout",
              "Time a keep-alive connection may wait for its next request, "
              "seconds",
              &ServerOptions::idle_timeout),
      Number("max_connections", "EXEMPLAR_MAX_CONNECTIONS", "--max-connections",
             "Open connections beyond this are refused",
             &ServerOptions::max_connections),
      Number("io_threads", "EXEMPLAR_IO_THREADS", "--io-threads",
             "I/O threads (0: one per core)", &ServerOptions::io_threads),
      Number("handler_threads", "EXEMPLAR_HANDLER_THREADS", "--handler-threads",
             "Threads that run handlers", &ServerOptions::handler_threads),
      Limit("max_streams_per_user", "EXEMPLAR_MAX_STREAMS_PER_USER",
            "--max-streams-per-user",
            "Event streams one user may hold open (0: no limit)",
            [](ServeOptions* o) { return &o->sse.max_subscribers_per_user; }),
      Limit("max_streams_per_token", "EXEMPLAR_MAX_STREAMS_PER_TOKEN",
            "--max-streams-per-token",
            "Event streams one token may hold open (0: no limit)",
            [](ServeOptions* o) { return &o->sse.max_subscribers_per_token; }),
      Limit("max_waits_per_user", "EXEMPLAR_MAX_WAITS_PER_USER",
            "--max-waits-per-user",
            "min_position queries one user may have waiting (0: no limit)",
            [](ServeOptions* o) { return &o->queries.max_waits_per_user; }),
      Limit("max_waits_per_token", "EXEMPLAR_MAX_WAITS_PER_TOKEN",
            "--max-waits-per-token",
            "min_position queries one token may have waiting (0: no limit)",
            [](ServeOptions* o) { return &o->queries.max_waits_per_token; }),
      Limit("max_waits", "EXEMPLAR_MAX_WAITS", "--max-waits",
            "min_position queries waiting at once in all (0: no limit)",
            [](ServeOptions* o) { return &o->queries.max_waits; }),
      Text("public_url", "EXEMPLAR_PUBLIC_URL", "--public-url",
           "The server's public https:// address behind a TLS proxy: "
           "cookies are marked Secure and browsers must name its origin",
           [](ServeOptions* o) { return &o->people.public_url; }),
      Text("trusted_proxy", "EXEMPLAR_TRUSTED_PROXY", "--trusted-proxy",
           "The reverse proxy's IP address, the only one whose "
           "X-Forwarded-For and X-Forwarded-Proto are believed",
           [](ServeOptions* o) { return &o->server.trusted_proxy; }),
      {"session_idle_minutes", "EXEMPLAR_SESSION_IDLE_MINUTES",
       "--session-idle-minutes",
       "A signed-in session ends after this many minutes without a request "
       "(fractions allowed)",
       [](const std::string& value, ServeOptions* options) {
         return ParseMinutes("session_idle_minutes", value,
                             &options->people.idle_timeout);
       }},
      {"staff_address_months", "EXEMPLAR_STAFF_ADDRESS_MONTHS",
       "--staff-address-months",
       "Months the IP addresses of staff requests are kept after the month "
       "they were recorded in; then their key is destroyed",
       [](const std::string& value, ServeOptions* options) {
         return ParseNumber("staff_address_months", value,
                            &options->personal_data.staff_address_months);
       }},
      {"retention_proposal_hour", "EXEMPLAR_RETENTION_PROPOSAL_HOUR",
       "--retention-proposal-hour",
       "Local hour (0 to 23) at which, once a day, the erasures the "
       "retention rules make due are proposed for approval (default: never; "
       "POST /v1/reports/retention/proposals proposes them on demand)",
       [](const std::string& value, ServeOptions* options) {
         int hour = 0;
         EXEMPLAR_RETURN_IF_ERROR(
             ParseNumber("retention_proposal_hour", value, &hour));
         if (hour > 23) {
           return Status::InvalidArgument(
               "retention_proposal_hour: an hour from 0 to 23: " + value,
               "retention_proposal_hour");
         }
         options->retention.hour = hour;
         return Status::Ok();
       }},
      {"document_limit_bytes", "EXEMPLAR_DOCUMENT_LIMIT", "--document-limit",
       "Largest evidence document uploaded through POST /v1/documents, "
       "bytes (request bodies of other routes keep body_limit_bytes)",
       [](const std::string& value, ServeOptions* options) {
         return ParseNumber("document_limit_bytes", value,
                            &options->documents.max_bytes);
       }},
      {"view_cache_bytes", "EXEMPLAR_VIEW_CACHE_BYTES", "--view-cache-bytes",
       "Rendered exemplar views kept in memory, bytes of JSON (0: none)",
       [](const std::string& value, ServeOptions* options) {
         return ParseNumber("view_cache_bytes", value,
                            &options->queries.view_cache_bytes);
       }},
  };
  return settings;
}

Status ResolveServeOptions(const std::string& config_path,
                           const std::map<std::string, std::string>& flags,
                           ServeOptions* options) {
  const auto& settings = ServeSettings();
  if (!config_path.empty()) {
    std::ifstream in(config_path);
    if (!in) return Status::InvalidArgument("cannot read " + config_path);
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json config = nlohmann::json::parse(text.str(), nullptr, false);
    if (!config.is_object()) {
      return Status::InvalidArgument(config_path + " is not a JSON object");
    }
    for (const auto& [key, value] : config.items()) {
      auto setting =
          std::find_if(settings.begin(), settings.end(),
                       [&](const ServeSetting& s) { return s.key == key; });
      if (setting == settings.end()) {
        return Status::InvalidArgument(config_path + ": unknown setting " + key,
                                       key);
      }
      std::string text_value =
          value.is_string() ? value.get<std::string>() : value.dump();
      Status applied = setting->apply(text_value, options);
      if (!applied.ok()) {
        return Status::InvalidArgument(config_path + ": " + applied.message(),
                                       key);
      }
    }
  }
  for (const ServeSetting& setting : settings) {
    if (const char* value = std::getenv(setting.env.c_str())) {
      Status applied = setting.apply(value, options);
      if (!applied.ok()) {
        return Status::InvalidArgument(setting.env + ": " + applied.message(),
                                       setting.env);
      }
    }
  }
  for (const ServeSetting& setting : settings) {
    if (auto flag = flags.find(setting.flag); flag != flags.end()) {
      Status applied = setting.apply(flag->second, options);
      if (!applied.ok()) {
        return Status::InvalidArgument(setting.flag + ": " + applied.message(),
                                       setting.flag);
      }
    }
  }
  return Status::Ok();
}

}  // namespace exemplar::tools
