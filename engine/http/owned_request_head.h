#pragma once
// A deep copy of a request head, for work that outlives the client's request (a background cache
// refresh) or that sends changed headers upstream (a cache revalidation replaces the client's
// validators with the stored entry's). Immovable: the head's views point into its own storage.

#include <initializer_list>
#include <string>
#include <string_view>

#include "engine/http/message_head.h"

namespace sluice::http {

class OwnedRequestHead {
 public:
  // Copies `head` without the fields named in `drop` (case-insensitive), then appends `add`.
  OwnedRequestHead(const RequestHead& head, std::initializer_list<std::string_view> drop, const HeaderList& add);
  OwnedRequestHead(const OwnedRequestHead&) = delete;
  OwnedRequestHead& operator=(const OwnedRequestHead&) = delete;

  const RequestHead& head() const { return head_; }

 private:
  std::string storage_;
  RequestHead head_;
};

}  // namespace sluice::http
