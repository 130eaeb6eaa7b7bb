#include "storage/store_writer.h"

#include <algorithm>
#include <chrono>

#include "storage/clock.h"
#include "storage/reclaim.h"
#include "storage/segment_writer.h"

namespace sluice::storage {
namespace {

constexpr size_t kMaxBatchOps = 1000;
constexpr size_t kMaxBatchBytes = 8u << 20;
constexpr size_t kPurgeChunk = 1000;    // entries removed per purge txn
constexpr size_t kReclaimChunk = 1000;  // entries reclaimed per txn

// A batch's puts must fit well inside the headroom above the high-water mark (eviction.h).
WriteQueue::Limits limitsFor(uint64_t map_size) {
  return WriteQueue::Limits{kMaxBatchOps, std::clamp<size_t>(map_size / 16, 64u << 10, kMaxBatchBytes)};
}

}  // namespace

StoreWriter::StoreWriter(Env& env, const Dbis& dbis, const StoreOptions& options, WriteQueue& queue,
                         StoreCounters& counters, const Accounting& committed)
    : core_(env, dbis, options, counters, committed),
      queue_(queue),
      limits_(limitsFor(env.mapSize())),
      thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() {
  queue_.stop();
  thread_.join();
}

void StoreWriter::run() {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::milliseconds(core_.options().reclaim_interval_ms);
  auto next_reclaim = Clock::now();  // a pass at startup catches what expired while closed
  Batch batch;
  for (;;) {
    const bool running = queue_.take(batch, limits_, next_reclaim);
    if (!batch.empty()) {
      process(batch);
    }
    if (Clock::now() >= next_reclaim) {
      next_reclaim = reclaimStep() ? Clock::now() : Clock::now() + interval;
    }
    if (!running) {
      break;
    }
  }
  if (!core_.options().sync) {
    core_.env().sync(true);  // MDB_NOSYNC: leave a closed store on disk
  }
}

void StoreWriter::process(Batch& batch) {
  const std::span<QueuedOp> ops(batch.ops);
  size_t start = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (auto* purge = std::get_if<PurgeOp>(&ops[i].op)) {
      applySegment(core_, ops.subspan(start, i - start), {});
      runPurge(*purge);
      start = i + 1;
    }
  }
  applySegment(core_, ops.subspan(start), batch.touches);
  for (QueuedOp& op : ops) {
    if (auto* put = std::get_if<PutRequest>(&op.op); put != nullptr && put->settled) {
      put->settled();
    }
  }
  queue_.release(batch);
}

void StoreWriter::runPurge(PurgeOp& op) {
  uint64_t removed = 0;
  if (op.kind == PurgeOp::Kind::All) {
    Txn txn;
    Accounting acct;
    if (core_.begin(txn, acct) == 0) {
      removed = purgeEverything(txn, core_.table().dbis(), acct);
      if (core_.commit(txn, acct) != 0) {
        core_.counters().add(core_.counters().write_errors, 1);
        removed = 0;
      }
    }
  } else {
    const auto purge = op.kind == PurgeOp::Kind::Prefix ? makePrefixPurge(op.arg) : makeTagPurge(op.arg);
    removed = purgeInChunks(*purge);
  }
  core_.counters().add(core_.counters().purged, removed);
  if (op.done) {
    op.done(removed);
  }
}

uint64_t StoreWriter::purgeInChunks(Purge& purge) {
  uint64_t removed = 0;
  bool retried = false;
  while (!purge.done()) {
    const Purge::Position before = purge.position();
    Txn txn;
    Accounting acct;
    int rc = core_.begin(txn, acct);
    const uint64_t n = rc == 0 ? purge.step(txn, core_.table(), acct, kPurgeChunk) : 0;
    if (rc == 0) {
      rc = core_.commit(txn, acct);
    }
    if (rc == 0) {
      removed += n;
      retried = false;
      continue;
    }
    purge.rewind(before);  // the chunk was rolled back: look at the same rows again
    if (rc == MDB_MAP_FULL && !retried) {
      core_.counters().add(core_.counters().map_full, 1);
      retried = core_.recoverFromMapFull(0);
      if (retried) {
        continue;
      }
    }
    core_.counters().add(core_.counters().write_errors, 1);
    break;
  }
  return removed;
}

bool StoreWriter::reclaimStep() {
  Txn txn;
  Accounting acct;
  if (core_.begin(txn, acct) != 0) {
    core_.counters().add(core_.counters().write_errors, 1);
    return false;
  }
  const ReclaimResult result = reclaimExpired(txn, core_.table(), acct, unixNowMs(), kReclaimChunk);
  if (result.removed == 0 && !txn.failed()) {
    return result.more;  // nothing to commit (the txn aborts)
  }
  if (core_.commit(txn, acct) != 0) {
    core_.counters().add(core_.counters().write_errors, 1);
    return false;
  }
  core_.counters().add(core_.counters().reclaimed, result.removed);
  return result.more;
}

}  // namespace sluice::storage
