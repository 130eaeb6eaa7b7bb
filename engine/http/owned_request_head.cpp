#include "engine/http/owned_request_head.h"

namespace sluice::http {
namespace {

bool listed(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (equalsIgnoreCase(name, n)) {
      return true;
    }
  }
  return false;
}

}  // namespace

OwnedRequestHead::OwnedRequestHead(const RequestHead& head, std::initializer_list<std::string_view> drop,
                                   const HeaderList& add)
    : head_(head) {
  size_t total = head.method.size() + head.target.size() + head.path.size() + head.query.size() + head.host.size();
  for (const HeaderField& h : head.headers) {
    total += h.name.size() + h.value.size();
  }
  for (const HeaderField& h : add) {
    total += h.name.size() + h.value.size();
  }
  // Reserved once, so the views taken below stay valid while the storage is filled.
  storage_.reserve(total);
  auto keep = [this](std::string_view text) {
    const size_t at = storage_.size();
    storage_.append(text);
    return std::string_view(storage_.data() + at, text.size());
  };
  head_.method = keep(head.method);
  head_.target = keep(head.target);
  head_.path = keep(head.path);
  head_.query = keep(head.query);
  head_.host = keep(head.host);
  head_.headers.clear();
  head_.headers.reserve(head.headers.size() + add.size());
  for (const HeaderField& h : head.headers) {
    if (!listed(h.name, drop)) {
      head_.headers.push_back({keep(h.name), keep(h.value)});
    }
  }
  for (const HeaderField& h : add) {
    head_.headers.push_back({keep(h.name), keep(h.value)});
  }
}

}  // namespace sluice::http
