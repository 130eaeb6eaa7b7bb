#include "storage/segment_writer.h"

#include <lmdb.h>

#include "storage/key_codec.h"

namespace sluice::storage {
namespace {

struct Outcome {
  uint64_t stores = 0;
  uint64_t evictions = 0;
  uint64_t touches = 0;
};

struct SegmentShape {
  uint64_t puts = 0;
  uint64_t writes = 0;    // puts and erases
  uint64_t incoming = 0;  // estimated bytes the puts need
};

SegmentShape shapeOf(const WriterCore& core, std::span<const QueuedOp> ops) {
  SegmentShape shape;
  for (const auto& queued : ops) {
    if (const auto* put = std::get_if<PutRequest>(&queued.op)) {
      ++shape.puts;
      shape.incoming += core.estimateBytes(*put);
    }
    shape.writes +=
        std::holds_alternative<PutRequest>(queued.op) || std::holds_alternative<EraseOp>(queued.op);
  }
  return shape;
}

int attempt(WriterCore& core, std::span<const QueuedOp> ops, std::span<const QueuedTouch> touches,
            bool with_puts, uint64_t incoming, Outcome& out) {
  out = Outcome{};
  Txn txn;
  Accounting acct;
  if (const int rc = core.begin(txn, acct); rc != 0) {
    return rc;
  }
  EntryTable& table = core.table();
  if (with_puts) {
    out.evictions = core.makeRoom(txn, acct, incoming);
  }
  StoredKey key;
  for (const auto& queued : ops) {
    if (txn.failed()) {
      break;
    }
    if (const auto* put = std::get_if<PutRequest>(&queued.op); put != nullptr && with_puts) {
      key.assign(put->key);
      table.insert(txn, key, *put, queued.at_ms, acct);
      ++out.stores;
    } else if (const auto* erase = std::get_if<EraseOp>(&queued.op)) {
      key.assign(erase->key);
      table.remove(txn, key.view(), acct);
    }
  }
  for (const auto& touch : touches) {
    if (txn.failed()) {
      break;
    }
    key.assign(touch.key);
    out.touches += table.touch(txn, key.view(), touch.at_ms, core.options().touch_granularity_ms) ? 1 : 0;
  }
  return core.commit(txn, acct);
}

}  // namespace

void applySegment(WriterCore& core, std::span<const QueuedOp> ops, std::span<const QueuedTouch> touches) {
  const SegmentShape shape = shapeOf(core, ops);
  if (shape.writes == 0 && touches.empty()) {
    return;  // barriers only: nothing to commit
  }
  StoreCounters& counters = core.counters();
  Outcome out;
  bool puts_dropped = false;
  int rc = attempt(core, ops, touches, true, shape.incoming, out);
  if (rc == MDB_MAP_FULL) {
    counters.add(counters.map_full, 1);
    rc = core.recoverFromMapFull(shape.incoming) ? attempt(core, ops, touches, true, shape.incoming, out)
                                                 : MDB_MAP_FULL;
    if (rc == MDB_MAP_FULL) {  // still no room: keep the erases and touches at least
      puts_dropped = true;
      rc = attempt(core, ops, touches, false, 0, out);
    }
  }
  if (rc != 0) {
    counters.add(counters.write_errors, 1);
    puts_dropped = true;
  }
  if (puts_dropped) {
    counters.add(counters.dropped, shape.puts);
  }
  if (rc != 0) {
    return;
  }
  counters.add(counters.stores, out.stores);
  counters.add(counters.evictions, out.evictions);
  counters.add(counters.touches, out.touches);
}

}  // namespace sluice::storage
