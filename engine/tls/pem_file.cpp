#include "engine/tls/pem_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace sluice::tls::detail {

BioPtr readPemFile(const std::string& path, const char* what, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot read ") + what + " '" + path + "': " + std::strerror(errno);
    return nullptr;
  }
  std::string bytes;
  char block[16384];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    bytes.append(block, static_cast<size_t>(in.gcount()));
    if (bytes.size() > kMaxPemBytes) {
      error = std::string(what) + " '" + path + "' is larger than 4 MiB: not a PEM file";
      return nullptr;
    }
  }
  if (in.bad()) {
    error = std::string("cannot read ") + what + " '" + path + "': " + std::strerror(errno);
    return nullptr;
  }
  // A memory BIO that owns a copy (BIO_new_mem_buf would point into `bytes`, which dies here).
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      BIO_write(bio.get(), bytes.data(), static_cast<int>(bytes.size())) != static_cast<int>(bytes.size())) {
    error = std::string("out of memory reading ") + what + " '" + path + "'";
    return nullptr;
  }
  return bio;
}

}  // namespace sluice::tls::detail
