#include "relay/jetstream.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

namespace exemplar::relay {
namespace {

constexpr char kMsgIdHeader[] = "Nats-Msg-Id";

// The library's text for `s` and, when it kept one, its last error detail.
std::string NatsError(natsStatus s) {
  std::string text = natsStatus_GetText(s);
  if (const char* detail = nats_GetLastError(nullptr); detail && *detail) {
    text += std::string(" (") + detail + ")";
  }
  return text;
}

std::string StreamSubject(const RelayOptions& options) {
  return options.subject_prefix + ".>";
}

std::int64_t Nanoseconds(std::chrono::milliseconds duration) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
}

// Why the existing stream `config` cannot take the relay's messages, or ""
// when it can.
std::string Incompatibility(const jsStreamConfig& config,
                            const RelayOptions& options) {
  const std::string wanted = StreamSubject(options);
  bool covers = false;
  std::string subjects;
  for (int i = 0; i < config.SubjectsLen; ++i) {
    std::string subject = config.Subjects[i];
    covers = covers || subject == wanted || subject == ">";
    subjects += (i ? ", " : "") + subject;
  }
  const std::string name = "stream " + options.stream_name;
  if (!covers) {
    return name + " holds subjects [" + subjects + "], not " + wanted;
  }
  if (config.Storage != js_FileStorage) {
    return name + " uses memory storage; the relay needs file storage";
  }
  if (config.Replicas != options.replicas) {
    return name + " has " + std::to_string(config.Replicas) +
           " replicas; the relay is configured for " +
           std::to_string(options.replicas);
  }
  if (config.Duplicates < Nanoseconds(options.dedupe_window)) {
    return name + " drops duplicates within " +
           std::to_string(config.Duplicates / 1000000) +
           " ms; the relay needs at least " +
           std::to_string(options.dedupe_window.count()) + " ms";
  }
  return {};
}

Status OptionError(const std::string& what, natsStatus s) {
  return Status::InvalidArgument("NATS " + what + ": " + NatsError(s));
}

// Servers, credentials and TLS from `options` into `opts`.
Status ConfigureServers(const RelayOptions& options, natsOptions* opts) {
  std::vector<const char*> urls;
  for (const std::string& url : options.urls) urls.push_back(url.c_str());
  natsStatus s =
      natsOptions_SetServers(opts, urls.data(), static_cast<int>(urls.size()));
  if (s != NATS_OK) return OptionError("server URLs", s);
  if (!options.token.empty()) {
    s = natsOptions_SetToken(opts, options.token.c_str());
    if (s != NATS_OK) return OptionError("token", s);
  }
  if (!options.credentials_file.empty()) {
    s = natsOptions_SetUserCredentialsFromFiles(
        opts, options.credentials_file.c_str(), nullptr);
    if (s != NATS_OK) return OptionError("credentials file", s);
  }
  if (options.tls) {
    s = natsOptions_SetSecure(opts, true);
    if (s != NATS_OK) return OptionError("TLS", s);
  }
  if (!options.tls_ca_file.empty()) {
    s = natsOptions_LoadCATrustedCertificates(opts,
                                              options.tls_ca_file.c_str());
    if (s != NATS_OK) return OptionError("TLS CA file", s);
  }
  if (!options.tls_cert_file.empty()) {
    s = natsOptions_LoadCertificatesChain(opts, options.tls_cert_file.c_str(),
                                          options.tls_key_file.c_str());
    if (s != NATS_OK) return OptionError("TLS certificate or key", s);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<JetStream>> JetStream::Connect(
    const RelayOptions& options, AckCallback on_ack) {
  std::unique_ptr<JetStream> js(new JetStream(
      std::move(on_ack), options.min_backoff, options.max_backoff));
  natsStatus s = natsOptions_Create(&js->options_);
  if (s != NATS_OK) return OptionError("options", s);
  natsOptions* opts = js->options_;
  EXEMPLAR_RETURN_IF_ERROR(ConfigureServers(options, opts));
  natsOptions_SetMaxReconnect(opts, -1);  // forever, with back-off
  natsOptions_SetCustomReconnectDelay(opts, &JetStream::ReconnectDelay,
                                      js.get());
  // No buffering while disconnected: a publish then fails at once and the
  // relay's next round re-sends in order. A buffer would replay later
  // messages on the new connection after earlier ones were lost with the
  // old one.
  natsOptions_SetReconnectBufSize(opts, 1);
  natsOptions_SetDisconnectedCB(opts, &JetStream::OnDisconnected, js.get());
  natsOptions_SetReconnectedCB(opts, &JetStream::OnReconnected, js.get());
  natsOptions_SetRetryOnFailedConnect(opts, true, &JetStream::OnReconnected,
                                      js.get());

  s = natsConnection_Connect(&js->connection_, opts);
  if (s == NATS_NOT_YET_CONNECTED) {
    spdlog::warn("relay: no NATS server answers yet; retrying with back-off");
  } else if (s != NATS_OK) {
    return OptionError("connect", s);
  }

  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.PublishAsync.AckHandler = &JetStream::OnPublishAck;
  js_options.PublishAsync.AckHandlerClosure = js.get();
  s = natsConnection_JetStream(&js->js_, js->connection_, &js_options);
  if (s != NATS_OK) return OptionError("JetStream context", s);
  return js;
}

JetStream::~JetStream() {
  if (connection_) natsConnection_Close(connection_);
  if (js_) jsCtx_Destroy(js_);
  if (connection_) natsConnection_Destroy(connection_);
  if (options_) natsOptions_Destroy(options_);
}

bool JetStream::connected() const {
  return natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED;
}

Status JetStream::EnsureStream(const RelayOptions& options) {
  if (!connected()) return Status::Unavailable("not connected to NATS");
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s =
      js_GetStreamInfo(&info, js_, options.stream_name.c_str(), nullptr, &code);
  if (s == NATS_OK) {
    std::string problem = Incompatibility(*info->Config, options);
    jsStreamInfo_Destroy(info);
    if (!problem.empty()) {
      return Status::Rejected("stream_incompatible", problem);
    }
    return Status::Ok();
  }
  if (s != NATS_NOT_FOUND) {
    return Status::Unavailable("JetStream stream info: " + NatsError(s));
  }

  const std::string subject = StreamSubject(options);
  const char* subjects[] = {subject.c_str()};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = options.stream_name.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Replicas = options.replicas;
  config.Duplicates = Nanoseconds(options.dedupe_window);
  s = js_AddStream(&info, js_, &config, nullptr, &code);
  if (s != NATS_OK) {
    return Status::Unavailable("cannot create JetStream stream " +
                               options.stream_name + ": " + NatsError(s));
  }
  jsStreamInfo_Destroy(info);
  spdlog::info("relay: created JetStream stream {} on {} ({} replicas)",
               options.stream_name, subject, options.replicas);
  return Status::Ok();
}

Result<std::uint64_t> JetStream::LastStoredPosition(
    const RelayOptions& options) {
  jsStreamInfo* info = nullptr;
  natsStatus s = js_GetStreamInfo(&info, js_, options.stream_name.c_str(),
                                  nullptr, nullptr);
  if (s != NATS_OK) {
    return Status::Unavailable("JetStream stream info: " + NatsError(s));
  }
  const std::uint64_t last_sequence = info->State.LastSeq;
  const std::uint64_t messages = info->State.Msgs;
  jsStreamInfo_Destroy(info);
  if (messages == 0) return std::uint64_t{0};

  natsMsg* msg = nullptr;
  s = js_GetMsg(&msg, js_, options.stream_name.c_str(), last_sequence, nullptr,
                nullptr);
  if (s != NATS_OK) {
    return Status::Unavailable("JetStream last message: " + NatsError(s));
  }
  std::uint64_t position = 0;
  const char* id = nullptr;
  if (natsMsgHeader_Get(msg, kMsgIdHeader, &id) == NATS_OK && id) {
    std::from_chars(id, id + std::strlen(id), position);
  }
  natsMsg_Destroy(msg);
  return position;
}

Status JetStream::PublishAsync(const std::string& subject,
                               const std::string& body, std::uint64_t position,
                               std::uint64_t previous,
                               std::chrono::milliseconds ack_timeout) {
  natsMsg* msg = nullptr;
  natsStatus s = natsMsg_Create(&msg, subject.c_str(), nullptr, body.data(),
                                static_cast<int>(body.size()));
  if (s != NATS_OK) return Status::Unavailable(NatsError(s));
  const std::string id = std::to_string(position);
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MsgId = id.c_str();
  const std::string previous_id = std::to_string(previous);
  if (previous != 0) options.ExpectLastMsgId = previous_id.c_str();
  options.MaxWait = ack_timeout.count();
  s = js_PublishMsgAsync(js_, &msg, &options);
  natsMsg_Destroy(msg);  // a no-op when the library took the message
  if (s != NATS_OK) return Status::Unavailable(NatsError(s));
  return Status::Ok();
}

void JetStream::OnPublishAck(jsCtx*, natsMsg* msg, jsPubAck* ack,
                             jsPubAckErr* error, void* closure) {
  auto* self = static_cast<JetStream*>(closure);
  PublishAck outcome;
  const char* id = nullptr;
  if (natsMsgHeader_Get(msg, kMsgIdHeader, &id) == NATS_OK && id) {
    std::from_chars(id, id + std::strlen(id), outcome.position);
  }
  if (ack) {
    outcome.ok = true;
    outcome.duplicate = ack->Duplicate;
  } else if (error) {
    outcome.error = error->ErrText ? error->ErrText : NatsError(error->Err);
  }
  natsMsg_Destroy(msg);
  if (outcome.position != 0) self->on_ack_(outcome);
}

std::int64_t JetStream::ReconnectDelay(natsConnection*, int attempts,
                                       void* closure) {
  auto* self = static_cast<JetStream*>(closure);
  std::int64_t delay = self->min_backoff_.count();
  for (int i = 1; i < attempts && delay < self->max_backoff_.count(); ++i) {
    delay *= 2;
  }
  return std::min<std::int64_t>(delay, self->max_backoff_.count());
}

void JetStream::OnDisconnected(natsConnection* nc, void*) {
  if (natsConnection_IsClosed(nc)) return;  // our own Close()
  spdlog::warn("relay: disconnected from NATS; reconnecting with back-off");
}

void JetStream::OnReconnected(natsConnection* nc, void*) {
  // The server id, not the URL: a URL may carry a user and password.
  char server_id[128] = "";
  natsConnection_GetConnectedServerId(nc, server_id, sizeof server_id);
  spdlog::info("relay: connected to NATS server {}", server_id);
}

}  // namespace exemplar::relay
