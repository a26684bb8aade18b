// A RocksDB environment that lets a test hold the write-ahead log's next
// sync, and then let it pass or fail: a way to look at the store while a
// group commit is on its way to the disk, and to make the disk fail.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace exemplar::testing {

class SyncGate {
 public:
  SyncGate()
      : files_(std::make_shared<GatedFileSystem>(this)),
        env_(rocksdb::NewCompositeEnv(files_)) {}

  // For StoreOptions::env; lives as long as the gate.
  rocksdb::Env* env() const { return env_.get(); }

  // The next sync of the log waits until Release.
  void Hold() {
    std::lock_guard<std::mutex> lock(mu_);
    holding_ = true;
  }
  // Waits until a sync is held.
  void WaitUntilHeld() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return held_; });
  }
  // Lets the held sync go on: to the disk, or failing with an I/O error.
  // Later syncs pass.
  void Release(bool fail) {
    std::lock_guard<std::mutex> lock(mu_);
    holding_ = false;
    fail_ = fail;
    changed_.notify_all();
  }

 private:
  class GatedFile : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    GatedFile(std::unique_ptr<rocksdb::FSWritableFile> file, SyncGate* gate)
        : FSWritableFileOwnerWrapper(std::move(file)), gate_(gate) {}
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
      rocksdb::IOStatus passed = gate_->Pass();
      return passed.ok() ? FSWritableFileOwnerWrapper::Sync(options, debug)
                         : passed;
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* debug) override {
      rocksdb::IOStatus passed = gate_->Pass();
      return passed.ok() ? FSWritableFileOwnerWrapper::Fsync(options, debug)
                         : passed;
    }

   private:
    SyncGate* gate_;
  };

  // Gates the write-ahead logs (*.log) only.
  class GatedFileSystem : public rocksdb::FileSystemWrapper {
   public:
    explicit GatedFileSystem(SyncGate* gate)
        : FileSystemWrapper(rocksdb::FileSystem::Default()), gate_(gate) {}
    const char* Name() const override { return "GatedFileSystem"; }
    rocksdb::IOStatus NewWritableFile(
        const std::string& name, const rocksdb::FileOptions& options,
        std::unique_ptr<rocksdb::FSWritableFile>* file,
        rocksdb::IODebugContext* debug) override {
      rocksdb::IOStatus status =
          target()->NewWritableFile(name, options, file, debug);
      if (status.ok() && name.ends_with(".log")) {
        *file = std::make_unique<GatedFile>(std::move(*file), gate_);
      }
      return status;
    }

   private:
    SyncGate* gate_;
  };

  rocksdb::IOStatus Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!holding_) return rocksdb::IOStatus::OK();
    held_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !holding_; });
    held_ = false;
    return fail_ ? rocksdb::IOStatus::IOError("sync failed by the test")
                 : rocksdb::IOStatus::OK();
  }

  std::mutex mu_;
  std::condition_variable changed_;
  bool holding_ = false;  // the next sync waits
  bool held_ = false;     // a sync is waiting
  bool fail_ = false;     // the held sync fails
  std::shared_ptr<GatedFileSystem> files_;
  std::unique_ptr<rocksdb::Env> env_;
};

}  // namespace exemplar::testing
