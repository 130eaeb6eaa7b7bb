#include "engine/tls/transport_bio.h"

#include <algorithm>
#include <cstring>

namespace sluice::tls {
namespace {

int bioWrite(BIO*, const char* data, size_t length, size_t* written) {
  pendingCipherOutput().append(data, length);
  *written = length;
  return 1;
}

int bioRead(BIO* bio, char* out, size_t capacity, size_t* read) {
  auto* input = static_cast<CipherInput*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (input->length == 0) {
    BIO_set_retry_read(bio);  // more arrives with the next TCP read
    *read = 0;
    return 0;
  }
  const size_t n = std::min(capacity, input->length);
  std::memcpy(out, input->data, n);
  input->data += n;
  input->length -= n;
  *read = n;
  return 1;
}

long bioControl(BIO*, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_FLUSH:  // output is flushed by the transport after each call
      return 1;
    default:
      return 0;
  }
}

int bioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* transportMethod() {
  // Built once, thread-safe (static initialisation), and never freed: it lives as long as the process.
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sluice transport");
    BIO_meth_set_write_ex(m, &bioWrite);
    BIO_meth_set_read_ex(m, &bioRead);
    BIO_meth_set_ctrl(m, &bioControl);
    BIO_meth_set_create(m, &bioCreate);
    return m;
  }();
  return method;
}

}  // namespace

BIO* newTransportBio(CipherInput* input) {
  BIO* bio = BIO_new(transportMethod());
  if (bio != nullptr) {
    BIO_set_data(bio, input);
  }
  return bio;
}

std::string& pendingCipherOutput() {
  thread_local std::string buffer;
  return buffer;
}

}  // namespace sluice::tls
