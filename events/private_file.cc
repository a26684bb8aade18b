#include "events/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace exemplar {
namespace {

std::string ErrnoText(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

std::string FolderOf(const std::string& path) {
  const std::string::size_type slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Writes all of `data` to `fd`; false with errno set on failure.
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

// Writes `bytes` to a fresh temporary file of mode 0600 beside `path` and
// syncs it; returns the temporary file's name.
Result<std::string> WriteTemporary(const std::string& path,
                                   std::string_view bytes) {
  std::string temp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return Status::IoError(ErrnoText("cannot create", temp));
  bool ok = ::fchmod(fd, 0600) == 0 && WriteAll(fd, bytes) && ::fsync(fd) == 0;
  std::string error = ok ? "" : ErrnoText("cannot write", temp);
  ::close(fd);
  if (!ok) {
    ::unlink(temp.c_str());
    return Status::IoError(error);
  }
  return temp;
}

}  // namespace

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(ErrnoText("cannot open", dir));
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Status::IoError(ErrnoText("cannot sync", dir));
  return Status::Ok();
}

Result<bool> CreatePrivateFile(const std::string& path,
                               std::string_view bytes) {
  Result<std::string> temp = WriteTemporary(path, bytes);
  if (!temp.ok()) return temp.status();
  // link() fails when the name exists, so a concurrent creator's file wins.
  bool linked = ::link(temp->c_str(), path.c_str()) == 0;
  int link_errno = errno;
  ::unlink(temp->c_str());
  if (!linked && link_errno == EEXIST) return false;
  if (!linked) {
    errno = link_errno;
    return Status::IoError(ErrnoText("cannot create", path));
  }
  EXEMPLAR_RETURN_IF_ERROR(SyncDirectory(FolderOf(path)));
  return true;
}

Result<std::string> ReadPrivateFile(const std::string& path, bool owner_only) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return Status::NotFound(path + " not found");
  if (fd < 0) return Status::IoError(ErrnoText("cannot open", path));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    std::string error = ErrnoText("cannot read", path);
    ::close(fd);
    return Status::IoError(error);
  }
  if (owner_only && (info.st_mode & 077) != 0) {
    ::close(fd);
    return Status::PermissionDenied(
        path +
        " may be read or written by others than its owner: make it "
        "mode 0600 (chmod 600)");
  }
  std::string bytes;
  char buffer[4096];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      std::string error = ErrnoText("cannot read", path);
      ::close(fd);
      return Status::IoError(error);
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  return bytes;
}

Status ShredFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return Status::Ok();
  if (fd < 0) return Status::IoError(ErrnoText("cannot open", path));
  struct stat info {};
  bool ok =
      ::fstat(fd, &info) == 0 &&
      WriteAll(fd, std::string(static_cast<size_t>(info.st_size), '\0')) &&
      ::fsync(fd) == 0;
  std::string error = ok ? "" : ErrnoText("cannot overwrite", path);
  ::close(fd);
  if (!ok) return Status::IoError(error);
  if (::unlink(path.c_str()) != 0) {
    return Status::IoError(ErrnoText("cannot remove", path));
  }
  return SyncDirectory(FolderOf(path));
}

}  // namespace exemplar
