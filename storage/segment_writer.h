#pragma once
// Applies a run of puts and erases, plus the batch's touches, in one write txn. It makes room
// first (eviction.h); on MDB_MAP_FULL it aborts, evicts, and retries once; if that fails too it
// commits everything but the puts, which are dropped and counted: puts are asynchronous, so a full
// store is never an error to a client. Writer thread only.

#include <span>

#include "storage/write_queue.h"
#include "storage/writer_core.h"

namespace sluice::storage {

void applySegment(WriterCore& core, std::span<const QueuedOp> ops, std::span<const QueuedTouch> touches);

}  // namespace sluice::storage
