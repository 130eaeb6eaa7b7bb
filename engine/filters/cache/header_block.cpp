#include "engine/filters/cache/header_block.h"

#include "engine/http/hop_by_hop.h"

namespace sluice::filters::cache {

using http::equalsIgnoreCase;

bool isStoredField(std::string_view name, std::string_view connection_value) {
  if (http::isHopByHop(name, connection_value)) {
    return false;
  }
  if (name.size() >= 6 && equalsIgnoreCase(name.substr(0, 6), "proxy-")) {
    return false;
  }
  return !equalsIgnoreCase(name, "age") && !equalsIgnoreCase(name, "cache-status") &&
         !equalsIgnoreCase(name, "set-cookie");
}

void appendHeaderLine(std::string& block, std::string_view name, std::string_view value) {
  block += name;
  block += ": ";
  block += value;
  block += "\r\n";
}

std::string buildHeaderBlock(const http::HeaderList& response_headers) {
  const std::string_view connection = http::connectionHeader(response_headers);
  size_t size = 0;
  for (const http::HeaderField& h : response_headers) {
    size += h.name.size() + h.value.size() + 4;
  }
  std::string block;
  block.reserve(size);
  for (const http::HeaderField& h : response_headers) {
    if (isStoredField(h.name, connection)) {
      appendHeaderLine(block, h.name, h.value);
    }
  }
  return block;
}

http::HeaderList parseHeaderBlock(std::string_view block) {
  http::HeaderList fields;
  while (!block.empty()) {
    const size_t eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block.remove_prefix(eol == std::string_view::npos ? block.size() : eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      continue;
    }
    fields.push_back({line.substr(0, colon), http::trimOws(line.substr(colon + 1))});
  }
  return fields;
}

std::string_view blockField(std::string_view block, std::string_view name) {
  while (!block.empty()) {
    const size_t eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block.remove_prefix(eol == std::string_view::npos ? block.size() : eol + 2);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        equalsIgnoreCase(line.substr(0, name.size()), name)) {
      return http::trimOws(line.substr(name.size() + 1));
    }
  }
  return {};
}

}  // namespace sluice::filters::cache
