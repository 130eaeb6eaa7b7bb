#pragma once
// The words of one `sluice ctl` command line after the global options, consumed by the command:
// options first (`--name VALUE`, `--name=VALUE`, or a bare flag), then positionals; finish() turns
// whatever is left into a usage error. Options may come before or after positionals.

#include <optional>
#include <string>
#include <vector>

namespace sluice::ctl {

class CtlArgs {
 public:
  explicit CtlArgs(std::vector<std::string> words) : words_(std::move(words)) {}

  // Removes `name` if present; true when it was.
  bool flag(const std::string& name);
  // Removes `name VALUE` / `name=VALUE`; nullopt when absent. A missing value is a usage error
  // (error() set, the option consumed).
  std::optional<std::string> option(const std::string& name);
  // An option that must be a non-negative number (seconds, counts); usage error otherwise.
  std::optional<double> number(const std::string& name);

  // The next word that is not an option, removed; nullopt when none is left.
  std::optional<std::string> next();
  // All remaining words (options included) and clears them.
  std::vector<std::string> rest();

  // False with error() set when a usage error happened or words are left over.
  bool finish();
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }

 private:
  std::vector<std::string> words_;
  std::string error_;
};

}  // namespace sluice::ctl
