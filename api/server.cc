#include "api/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <thread>

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
        acceptor_(asio::make_strand(io_)) {}

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
    int threads = options_.io_threads > 0
                      ? options_.io_threads
                      : static_cast<int>(std::thread::hardware_concurrency());
    for (int i = 0; i < std::max(threads, 1); ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
    return Status::Ok();
  }

  void Accept() {
    acceptor_.async_accept(
        asio::make_strand(io_),
        [this](boost::system::error_code error, tcp::socket socket) {
          if (error) {
            if (error != asio::error::operation_aborted) Accept();
            return;
          }
          if (context_.connections >= options_.max_connections) {
            spdlog::warn("connection refused: {} open",
                         options_.max_connections);
            socket.close();
          } else {
            std::make_shared<Session>(std::move(socket), context_)->Run();
          }
          Accept();
        });
  }

  void Stop() {
    if (context_.stopping.exchange(true)) return;
    asio::post(acceptor_.get_executor(), [this] { acceptor_.close(); });
    // Let in-flight requests finish, bounded so a stuck handler cannot hold
    // the process forever.
    for (int i = 0; i < 300 && context_.in_flight > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    handlers_.join();
    io_.stop();
  }

  void Wait() {
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

  ServerOptions options_;
  asio::thread_pool handlers_;
  ServerContext context_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
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
int Server::open_connections() const { return impl_->context_.connections; }

}  // namespace exemplar::api
