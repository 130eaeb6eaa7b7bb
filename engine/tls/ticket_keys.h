#pragma once
// The session-ticket keys of one TLS listener, shared by every worker's connections (so a ticket
// issued on one worker resumes on any other) and kept across config reloads (so a reload does not
// force every client into a full handshake). One listener's tickets never resume on another: each
// listener has its own keys (and its own session id context, server_context.cpp), so a ticket from
// a listener without client certificates cannot skip the check on one that requires them.
//
// Rotation: the current key encrypts new tickets for one period; then it only decrypts (tickets it
// made are accepted and renewed with the new key) for one more period, and then it is gone. So a
// stolen key exposes at most two periods of sessions. rotateIfDue() runs on the control thread;
// the OpenSSL callback runs on worker threads; a mutex guards the two keys (held for a copy).

#include <openssl/ssl.h>

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace sluice::tls {

class TicketKeys {
 public:
  struct Key {
    std::array<unsigned char, 16> name{};
    std::array<unsigned char, 32> aes{};   // AES-256-CBC
    std::array<unsigned char, 32> hmac{};  // HMAC-SHA256
  };

  // Null if the random generator fails.
  static std::shared_ptr<TicketKeys> create(std::chrono::steady_clock::time_point now);

  // Control thread: makes a new current key when the current one is older than `period`.
  // Returns true when it rotated.
  bool rotateIfDue(std::chrono::steady_clock::time_point now, std::chrono::milliseconds period);
  // Installs the ticket callback on `ctx`; `this` must outlive it (ServerContext holds a shared_ptr).
  void attach(SSL_CTX* ctx);

  // Any thread.
  Key current() const;
  // The key named `name`, and whether it is the current one.
  std::optional<Key> find(const unsigned char* name, bool& is_current) const;

 private:
  TicketKeys() = default;
  static bool generate(Key& key);
  static int onTicket(SSL* ssl, unsigned char* key_name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                      EVP_MAC_CTX* mac, int encrypt);

  mutable std::mutex mutex_;
  Key current_;
  std::optional<Key> previous_;
  std::chrono::steady_clock::time_point current_since_{};  // control thread only
};

using TicketKeysPtr = std::shared_ptr<TicketKeys>;

}  // namespace sluice::tls
