#include "storage/lmdb_env.h"

#include <utility>

namespace sluice::storage {

Env::Env(Env&& other) noexcept : env_(std::exchange(other.env_, nullptr)) {}

Env& Env::operator=(Env&& other) noexcept {
  if (this != &other) {
    close();
    env_ = std::exchange(other.env_, nullptr);
  }
  return *this;
}

int Env::open(const std::string& path, const EnvOptions& options) {
  close();
  MDB_env* env = nullptr;
  int rc = mdb_env_create(&env);
  if (rc != 0) {
    return rc;
  }
  rc = mdb_env_set_mapsize(env, options.map_size);
  if (rc == 0) {
    rc = mdb_env_set_maxdbs(env, options.max_dbs);
  }
  if (rc == 0) {
    rc = mdb_env_set_maxreaders(env, options.max_readers);
  }
  if (rc == 0) {
    rc = mdb_env_open(env, path.c_str(), options.flags, options.file_mode);
  }
  if (rc != 0) {
    mdb_env_close(env);  // required after a failed mdb_env_open as well
    return rc;
  }
  env_ = env;
  return 0;
}

void Env::close() {
  if (env_ != nullptr) {
    mdb_env_close(std::exchange(env_, nullptr));
  }
}

size_t Env::pageSize() const {
  MDB_stat stat{};
  mdb_env_stat(env_, &stat);
  return stat.ms_psize;
}

uint64_t Env::mapSize() const {
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

uint64_t Env::lastPageNumber() const {
  MDB_envinfo info{};
  mdb_env_info(env_, &info);
  return info.me_last_pgno;
}

int Env::sync(bool force) {
  return mdb_env_sync(env_, force ? 1 : 0);
}

}  // namespace sluice::storage
