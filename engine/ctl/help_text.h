#pragma once
// The text of `sluice ctl --help` and of `sluice ctl COMMAND --help`.

#include <string_view>

namespace sluice::ctl {

const char* ctlUsage();
// Null for an unknown command.
const char* commandHelp(std::string_view command);

}  // namespace sluice::ctl
