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
  // Reads the whole request within the read timeout.
  void ReadRest();
  void OnRead(boost::beast::error_code error, std::size_t bytes);
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
  void Close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ServerContext& context_;
  std::string remote_address_;
};

}  // namespace exemplar::api
