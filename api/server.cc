#include "api/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <thread>
#include <vector>

#include "api/session.h"

namespace exemplar::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Metrics* metrics)
      : options_(std::move(options)),
        handlers_(options_.handler_threads),
        context_{options_, router, handlers_, metrics},
        ios_(IoContexts(options_)),
        acceptor_(ios_.front().get_executor()),
        accept_timer_(ios_.front().get_executor()) {}

  // One io_context per I/O thread, each run by its thread alone: a
  // connection lives on one of them, so its handlers never run
  // concurrently and need no strand, and the threads do not contend for
  // one scheduler's lock (two futex calls per request with one shared
  // io_context and two threads).
  static std::deque<asio::io_context> IoContexts(const ServerOptions& options) {
    int threads = options.io_threads > 0
                      ? options.io_threads
                      : static_cast<int>(std::thread::hardware_concurrency());
    std::deque<asio::io_context> ios;
    for (int i = 0; i < std::max(threads, 1); ++i) ios.emplace_back(1);
    return ios;
  }

  // Runs `io` until it is stopped. A handler's exception is logged and the
  // thread serves on: one bad request must never end the process.
  static void RunContained(asio::io_context& io) {
    while (true) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("an I/O handler failed, serving on: {}", e.what());
      } catch (...) {
        spdlog::error("an I/O handler failed, serving on");
      }
    }
  }

  Status Start() {
    boost::system::error_code error;
    auto address = asio::ip::make_address(options_.bind_address, error);
    if (error) {
      return Status::InvalidArgument("bad bind address: " + error.message(),
                                     "bind_address");
    }
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true));
    if (!error) acceptor_.bind(endpoint, error);
    if (!error)
      acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return Status::IoError("cannot listen on " + options_.bind_address + ":" +
                             std::to_string(options_.port) + ": " +
                             error.message());
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (asio::io_context& io : ios_) {
      // Kept running while it has no connection yet, until Stop.
      idle_guards_.emplace_back(io.get_executor());
      threads_.emplace_back([&io] { RunContained(io); });
    }
    return Status::Ok();
  }

  void Accept() {
    // Connections take the I/O threads in turn.
    asio::io_context& io = ios_[next_io_++ % ios_.size()];
    acceptor_.async_accept(
        io.get_executor(),
        [this](boost::system::error_code error, tcp::socket socket) {
          if (error == asio::error::operation_aborted) return;
          if (error) return AcceptLater(error);
          if (accept_backoff_.count() > 0) {
            spdlog::info("accepting connections again");
            accept_backoff_ = {};
          }
          if (context_.connections >= options_.max_connections) {
            RefuseBusy(std::move(socket));
          } else {
            refusing_ = false;
            std::make_shared<Session>(std::move(socket), context_)->Run();
          }
          Accept();
        });
  }

  // Accepting failed, most likely for want of file descriptors (EMFILE):
  // retrying at once would spin a core while nothing frees one, so wait,
  // doubling the wait up to a second, and say so once.
  void AcceptLater(boost::system::error_code error) {
    if (accept_backoff_.count() == 0) {
      spdlog::warn("cannot accept connections ({}); retrying with back-off",
                   error.message());
      accept_backoff_ = std::chrono::milliseconds(10);
    } else {
      accept_backoff_ = std::min(accept_backoff_ * 2, kMaxAcceptBackoff);
    }
    accept_timer_.expires_after(accept_backoff_);
    accept_timer_.async_wait([this](boost::system::error_code waited) {
      if (!waited && !context_.stopping) Accept();
    });
  }

  // Past max_connections: 503 with Retry-After, then close. Logged once per
  // busy spell, not per connection, so a flood cannot flood the log too.
  void RefuseBusy(tcp::socket socket) {
    if (!refusing_) {
      spdlog::warn("refusing connections with 503: {} open",
                   options_.max_connections);
      refusing_ = true;
    }
    Request request;
    request.version(11);
    request.keep_alive(false);
    auto response = std::make_shared<Response>(Problem(
        request, http::status::service_unavailable, "too_many_connections",
        "the server has " + std::to_string(options_.max_connections) +
            " open connections; retry later"));
    response->set(http::field::retry_after, "1");
    auto refused = std::make_shared<tcp::socket>(std::move(socket));
    http::async_write(
        *refused, *response,
        [refused, response](boost::system::error_code, std::size_t) {
          boost::system::error_code ignored;
          refused->shutdown(tcp::socket::shutdown_send, ignored);
          refused->close(ignored);
        });
  }

  void Stop() {
    if (context_.stopping.exchange(true)) return;
    asio::post(acceptor_.get_executor(), [this] {
      acceptor_.close();
      accept_timer_.cancel();
    });
    // Let in-flight requests finish, bounded so a stuck handler cannot hold
    // the process forever.
    for (int i = 0; i < 300 && context_.in_flight > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    handlers_.join();
    for (asio::io_context& io : ios_) io.stop();
  }

  void Wait() {
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

  ServerOptions options_;
  asio::thread_pool handlers_;
  ServerContext context_;
  std::deque<asio::io_context> ios_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>>
      idle_guards_;
  static constexpr std::chrono::milliseconds kMaxAcceptBackoff{1000};
  // The acceptor's handlers only:
  std::size_t next_io_ = 0;
  std::chrono::milliseconds accept_backoff_{0};  // 0 while accepting works
  bool refusing_ = false;  // refusing with 503 since the last acceptance
  tcp::acceptor acceptor_;
  asio::steady_timer accept_timer_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
};

Server::Server(ServerOptions options, const Router& router, Metrics* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() {
  impl_->Stop();
  impl_->Wait();
}

Status Server::Start() { return impl_->Start(); }
void Server::Wait() { impl_->Wait(); }
void Server::Stop() { impl_->Stop(); }
std::uint16_t Server::port() const { return impl_->port_; }

}  // namespace exemplar::api
