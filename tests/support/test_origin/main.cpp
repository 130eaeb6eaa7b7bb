// sluice-test-origin: a small HTTP/1.1 origin server for integration tests, fault injection and the
// demo (scripts/run.sh). Behaviour by request path: see README.md beside this file.

#include <uv.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/support/test_origin/origin_server.h"

namespace {

void usage() {
  std::fprintf(stderr, "usage: sluice-test-origin [--listen HOST:PORT] [--id NAME]\n");
}

bool splitHostPort(const std::string& text, std::string& host, int& port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return false;
  }
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  char* end = nullptr;
  const long value = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (end == text.c_str() + colon + 1 || *end != '\0' || value < 0 || value > 65535) {
    return false;
  }
  port = static_cast<int>(value);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:8081";
  std::string id = "origin";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--listen" || arg == "--id") && i + 1 < argc) {
      (arg == "--listen" ? listen : id) = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      usage();
      return 0;
    } else {
      usage();
      return 2;
    }
  }
  std::string host;
  int port = 0;
  if (!splitHostPort(listen, host, port)) {
    std::fprintf(stderr, "bad --listen address '%s'\n", listen.c_str());
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);

  uv_loop_t* loop = uv_default_loop();
  sluice::test_origin::OriginServer server(loop, id);
  if (const int rc = server.listen(host, port); rc != 0) {
    std::fprintf(stderr, "%s: %s\n", listen.c_str(), uv_strerror(rc));
    return 1;
  }
  const bool v6 = host.find(':') != std::string::npos;
  std::printf("listening on %s%s%s:%d\n", v6 ? "[" : "", host.c_str(), v6 ? "]" : "", server.boundPort());
  std::fflush(stdout);
  return uv_run(loop, UV_RUN_DEFAULT);
}
