#pragma once
// Reason phrases for the status codes Sluice sends itself.

#include <string_view>

namespace sluice::http {

std::string_view statusText(int status);

}  // namespace sluice::http
