// The writing end of one long-lived response (a Server-Sent Events stream,
// a streamed export): it takes the socket over from the session (a
// StreamBody), writes the head and then the frames it is given, in order,
// through a write queue bounded in bytes. It reads nothing but the client's
// end of file, so a client that goes away is seen at once. Private to api/;
// the pump in sse.cc and export_stream.cc decide what to send.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/http.h"

namespace exemplar::api {

using Frame = std::shared_ptr<const std::string>;

class SseConnection : public StreamBody,
                      public std::enable_shared_from_this<SseConnection> {
 public:
  // `final_write_timeout`: how long Finish waits for the last frames to
  // reach a client that does not read before cutting the connection.
  explicit SseConnection(std::chrono::milliseconds final_write_timeout);

  void Start(boost::asio::ip::tcp::socket socket, Response head) override;

  // Sends `frames` in order, in one write: at once from the calling thread
  // when nothing else is on its way (no hand-over to the I/O thread; the
  // pump's thread writing every client itself costs about half the CPU and
  // delivers sooner than the I/O threads do), else queued behind it (frames
  // given before Start follow the head). Returns false once the connection
  // is closed or finishing. The queue has no bound of its own: the caller
  // keeps queued_bytes() within its limit. Thread safety: any thread.
  bool Send(std::vector<Frame> frames);

  // Queues `frame` as the last one; the connection closes once it is
  // written, or after the final write timeout. Any thread; once only.
  void Finish(Frame frame);

  // Bytes queued and not yet taken by the socket. Any thread.
  std::size_t queued_bytes() const;
  // Blocks until at most `limit` bytes are queued: true then; false when
  // the connection closes, or when `timeout` passes first. Any thread.
  bool WaitForRoom(std::size_t limit, std::chrono::milliseconds timeout);
  // True once the connection is closed (client gone, write failed, or
  // finished). Any thread.
  bool closed() const;

 private:
  // The rest run on the socket's I/O thread.
  void WriteQueued();
  void OnWritten(boost::system::error_code error);
  void WatchForEof();
  void CloseSocket();
  // Writes what the socket takes of `frames` now, without blocking;
  // returns the bytes written.
  std::size_t SendNowLocked(const std::vector<Frame>& frames);
  // Posts WriteQueued unless a write is under way or already posted.
  void ScheduleWriteLocked();
  // Closes the connection if the last frames are not written in time.
  void ArmFinalTimerLocked();

  const std::chrono::milliseconds final_write_timeout_;
  std::unique_ptr<boost::asio::ip::tcp::socket> socket_;  // set by Start
  std::unique_ptr<boost::asio::steady_timer> final_timer_;
  std::vector<Frame> writing_;  // on the wire now; I/O thread only
  char eof_probe_[256];         // I/O thread only

  mutable std::mutex mu_;
  std::condition_variable drained_;  // queued_bytes_ fell, or closed_
  std::deque<Frame> queue_;          // guarded by mu_
  std::size_t queued_bytes_ = 0;     // guarded by mu_; queue_ + writing_
  bool started_ = false;             // guarded by mu_
  bool write_scheduled_ = false;     // guarded by mu_
  bool finishing_ = false;           // guarded by mu_
  bool closed_ = false;              // guarded by mu_
};

}  // namespace exemplar::api
