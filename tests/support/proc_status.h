#pragma once
// Reads a process's memory figures from /proc/PID/status (Linux).

#include <QString>

namespace sluice::test {

// The value in KiB of a `Name:  N kB` line of /proc/PID/status (VmRSS, VmHWM, ...); -1 if unreadable.
qint64 procStatusKb(qint64 pid, const QString& name);

}  // namespace sluice::test
