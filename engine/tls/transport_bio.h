#pragma once
// The BIO between OpenSSL and a TlsTransport: no socket, only memory. Reads take ciphertext from the
// span the transport points it at (the bytes of the current TCP read, or what an earlier read left
// over); writes append ciphertext to a per-thread buffer that the transport hands to its TcpStream
// right after each SSL call, so one SSL_write of a whole response goes out as one TCP write.
//
// The per-thread output buffer is safe because every SSL call is followed by a flush before control
// returns to anything else on the thread: it is empty whenever no SSL call is running.

#include <openssl/bio.h>

#include <cstddef>
#include <string>

namespace sluice::tls {

struct CipherInput {
  const char* data = nullptr;
  size_t length = 0;
};

// A new BIO reading from `*input` (which the caller owns and refills); the SSL takes it over.
BIO* newTransportBio(CipherInput* input);
// The ciphertext produced on this thread since the last take (the caller clears it after sending).
std::string& pendingCipherOutput();

}  // namespace sluice::tls
