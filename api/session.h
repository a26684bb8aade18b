// One HTTP connection: reads a request with the header and body limits and
// a read deadline, answers it (on the I/O thread for quick routes, else on
// the handler pool), writes the response, and repeats while the client
// keeps the connection alive. Private to api/.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "api/metrics.h"
#include "api/router.h"
#include "api/server.h"

namespace exemplar::api {

// What sessions share with the server.
struct ServerContext {
  const ServerOptions& options;
  const Router& router;
  boost::asio::thread_pool& handlers;
  Metrics* metrics;  // may be null
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, ServerContext& context);
  ~Session();
  void Run();

 private:
  // Waits up to the idle timeout for the next request's first bytes.
  void ReadRequest();
  // Reads the request's head, then its body, within the read timeout.
  void ReadRest();
  void OnHeader(boost::beast::error_code error, std::size_t bytes);
  void OnRead(boost::beast::error_code error, std::size_t bytes);
  // Answers a read that failed (closing at the end of the stream or a
  // timeout); false when there was no error.
  bool ReadFailed(boost::beast::error_code error);
  // A streamed upload (Router::AddUpload): the head passes the guard and
  // opens the sink, then the body goes to it a piece at a time.
  void StartUpload(std::uint64_t limit);
  void ReadUploadPiece();
  void OnUploadPiece(boost::beast::error_code error);
  void FinishUpload();
  // One request on its way through: matched on the I/O thread, answered
  // there (quick and asynchronous routes) or on the handler pool, written
  // back on the I/O thread.
  struct Exchange {
    Request request;
    Router::Matched matched;
    Response response;
    std::shared_ptr<StreamBody> stream;
    std::chrono::steady_clock::time_point started;
  };
  void Handle(Request request);
  // The request's id, the client's address and whether it came over TLS.
  RequestContext ContextOf(const Request& request) const;
  // Writes `response` and closes: the request's body is left unread.
  void Refuse(Response response);
  // Runs the route; its answer goes to Finish.
  void Answer(const std::shared_ptr<Exchange>& exchange);
  // Records the answered request (metrics, access log).
  void Record(Exchange& exchange) const;
  // Writes the answer, or hands the connection to its stream.
  void Finish(const std::shared_ptr<Exchange>& exchange);
  void Write(std::shared_ptr<Response> response);
  // Gives the connection to a streaming response (see StreamBody).
  void HandOver(Response head, std::shared_ptr<StreamBody> stream);
  void OnWrite(bool keep_alive, boost::beast::error_code error, std::size_t);
  // Answers a request that could not be parsed, then closes.
  void Reject(http::status status, const std::string& type,
              const std::string& detail);
  // Ends the connection: nothing more is written, and what the client
  // still sends is read and dropped (Drain) for a short while before the
  // socket closes. Closing a socket with unread bytes resets the
  // connection, and a client still sending a body the server refused
  // would lose the answer. Once per session.
  void Close();
  // Reads and drops what the client sends until it closes, errs or the
  // deadline Close set passes.
  void Drain();

  boost::beast::tcp_stream stream_;
  bool closing_ = false;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // A streamed upload in progress.
  struct Upload {
    explicit Upload(http::request_parser<http::string_body>&& head)
        : parser(std::move(head)) {}
    http::request_parser<http::buffer_body> parser;
    std::unique_ptr<BodySink> sink;
    std::shared_ptr<Exchange> exchange;
    std::chrono::steady_clock::time_point deadline;
    std::string piece = std::string(64 * 1024, '\0');
    std::uint64_t limit = 0;
    std::uint64_t received = 0;
  };
  std::optional<Upload> upload_;
  ServerContext& context_;
  std::string remote_address_;
};

}  // namespace exemplar::api
