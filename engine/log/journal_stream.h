#pragma once
// Whether stderr is connected to the systemd journal: systemd sets JOURNAL_STREAM=DEVICE:INODE for
// the stream it hands a service as stdout/stderr. Comparing it with stderr's fstat() (not just
// testing that the variable is set) keeps a child whose stderr was redirected elsewhere, e.g.
// `sluice serve 2>file` run from a service, from writing journal-style lines to a file.

namespace sluice::log {

bool stderrIsJournal();

}  // namespace sluice::log
