// An upstream's `tls:` block: HTTPS to its servers. The CA file is checked here, at load time, so a
// missing or non-PEM bundle is a `file:line` error.

#include <array>
#include <cctype>

#include "engine/config/parse_tls.h"
#include "engine/tls/certified_key.h"

namespace sluice::config::detail {
namespace {

constexpr std::array<std::string_view, 3> kUpstreamTlsKeys{"verify", "ca", "sni"};

// A DNS name as SNI carries it: letters, digits, '-' and '.', no empty label.
bool validServerName(const std::string& name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.' ||
      name.find("..") != std::string::npos) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

void parseUpstreamTls(const Field& field, const std::string& context, Diagnostics& diag,
                      std::optional<UpstreamTlsConfig>& out) {
  if (!expectMap(field, "'tls'", diag)) {
    return;
  }
  MapReader map(field.value, kUpstreamTlsKeys, diag);
  UpstreamTlsConfig& tls = out.emplace();
  tls.where = diag.where(field.line);
  map.readBool("verify", tls.verify);
  if (map.read("ca", tls.ca)) {
    std::string error;
    if (!tls::checkCaFile(tls.ca, error)) {
      diag.error(map.find("ca")->line, context + ": " + error);
    }
  }
  if (map.read("sni", tls.sni) && !validServerName(tls.sni)) {
    diag.error(map.find("sni")->line, context + ": sni '" + tls.sni + "' is not a host name");
  }
}

}  // namespace sluice::config::detail
