#include "engine/tls/ticket_keys.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>

namespace sluice::tls {
namespace {

int ticketKeysIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool setMacKey(EVP_MAC_CTX* mac, const TicketKeys::Key& key) {
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, const_cast<unsigned char*>(key.hmac.data()),
                                        key.hmac.size()),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  return EVP_MAC_CTX_set_params(mac, params) == 1;
}

}  // namespace

std::shared_ptr<TicketKeys> TicketKeys::create(std::chrono::steady_clock::time_point now) {
  std::shared_ptr<TicketKeys> keys(new TicketKeys());
  if (!generate(keys->current_)) {
    return nullptr;
  }
  keys->current_since_ = now;
  return keys;
}

bool TicketKeys::generate(Key& key) {
  return RAND_bytes(key.name.data(), static_cast<int>(key.name.size())) == 1 &&
         RAND_priv_bytes(key.aes.data(), static_cast<int>(key.aes.size())) == 1 &&
         RAND_priv_bytes(key.hmac.data(), static_cast<int>(key.hmac.size())) == 1;
}

bool TicketKeys::rotateIfDue(std::chrono::steady_clock::time_point now, std::chrono::milliseconds period) {
  if (now - current_since_ < period) {
    return false;
  }
  Key next;
  if (!generate(next)) {
    return false;  // tried again on the next tick; the current key keeps working meanwhile
  }
  std::lock_guard lock(mutex_);
  previous_ = current_;
  current_ = next;
  current_since_ = now;
  return true;
}

TicketKeys::Key TicketKeys::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::optional<TicketKeys::Key> TicketKeys::find(const unsigned char* name, bool& is_current) const {
  std::lock_guard lock(mutex_);
  if (std::memcmp(name, current_.name.data(), current_.name.size()) == 0) {
    is_current = true;
    return current_;
  }
  if (previous_ && std::memcmp(name, previous_->name.data(), previous_->name.size()) == 0) {
    is_current = false;
    return previous_;
  }
  return std::nullopt;
}

void TicketKeys::attach(SSL_CTX* ctx) {
  SSL_CTX_set_ex_data(ctx, ticketKeysIndex(), this);
  SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, &TicketKeys::onTicket);
}

// OpenSSL's contract: 1 = done (decrypt: and the ticket is fine), 2 = decrypted, but issue a new
// ticket (made with an older key), 0 = no such key (a full handshake follows), -1 = error.
int TicketKeys::onTicket(SSL* ssl, unsigned char* key_name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                         EVP_MAC_CTX* mac, int encrypt) {
  // The callback runs on the context the handshake started on, which is where attach() put `this`.
  auto* self = static_cast<TicketKeys*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ticketKeysIndex()));
  if (self == nullptr) {
    return -1;
  }
  if (encrypt == 1) {
    const Key key = self->current();
    if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) != 1) {
      return -1;
    }
    std::memcpy(key_name, key.name.data(), key.name.size());
    if (EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key.aes.data(), iv) != 1 ||
        !setMacKey(mac, key)) {
      return -1;
    }
    return 1;
  }
  bool is_current = false;
  const std::optional<Key> key = self->find(key_name, is_current);
  if (!key) {
    return 0;
  }
  if (EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key->aes.data(), iv) != 1 ||
      !setMacKey(mac, *key)) {
    return -1;
  }
  // TLS 1.3 resumption always earns a fresh ticket: an OpenSSL client (and any that follows RFC 8446
  // C.4 and uses a ticket once) keeps only what the last connection gave it, so without one every
  // other connection of a reconnecting client would be a full handshake. TLS 1.2 clients reuse one
  // ticket (RFC 5077), renewed only when an older key made it.
  return is_current && SSL_version(ssl) != TLS1_3_VERSION ? 1 : 2;
}

}  // namespace sluice::tls
