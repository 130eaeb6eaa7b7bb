#pragma once
// The byte stream under HTTP: plain TCP (TcpStream) or TLS over TCP (tls::TlsTransport). HTTP code
// holds a Transport* and never knows which; one loop thread owns it for its whole life.
//
// Contract (as TcpStream has always kept it):
// - Reads are handed to the handler synchronously; the handler copies what it keeps.
// - write() sends slices in order after anything queued; false means the stream has failed (no
//   callback fires from inside write). queuedBytes() counts what is accepted but not yet handed to the
//   kernel and drives backpressure; onStreamDrained fires when it returns to 0.
// - The owner calls close() instead of deleting; no handler callback fires after close(), and the
//   object frees itself later on its loop.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/ip_address.h"

namespace sluice::core {

class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  virtual void onStreamData(const char* data, size_t length) = 0;
  // UV_EOF when the peer closed its side, another negative libuv code on a read or write error.
  virtual void onStreamEnd(int status) = 0;
  // Every queued write has completed (queuedBytes() is 0).
  virtual void onStreamDrained() {}
};

struct IoSlice {
  const char* data;
  size_t length;
};

// What a TLS transport knows about its session; plain TCP has none.
struct TlsSessionInfo {
  std::string client_subject;  // the verified client certificate's subject (RFC 2253), or empty
  std::string server_name;     // SNI as the client sent it, or empty
  // The header the listener passes client_subject in upstream (empty: none), from its tls: block.
  std::string client_subject_header;
};

class Transport {
 public:
  virtual void setHandler(StreamHandler* handler) = 0;
  virtual void startReading() = 0;
  virtual void stopReading() = 0;
  virtual bool write(const IoSlice* slices, size_t count) = 0;
  bool write(const char* data, size_t length) {
    IoSlice slice{data, length};
    return write(&slice, 1);
  }
  virtual size_t queuedBytes() const = 0;
  // Ends the sending side once queued writes are out (TLS: close_notify first); reading continues.
  virtual void shutdownWrite() = 0;
  virtual void close() = 0;

  virtual std::string peerAddress() const = 0;  // "127.0.0.1" or "::1", without the port
  virtual std::optional<IpAddress> peerIp() const = 0;
  virtual void setNoDelay() = 0;
  // Null for plain TCP; for TLS, valid once the first byte of application data has arrived.
  virtual const TlsSessionInfo* tlsSession() const { return nullptr; }
  // After onStreamEnd: a word on why, when the transport knows more than the status (TLS: OpenSSL's
  // reason for a failed handshake); empty otherwise.
  virtual std::string_view failureDetail() const { return {}; }

 protected:
  Transport() = default;
  ~Transport() = default;  // not deleted through this interface: close() frees
};

}  // namespace sluice::core
