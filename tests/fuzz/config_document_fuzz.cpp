// libFuzzer driver for the config document edits (engine/config/config_document.h): any text must
// give a JSON view or an error, a field path for every line, and a section rewrite or an error,
// never a crash, a throw or a hang. When the text is a valid config and an entry is set, the
// rewritten text holds that entry and still parses.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/config/config_document.h"
#include "engine/config/config_loader.h"

namespace {

using sluice::config::Section;

void check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "config_document_fuzz: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) {
    return 0;
  }
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const bool is_yaml = sluice::config::documentToJson(text, error).has_value();
  int lines = 1;
  for (char c : text) {
    lines += c == '\n' ? 1 : 0;
  }
  for (int line = 0; line <= lines + 1; ++line) {
    (void)sluice::config::fieldPathAtLine(text, line);
  }
  const bool valid = sluice::config::loadConfigText(text, "fuzz.yaml").ok();
  for (Section section : {Section::RateLimits, Section::CachePolicies}) {
    (void)sluice::config::sectionEntries(text, section);
    const nlohmann::json entry = {
        {"name", "fuzz_entry"}, {"limit", 5}, {"window", "true"}, {"list", {"a", "1"}}};
    std::optional<sluice::config::EditedText> edited = sluice::config::setEntry(text, section, entry, error);
    if (edited) {
      check(sluice::config::documentToJson(edited->yaml, error).has_value() || !is_yaml,
            "a rewrite of YAML is not YAML");
      if (valid) {
        bool found = false;
        for (const nlohmann::json& e : sluice::config::sectionEntries(edited->yaml, section)) {
          found = found || e == entry;
        }
        check(found, "the entry set is not in the rewritten section");
      }
      (void)sluice::config::deleteEntry(edited->yaml, section, "fuzz_entry");
    }
    (void)sluice::config::deleteEntry(text, section, "per_ip");
  }
  return 0;
}
