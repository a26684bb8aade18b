#include "api/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <limits>
#include <random>

#include "api/forwarded.h"

namespace exemplar::api {

namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

// A client's X-Request-Id when it is short printable ASCII, else a fresh
// random one.
std::string RequestIdFor(const Request& request) {
  if (auto given = request.find("X-Request-Id"); given != request.end()) {
    std::string_view id(given->value().data(), given->value().size());
    bool printable = !id.empty() && id.size() <= 128;
    for (char c : id) printable = printable && c > ' ' && c <= '~';
    if (printable) return std::string(id);
  }
  thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{:016x}", random());
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Why the request's framing is ambiguous, or "" when it is not. A proxy in
// front and this server must agree on where a request ends, so the only
// Transfer-Encoding accepted is one header saying exactly "chunked", and
// never beside a Content-Length (RFC 9112, 6.1 and 6.3): otherwise a body
// could be read here as a second request the proxy never saw.
std::string FramingProblem(const Request& request) {
  std::size_t encodings = request.count(http::field::transfer_encoding);
  if (encodings == 0) return "";
  if (encodings > 1) return "the request repeats Transfer-Encoding";
  auto field = request[http::field::transfer_encoding];
  std::string_view value(field.data(), field.size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  if (!EqualsNoCase(value, "chunked")) {
    return "Transfer-Encoding must be exactly \"chunked\"";
  }
  if (request.count(http::field::content_length) > 0) {
    return "a request may not carry both Transfer-Encoding and "
           "Content-Length";
  }
  return "";
}

// `text` for the access log: bytes outside printable ASCII as \xNN, so a
// hostile target cannot forge log lines or send terminal escapes.
std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c >= ' ' && c < 0x7f && c != '\\') {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, ServerContext& context)
    : stream_(std::move(socket)), context_(context) {
  ++context_.connections;
  boost::system::error_code error;
  auto remote = stream_.socket().remote_endpoint(error);
  if (!error) remote_address_ = remote.address().to_string();
}

Session::~Session() { --context_.connections; }

void Session::Run() {
  asio::dispatch(
      stream_.get_executor(),
      beast::bind_front_handler(&Session::ReadRequest, shared_from_this()));
}

void Session::ReadRequest() {
  if (context_.stopping) return Close();
  if (buffer_.size() > 0) return ReadRest();  // a pipelined request waits
  stream_.expires_after(context_.options.idle_timeout);
  stream_.async_read_some(
      buffer_.prepare(4096),
      [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
        if (error) return self->Close();
        self->buffer_.commit(bytes);
        self->ReadRest();
      });
}

void Session::ReadRest() {
  parser_.emplace();
  parser_->header_limit(context_.options.header_limit_bytes);
  // Beast would refuse a Content-Length over the limit with the head,
  // before the route, and so the limit, is known: OnHeader sets it. (Not
  // boost::none: Beast compares the length with the optional, and every
  // number is greater than none.)
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  stream_.expires_after(context_.options.read_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

void Session::OnHeader(beast::error_code error, std::size_t) {
  if (ReadFailed(error)) return;
  if (std::string problem = FramingProblem(parser_->get()); !problem.empty()) {
    return Reject(http::status::bad_request, "malformed_request", problem);
  }
  if (std::uint64_t limit = context_.router.UploadLimit(parser_->get())) {
    return StartUpload(limit);
  }
  parser_->body_limit(context_.options.body_limit_bytes);
  if (parser_->content_length().value_or(0) >
      context_.options.body_limit_bytes) {
    ReadFailed(http::error::body_limit);
    return;
  }
  // The body the header's read brought along is parsed at once: a request
  // that came whole (most do) is answered without another trip through
  // the executor.
  while (!parser_->is_done() && buffer_.size() > 0) {
    beast::error_code error;
    const std::size_t used = parser_->put(buffer_.data(), error);
    buffer_.consume(used);
    if (error == http::error::need_more || (!error && used == 0)) break;
    if (error) {
      ReadFailed(error);
      return;
    }
  }
  if (parser_->is_done()) return OnRead({}, 0);
  http::async_read(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
}

bool Session::ReadFailed(beast::error_code error) {
  if (!error) return false;
  if (error == http::error::end_of_stream || error == beast::error::timeout ||
      error == asio::error::operation_aborted) {
    Close();
  } else if (error == http::error::body_limit) {
    Reject(http::status::payload_too_large, "body_too_large",
           "the request body is larger than " +
               std::to_string(context_.options.body_limit_bytes) + " bytes");
  } else if (error == http::error::header_limit) {
    Reject(http::status::request_header_fields_too_large, "header_too_large",
           "the request headers are too large");
  } else {
    Reject(http::status::bad_request, "malformed_request",
           "the request is not valid HTTP/1.1: " + error.message());
  }
  return true;
}

void Session::OnRead(beast::error_code error, std::size_t) {
  if (ReadFailed(error)) return;
  Handle(parser_->release());
}

RequestContext Session::ContextOf(const Request& request) const {
  const Client client =
      ClientOf(request, remote_address_, context_.options.trusted_proxy);
  RequestContext context{RequestIdFor(request), client.address, "", ""};
  context.https = client.https;
  return context;
}

void Session::StartUpload(std::uint64_t limit) {
  auto exchange = std::make_shared<Exchange>();
  exchange->started = std::chrono::steady_clock::now();
  exchange->request = parser_->get();  // the head; the body is streamed
  exchange->matched =
      context_.router.Match(exchange->request, ContextOf(exchange->request));
  auto opened =
      context_.router.OpenUpload(exchange->request, &exchange->matched);
  if (auto* refusal = std::get_if<Response>(&opened)) {
    return Refuse(std::move(*refusal));
  }
  upload_.emplace(std::move(*parser_));
  parser_.reset();
  upload_->sink = std::move(std::get<std::unique_ptr<BodySink>>(opened));
  upload_->exchange = std::move(exchange);
  upload_->deadline =
      std::chrono::steady_clock::now() + context_.options.upload_timeout;
  upload_->limit = limit;
  upload_->parser.body_limit(limit);
  if (upload_->parser.content_length().value_or(0) > limit) {
    Response refusal =
        Problem(upload_->exchange->request, http::status::payload_too_large,
                "document_too_large",
                "the body is larger than " + std::to_string(limit) + " bytes");
    upload_.reset();
    return Refuse(std::move(refusal));
  }
  if (beast::iequals(upload_->exchange->request[http::field::expect],
                     "100-continue")) {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    return asio::async_write(
        stream_, asio::buffer(kContinue),
        [self = shared_from_this()](beast::error_code error, std::size_t) {
          if (error) return self->Close();
          self->ReadUploadPiece();
        });
  }
  ReadUploadPiece();
}

void Session::ReadUploadPiece() {
  auto& body = upload_->parser.get().body();
  body.data = upload_->piece.data();
  body.size = upload_->piece.size();
  const auto left = upload_->deadline - std::chrono::steady_clock::now();
  stream_.expires_after(std::min<std::chrono::steady_clock::duration>(
      context_.options.read_timeout, std::max(left, left.zero())));
  http::async_read(
      stream_, buffer_, upload_->parser,
      [self = shared_from_this()](beast::error_code error, std::size_t) {
        self->OnUploadPiece(error);
      });
}

void Session::OnUploadPiece(beast::error_code error) {
  if (error == http::error::need_buffer) error = {};
  const std::size_t got =
      upload_->piece.size() - upload_->parser.get().body().size;
  upload_->received += got;
  if (error == http::error::body_limit || upload_->received > upload_->limit) {
    Response refusal = Problem(
        upload_->exchange->request, http::status::payload_too_large,
        "document_too_large",
        "the body is larger than " + std::to_string(upload_->limit) + " bytes");
    upload_.reset();
    return Refuse(std::move(refusal));
  }
  if (error) {
    upload_.reset();  // the sink drops what it wrote
    if (error == beast::error::timeout || error == http::error::end_of_stream ||
        error == asio::error::operation_aborted) {
      return Close();
    }
    return Reject(http::status::bad_request, "malformed_request",
                  "the request is not valid HTTP/1.1: " + error.message());
  }
  Status written =
      upload_->sink->Write(std::string_view(upload_->piece.data(), got));
  if (!written.ok()) {
    Response refusal = ProblemFromStatus(upload_->exchange->request, written);
    upload_.reset();
    return Refuse(std::move(refusal));
  }
  if (!upload_->parser.is_done()) return ReadUploadPiece();
  FinishUpload();
}

void Session::FinishUpload() {
  ++context_.in_flight;
  std::shared_ptr<BodySink> sink = std::move(upload_->sink);
  std::shared_ptr<Exchange> exchange = std::move(upload_->exchange);
  upload_.reset();
  asio::post(context_.handlers, [self = shared_from_this(), exchange, sink] {
    sink->Finish([self, exchange, sink](Reply reply) {
      exchange->response = std::move(reply.response);
      asio::dispatch(self->stream_.get_executor(),
                     [self, exchange] { self->Finish(exchange); });
    });
  });
}

void Session::Refuse(Response response) {
  ++context_.in_flight;
  response.keep_alive(false);
  Write(std::make_shared<Response>(std::move(response)));
}

void Session::Handle(Request request) {
  ++context_.in_flight;
  auto exchange = std::make_shared<Exchange>();
  exchange->started = std::chrono::steady_clock::now();
  RequestContext context = ContextOf(request);
  try {
    exchange->matched = context_.router.Match(request, context);
  } catch (const std::exception& e) {
    spdlog::error("request {}: matching failed: {}", context.request_id,
                  e.what());
    exchange->matched = Router::Matched{};
    exchange->matched.params.context = std::move(context);
    exchange->matched.refusal =
        Problem(request, http::status::internal_server_error, "internal",
                "the server failed to handle this");
  }
  exchange->request = std::move(request);
  if (exchange->matched.quick) return Answer(exchange);
  asio::post(context_.handlers,
             [self = shared_from_this(), exchange] { self->Answer(exchange); });
}

void Session::Answer(const std::shared_ptr<Exchange>& exchange) {
  // The answer may come from any thread (an append's completes on the
  // store's sequencer); it is written from this connection's executor, at
  // once when it comes on it.
  Respond respond = [self = shared_from_this(), exchange](Reply reply) {
    exchange->response = std::move(reply.response);
    exchange->stream = std::move(reply.stream);
    asio::dispatch(self->stream_.get_executor(),
                   [self, exchange] { self->Finish(exchange); });
  };
  try {
    context_.router.Run(exchange->request, &exchange->matched, respond);
  } catch (const std::exception& e) {
    spdlog::error("handler failed: {}", e.what());
    respond(Problem(exchange->request, http::status::internal_server_error,
                    "internal", "the server failed to handle this"));
  }
}

void Session::Record(Exchange& exchange) const {
  const Request& request = exchange.request;
  const RequestContext& context = exchange.matched.params.context;
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - exchange.started)
                    .count();
  exchange.response.set("X-Request-Id", context.request_id);
  if (context_.metrics) {
    context_.metrics->RecordRequest(context.route,
                                    exchange.response.result_int(),
                                    std::chrono::microseconds(micros));
  }
  // The access log; the path only, never a header, so never a token.
  spdlog::info("{} {} {} {}us user={} request_id={} remote={}",
               std::string(request.method_string()),
               Printable(std::string_view(request.target().data(),
                                          request.target().size())
                             .substr(0, request.target().find('?'))),
               exchange.response.result_int(), micros,
               context.user_id.empty() ? "-" : context.user_id,
               context.request_id, context.remote_address);
}

void Session::Finish(const std::shared_ptr<Exchange>& exchange) {
  Record(*exchange);
  if (exchange->stream) {
    return HandOver(std::move(exchange->response), exchange->stream);
  }
  Write(std::shared_ptr<Response>(exchange, &exchange->response));
}

void Session::HandOver(Response head, std::shared_ptr<StreamBody> stream) {
  // The request is answered as far as the session is concerned; the stream
  // owns the connection from here and the session ends.
  --context_.in_flight;
  stream->Start(stream_.release_socket(), std::move(head));
}

void Session::Write(std::shared_ptr<Response> response) {
  bool keep_alive = response->keep_alive() && !context_.stopping;
  response->keep_alive(keep_alive);
  http::async_write(stream_, *response,
                    [self = shared_from_this(), response, keep_alive](
                        beast::error_code error, std::size_t bytes) {
                      self->OnWrite(keep_alive, error, bytes);
                    });
}

void Session::OnWrite(bool keep_alive, beast::error_code error, std::size_t) {
  --context_.in_flight;
  if (error || !keep_alive) return Close();
  ReadRequest();
}

void Session::Reject(http::status status, const std::string& type,
                     const std::string& detail) {
  Request request;
  request.version(11);
  request.keep_alive(false);
  ++context_.in_flight;
  Write(std::make_shared<Response>(Problem(request, status, type, detail)));
}

void Session::Close() {
  if (closing_) return;
  closing_ = true;
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  if (context_.stopping) return;
  // Long enough for a refused body of the upload limit on a local network;
  // a client sending for longer is cut off as before.
  constexpr auto kLinger = std::chrono::seconds(2);
  stream_.expires_after(kLinger);
  Drain();
}

void Session::Drain() {
  buffer_.clear();
  stream_.async_read_some(
      buffer_.prepare(64 * 1024),
      [self = shared_from_this()](beast::error_code error, std::size_t) {
        if (!error) self->Drain();
      });
}

}  // namespace exemplar::api
