#include "tests/support/tls_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/response_reader.h"

namespace sluice::test {
namespace {

std::string opensslErrors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) {
      text += "; ";
    }
    text += buffer;
  }
  return text.empty() ? "no OpenSSL error" : text;
}

void setTimeouts(int fd, int timeout_ms) {
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

TlsClient::~TlsClient() {
  close();
}

void TlsClient::close() {
  if (ssl_ != nullptr) {
    // OpenSSL marks a session that ends without close_notify as not resumable.
    SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (ctx_ != nullptr) {
    SSL_CTX_free(ctx_);
    ctx_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool TlsClient::fail(const std::string& what) {
  error_ = what + ": " + opensslErrors();
  return false;
}

bool TlsClient::connect(int port, const TlsClientOptions& options, int timeout_ms) {
  close();
  error_.clear();
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setTimeouts(fd_, timeout_ms);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    error_ = "connect failed";
    return false;
  }
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  if (options.min_version != 0) {
    // Old versions need the lowest security level to be offered at all.
    SSL_CTX_set_security_level(ctx_, 0);
    SSL_CTX_set_min_proto_version(ctx_, options.min_version);
    SSL_CTX_set_cipher_list(ctx_, "ALL:@SECLEVEL=0");
  }
  if (options.max_version != 0) {
    SSL_CTX_set_max_proto_version(ctx_, options.max_version);
  }
  if (!options.tickets) {
    SSL_CTX_set_options(ctx_, SSL_OP_NO_TICKET);
  }
  if (!options.cert_path.empty() &&
      (SSL_CTX_use_certificate_chain_file(ctx_, options.cert_path.c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(ctx_, options.key_path.c_str(), SSL_FILETYPE_PEM) != 1)) {
    return fail("client certificate");
  }
  static const unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_CTX_set_alpn_protos(ctx_, kAlpn, sizeof kAlpn);
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  if (!options.sni.empty()) {
    SSL_set_tlsext_host_name(ssl_, options.sni.c_str());
  }
  if (options.resume) {
    SSL_set_session(ssl_, options.resume.get());
  }
  if (SSL_connect(ssl_) != 1) {
    return fail("handshake");
  }
  return true;
}

HttpResponse TlsClient::request(const QByteArray& request, int timeout_ms) {
  HttpResponse failed;
  if (ssl_ == nullptr) {
    failed.error = "not connected";
    return failed;
  }
  setTimeouts(fd_, timeout_ms);
  size_t written = 0;
  if (SSL_write_ex(ssl_, request.constData(), static_cast<size_t>(request.size()), &written) != 1) {
    failed.error = QString::fromStdString("write: " + opensslErrors());
    return failed;
  }
  ResponseReader reader;
  reader.begin(request.startsWith("HEAD "), nullptr);
  char buffer[16384];
  for (;;) {
    size_t n = 0;
    if (SSL_read_ex(ssl_, buffer, sizeof buffer, &n) != 1) {
      if (reader.finish() == ResponseReader::State::Complete) {
        return reader.response();
      }
      failed.error = QString::fromStdString("read: " + opensslErrors());
      return failed;
    }
    const ResponseReader::State state = reader.feed(buffer, n);
    if (state == ResponseReader::State::Complete) {
      return reader.response();
    }
    if (state == ResponseReader::State::Failed) {
      return reader.response();
    }
  }
}

HttpResponse TlsClient::get(const QByteArray& path, const QByteArray& host, int timeout_ms) {
  return request("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n", timeout_ms);
}

bool TlsClient::waitClosed(int timeout_ms) {
  if (ssl_ == nullptr) {
    return true;
  }
  setTimeouts(fd_, timeout_ms);
  char byte;
  size_t n = 0;
  for (;;) {
    if (SSL_read_ex(ssl_, &byte, 1, &n) == 1) {
      continue;  // data after the response: not closed yet
    }
    const int error = SSL_get_error(ssl_, 0);
    ERR_clear_error();
    // A receive timeout shows as a syscall error with EAGAIN; anything else is the end.
    return !(error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK));
  }
}

std::string TlsClient::servedSubjectCn() const {
  X509* certificate = ssl_ != nullptr ? SSL_get0_peer_certificate(ssl_) : nullptr;
  if (certificate == nullptr) {
    return {};
  }
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, cn, sizeof cn);
  return cn;
}

bool TlsClient::resumed() const {
  return ssl_ != nullptr && SSL_session_reused(ssl_) == 1;
}

std::string TlsClient::version() const {
  return ssl_ != nullptr ? SSL_get_version(ssl_) : "";
}

std::string TlsClient::alpn() const {
  const unsigned char* data = nullptr;
  unsigned int length = 0;
  if (ssl_ != nullptr) {
    SSL_get0_alpn_selected(ssl_, &data, &length);
  }
  return std::string(reinterpret_cast<const char*>(data), length);
}

SessionPtr TlsClient::session() const {
  SSL_SESSION* session = ssl_ != nullptr ? SSL_get1_session(ssl_) : nullptr;
  return session != nullptr ? SessionPtr(session, SSL_SESSION_free) : nullptr;
}

}  // namespace sluice::test
