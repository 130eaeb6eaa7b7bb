#pragma once
// A move-only owner of one MDB_env, closed on destruction. DESIGN.md: one environment per process
// per directory; the cache store keeps it in a shared_ptr so that Readers keep it alive.

#include <lmdb.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::storage {

struct EnvOptions {
  uint64_t map_size = 0;
  unsigned max_dbs = 0;
  unsigned max_readers = 126;  // LMDB's default
  unsigned flags = 0;          // MDB_NOTLS, MDB_NOSYNC, ...
  mode_t file_mode = 0600;
};

class Env {
 public:
  Env() = default;
  ~Env() { close(); }
  Env(Env&& other) noexcept;
  Env& operator=(Env&& other) noexcept;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // Opens the environment in the existing directory `path`: 0, or an LMDB/errno code (mdb_strerror).
  [[nodiscard]] int open(const std::string& path, const EnvOptions& options);
  void close();

  MDB_env* handle() const { return env_; }
  explicit operator bool() const { return env_ != nullptr; }
  size_t pageSize() const;
  uint64_t mapSize() const;         // may exceed the requested size if the file already was larger
  uint64_t lastPageNumber() const;  // the file's high-water mark, in pages
  int sync(bool force);

 private:
  MDB_env* env_ = nullptr;
};

}  // namespace sluice::storage
