#include "tests/support/memory_handshake.h"

#include <openssl/err.h>

namespace sluice::test {
namespace {

std::string subjectCn(X509* cert) {
  char cn[256] = "";
  if (cert != nullptr) {
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  }
  return cn;
}

// True while `ret` from SSL_do_handshake only means "waiting for the other side".
bool waiting(SSL* ssl, int ret) {
  const int error = SSL_get_error(ssl, ret);
  return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
}

}  // namespace

tls::SslCtxPtr makeTestClientContext(int min_version, int max_version) {
  tls::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  SSL_CTX_set_security_level(ctx.get(), 0);  // Debian's default (level 2) would refuse TLS 1.1 itself
  SSL_CTX_set_min_proto_version(ctx.get(), min_version);
  SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  if (max_version != 0 && max_version < TLS1_2_VERSION) {
    SSL_CTX_set_cipher_list(ctx.get(), "DEFAULT:@SECLEVEL=0");
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  return ctx;
}

HandshakeResult memoryHandshake(SSL_CTX* client_ctx, tls::SslPtr server, const std::string& sni,
                                const std::string& alpn, SSL_SESSION* session, SSL_SESSION** session_out) {
  HandshakeResult result;
  tls::SslPtr client(SSL_new(client_ctx));
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;
  if (!client || !server || BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) != 1) {
    return result;
  }
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_bio(server.get(), server_bio, server_bio);
  SSL_set_connect_state(client.get());
  SSL_set_accept_state(server.get());
  if (!sni.empty()) {
    SSL_set_tlsext_host_name(client.get(), sni.c_str());
  }
  if (!alpn.empty()) {
    SSL_set_alpn_protos(client.get(), reinterpret_cast<const unsigned char*>(alpn.data()),
                        static_cast<unsigned>(alpn.size()));
  }
  if (session != nullptr) {
    SSL_set_session(client.get(), session);
  }
  bool client_done = false;
  bool server_done = false;
  // A handshake is a handful of flights; the bound only stops a broken test from spinning.
  for (int round = 0; round < 50 && !(client_done && server_done); ++round) {
    if (!client_done) {
      const int ret = SSL_do_handshake(client.get());
      client_done = ret == 1;
      if (!client_done && !waiting(client.get(), ret)) {
        break;
      }
    }
    if (!server_done) {
      const int ret = SSL_do_handshake(server.get());
      server_done = ret == 1;
      if (!server_done && !waiting(server.get(), ret)) {
        break;
      }
    }
  }
  if (client_done && server_done) {
    // TLS 1.3 tickets arrive after the handshake: read once so the client stores them.
    char byte;
    SSL_read(client.get(), &byte, 1);
    result.ok = true;
    X509* served = SSL_get0_peer_certificate(client.get());
    result.served_subject_cn = subjectCn(served);
    const unsigned char* proto = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(client.get(), &proto, &length);
    if (proto != nullptr) {
      result.alpn.assign(reinterpret_cast<const char*>(proto), length);
    }
    result.resumed = SSL_session_reused(client.get()) == 1;
    result.version = SSL_version(client.get());
    if (session_out != nullptr) {
      *session_out = SSL_get1_session(client.get());
    }
    // Close cleanly both ways: OpenSSL drops the session from the caches of an SSL freed without
    // close_notify (a truncated connection is not resumable).
    SSL_shutdown(client.get());
    SSL_shutdown(server.get());
    SSL_shutdown(client.get());
  }
  ERR_clear_error();
  return result;
}

}  // namespace sluice::test
