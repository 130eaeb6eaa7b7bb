// libFuzzer driver for the config loader (engine/config/config_loader.h): any text must load or be
// refused with errors, never crash, throw or hang. Also checks that a refused config has at least
// one error and an accepted one none.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const sluice::config::LoadResult result = sluice::config::loadConfigText(text, "fuzz.yaml");
  if (result.ok() != result.errors.empty()) {
    std::fprintf(stderr, "config_fuzz: ok()=%d but %zu errors\n", result.ok() ? 1 : 0, result.errors.size());
    std::abort();
  }
  for (const auto& error : result.errors) {
    (void)error.str();  // formatting every error must not crash either
  }
  if (result.ok() && result.config->source != "fuzz.yaml") {
    std::abort();
  }
  return 0;
}
