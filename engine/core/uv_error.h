#pragma once
// libuv error codes as readable text ("connection refused"), for logs and error replies.

#include <uv.h>

#include <string>

namespace sluice::core {

inline std::string uvErrorText(int code) { return uv_strerror(code); }

}  // namespace sluice::core
