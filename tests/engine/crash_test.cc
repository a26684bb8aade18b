// Kills a writer process at random moments and checks that every append it
// saw acknowledged survived, byte for byte, with an intact chain.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <random>
#include <thread>

#include "engine/audit/verify.h"
#include "engine/event_store.h"
#include "tests/support/temp_dir.h"

namespace exemplar {
namespace {

// One acknowledgement as the child reports it through a pipe.
struct Ack {
  std::uint64_t position;
  Hash256 hash;
};

// Runs in the forked child: appends from four threads until killed, writing
// an Ack for each durable event.
[[noreturn]] void AppendUntilKilled(const std::string& path, int ack_fd) {
  auto store = EventStore::Open(path);
  if (!store.ok()) _exit(2);
  std::mutex pipe_mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t i = 0;; ++i) {
        AppendRequest request;
        request.stream_id = "crash-" + std::to_string(t);
        for (std::uint64_t e = 0; e <= i % 3; ++e) {
          NewEvent event;
          event.type = "written";
          event.payload = std::string(1 + (i * 37 + e) % 900, 'a' + t);
          request.events.push_back(event);
        }
        auto result = (*store)->Append(std::move(request));
        if (!result.ok()) _exit(3);
        std::lock_guard<std::mutex> lock(pipe_mu);
        for (auto p = result->first_position; p <= result->last_position; ++p) {
          Ack ack{p, (*store)->ReadEvent(p)->hash};
          if (write(ack_fd, &ack, sizeof ack) != sizeof ack) _exit(4);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  _exit(0);
}

std::vector<Ack> ReadAcks(int fd) {
  std::vector<Ack> acks;
  Ack ack;
  while (read(fd, &ack, sizeof ack) == sizeof ack) acks.push_back(ack);
  return acks;
}

TEST(CrashTest, EveryAcknowledgedAppendSurvivesSigkill) {
  testing::TempDir dir;
  std::mt19937 random(20260611);
  std::vector<Ack> acknowledged;
  for (int round = 0; round < 5; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      AppendUntilKilled(dir.str(), fds[1]);
    }
    close(fds[1]);
    // Kill only once appends are being acknowledged, whatever the machine's
    // load, then at a random moment within the stream of acknowledgements.
    Ack first{};
    bool acked = read(fds[0], &first, sizeof first) == sizeof first;
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 300));
    kill(child, SIGKILL);
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited early: " << wstatus;
    ASSERT_TRUE(acked) << "round " << round << " acknowledged nothing";
    auto acks = ReadAcks(fds[0]);
    acks.insert(acks.begin(), first);
    close(fds[0]);
    acknowledged.insert(acknowledged.end(), acks.begin(), acks.end());

    auto store = EventStore::Open(dir.str());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (const Ack& ack : acknowledged) {
      auto event = (*store)->ReadEvent(ack.position);
      ASSERT_TRUE(event.ok()) << "lost acknowledged position " << ack.position;
      ASSERT_EQ(event->hash, ack.hash) << "position " << ack.position;
    }
    EXPECT_GE((*store)->head().position, acknowledged.size());
    Status chain = audit::VerifyStore(**store, std::nullopt).status();
    ASSERT_TRUE(chain.ok()) << chain.ToString();
  }
}

}  // namespace
}  // namespace exemplar
