#include "api/sse_connection.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <sstream>

namespace exemplar::api {

namespace asio = boost::asio;

SseConnection::SseConnection(std::chrono::milliseconds final_write_timeout)
    : final_write_timeout_(final_write_timeout) {}

void SseConnection::Start(asio::ip::tcp::socket socket, Response head) {
  socket_ = std::make_unique<asio::ip::tcp::socket>(std::move(socket));
  final_timer_ = std::make_unique<asio::steady_timer>(socket_->get_executor());
  std::ostringstream head_bytes;
  head_bytes << head.base();
  auto head_frame = std::make_shared<const std::string>(head_bytes.str());
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_front(head_frame);
    queued_bytes_ += head_frame->size();
    started_ = true;
    ScheduleWriteLocked();
    if (finishing_) ArmFinalTimerLocked();
  }
  WatchForEof();
}

bool SseConnection::Send(std::vector<Frame> frames) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_ || finishing_) return false;
  std::size_t sent = 0;
  if (started_ && !write_scheduled_) sent = SendNowLocked(frames);
  for (Frame& frame : frames) {
    if (sent >= frame->size()) {
      sent -= frame->size();
      continue;
    }
    if (sent > 0) {  // the socket took the start of this frame
      frame = std::make_shared<const std::string>(frame->substr(sent));
      sent = 0;
    }
    queued_bytes_ += frame->size();
    queue_.push_back(std::move(frame));
  }
  if (!queue_.empty()) ScheduleWriteLocked();
  return true;
}

// Nothing is queued or on the wire, so the frames may go straight to the
// socket from the caller's thread: one non-blocking sendmsg on the
// descriptor, sparing the hand-over to the I/O thread and the asynchronous
// write's round trip. mu_ keeps the socket open meanwhile (CloseSocket marks
// the connection closed under it before closing). A socket that takes
// nothing, or fails, leaves the frames to the asynchronous write, which
// reports the failure.
std::size_t SseConnection::SendNowLocked(const std::vector<Frame>& frames) {
  constexpr std::size_t kMaxParts = 64;
  iovec parts[kMaxParts];
  std::size_t count = 0;
  for (; count < frames.size() && count < kMaxParts; ++count) {
    parts[count].iov_base = const_cast<char*>(frames[count]->data());
    parts[count].iov_len = frames[count]->size();
  }
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = count;
  ssize_t sent = ::sendmsg(socket_->native_handle(), &message,
                           MSG_DONTWAIT | MSG_NOSIGNAL);
  return sent > 0 ? static_cast<std::size_t>(sent) : 0;
}

void SseConnection::Finish(Frame frame) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_ || finishing_) return;
  finishing_ = true;
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  ScheduleWriteLocked();
  if (started_) ArmFinalTimerLocked();  // else Start arms it
}

void SseConnection::ArmFinalTimerLocked() {
  asio::post(socket_->get_executor(), [self = shared_from_this()] {
    self->final_timer_->expires_after(self->final_write_timeout_);
    self->final_timer_->async_wait([self](boost::system::error_code error) {
      if (!error) self->CloseSocket();  // the client is not reading
    });
  });
}

std::size_t SseConnection::queued_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_bytes_;
}

bool SseConnection::WaitForRoom(std::size_t limit,
                                std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  drained_.wait_for(lock, timeout,
                    [&] { return closed_ || queued_bytes_ <= limit; });
  return !closed_ && queued_bytes_ <= limit;
}

bool SseConnection::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

void SseConnection::ScheduleWriteLocked() {
  if (!started_ || write_scheduled_ || closed_) return;
  write_scheduled_ = true;
  asio::post(socket_->get_executor(),
             [self = shared_from_this()] { self->WriteQueued(); });
}

void SseConnection::WriteQueued() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    if (queue_.empty()) {
      write_scheduled_ = false;
      if (finishing_) {
        boost::system::error_code ignored;
        socket_->shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      }
      return;
    }
    // Everything queued goes out in one gathered write.
    writing_.assign(std::make_move_iterator(queue_.begin()),
                    std::make_move_iterator(queue_.end()));
    queue_.clear();
  }
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(writing_.size());
  for (const Frame& frame : writing_) buffers.push_back(asio::buffer(*frame));
  asio::async_write(
      *socket_, buffers,
      [self = shared_from_this()](boost::system::error_code error,
                                  std::size_t) { self->OnWritten(error); });
}

void SseConnection::OnWritten(boost::system::error_code error) {
  if (error) return CloseSocket();
  std::size_t written = 0;
  for (const Frame& frame : writing_) written += frame->size();
  writing_.clear();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;  // CloseSocket already emptied the count
    queued_bytes_ -= written;
  }
  drained_.notify_all();
  WriteQueued();
}

void SseConnection::WatchForEof() {
  // The client sends nothing after its request; reading only tells when it
  // hangs up, which frees its subscriber slot without waiting for a write
  // to fail.
  socket_->async_read_some(asio::buffer(eof_probe_),
                           [self = shared_from_this()](
                               boost::system::error_code error, std::size_t) {
                             if (error) return self->CloseSocket();
                             self->WatchForEof();
                           });
}

void SseConnection::CloseSocket() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    queued_bytes_ = 0;
  }
  drained_.notify_all();
  boost::system::error_code ignored;
  final_timer_->cancel();
  socket_->close(ignored);
}

}  // namespace exemplar::api
