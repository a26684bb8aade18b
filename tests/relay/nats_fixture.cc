#include "tests/relay/nats_fixture.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace exemplar::testing {
namespace {

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool ok =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::string& log_path) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (running()) Stop(SIGKILL);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (running()) Stop(SIGKILL);
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

int ChildProcess::Stop(int signal) {
  int status = 0;
  kill(pid_, signal);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::string NatsServer::Binary() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/usr/sbin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::filesystem::path candidate =
        std::filesystem::path(dirs.substr(start, colon - start)) /
        "nats-server";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = colon + 1;
  }
  return "";
}

NatsServer::NatsServer() : port_(FreeLoopbackPort()) { Launch(); }

void NatsServer::Launch() {
  process_ = ChildProcess(
      {Binary(), "-js", "-a", "127.0.0.1", "-p", std::to_string(port_), "-sd",
       (dir_.path() / "store").string()},
      (dir_.path() / "nats-server.log").string());
  for (int i = 0; i < 500 && !Accepts(port_); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void NatsServer::Stop(int signal) { process_.Stop(signal); }

void NatsServer::Restart() { Launch(); }

std::string NatsServer::url() const {
  return "nats://127.0.0.1:" + std::to_string(port_);
}

JetStreamReader::JetStreamReader(const std::string& url) {
  if (natsConnection_ConnectTo(&connection_, url.c_str()) != NATS_OK ||
      natsConnection_JetStream(&js_, connection_, nullptr) != NATS_OK) {
    throw std::runtime_error("cannot connect to " + url);
  }
}

JetStreamReader::~JetStreamReader() {
  if (js_) jsCtx_Destroy(js_);
  if (connection_) natsConnection_Destroy(connection_);
}

std::uint64_t JetStreamReader::MessageCount(const std::string& stream) {
  jsStreamInfo* info = nullptr;
  if (js_GetStreamInfo(&info, js_, stream.c_str(), nullptr, nullptr) !=
      NATS_OK) {
    return 0;
  }
  std::uint64_t count = info->State.Msgs;
  jsStreamInfo_Destroy(info);
  return count;
}

std::vector<StoredMessage> JetStreamReader::ReadAll(const std::string& stream) {
  jsStreamInfo* info = nullptr;
  std::vector<StoredMessage> messages;
  if (js_GetStreamInfo(&info, js_, stream.c_str(), nullptr, nullptr) !=
      NATS_OK) {
    return messages;
  }
  std::uint64_t first = info->State.FirstSeq;
  std::uint64_t last = info->State.LastSeq;
  jsStreamInfo_Destroy(info);
  for (std::uint64_t sequence = first; sequence <= last && last > 0;
       ++sequence) {
    natsMsg* msg = nullptr;
    if (js_GetMsg(&msg, js_, stream.c_str(), sequence, nullptr, nullptr) !=
        NATS_OK) {
      continue;
    }
    StoredMessage stored;
    stored.sequence = sequence;
    stored.subject = natsMsg_GetSubject(msg);
    const char* id = nullptr;
    if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK) {
      stored.msg_id = id;
    }
    stored.body.assign(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    messages.push_back(std::move(stored));
  }
  return messages;
}

bool JetStreamReader::CreateStream(const std::string& stream,
                                   const std::string& subject) {
  const char* subjects[] = {subject.c_str()};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = stream.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  jsStreamInfo* info = nullptr;
  // JetStream may need a moment after the server starts listening.
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (js_AddStream(&info, js_, &config, nullptr, nullptr) == NATS_OK) {
      jsStreamInfo_Destroy(info);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace exemplar::testing
