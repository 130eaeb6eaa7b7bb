#pragma once
// The node's rate-limit state: one fixed-size sharded open-addressing table shared by all workers
// and owned by the node, so it survives config reloads. Each key is a 64-bit keyed hash (see
// key_hash.h) and owns one 24-byte slot holding a 64-bit state word; a decision is one
// compare-and-swap on that word (retried only if another thread changed it first).
//
// Threads: decisions (update, acquire/release of counts) run lock-free on any worker. Inserting a
// new key, evicting and expiring take that shard's mutex (new keys are rare next to decisions).
// sweep() runs on the control thread once a second.
//
// Slot reuse without ABA: the top 4 bits of the state word are a generation that eviction bumps
// with a CAS, and the tag publishes the generation it belongs to. A decision that read the tag of
// an evicted key fails its CAS (the generation moved) and looks the key up again, so it can never
// update a slot that meanwhile went to another key. Bit 59 pins a slot (requests in flight):
// pinned slots are never evicted nor expired.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/filters/rate_limit/key_hash.h"
#include "engine/stats/rate_limit_stats.h"

namespace sluice::rate_limit {

using TableStats = stats::RateLimitTableStats;

// How the slots are used (tests and diagnostics): a lookup of a missing key walks at most
// `longest_run` slots.
struct TableShape {
  uint64_t empty = 0;
  uint64_t tombstones = 0;
  size_t longest_run = 0;  // the longest run of non-empty slots in any shard
};

class LimiterTable {
 public:
  static constexpr int kGenShift = 60;
  static constexpr uint64_t kPinned = uint64_t{1} << 59;
  static constexpr uint64_t kPayloadMask = (uint64_t{1} << 59) - 1;  // the algorithm's bits
  static constexpr uint64_t kValueMask = kPinned | kPayloadMask;

  struct Slot {
    std::atomic<uint64_t> tag;        // 0 empty, 1 tombstone, else hash bits 63..4 | generation
    std::atomic<uint64_t> state;      // generation 63..60 | pinned 59 | payload 58..0
    std::atomic<uint32_t> last_used;  // node seconds of the last decision (eviction order)
    std::atomic<uint32_t> expire_at;  // node seconds from which the sweeper may drop the key
  };
  static_assert(sizeof(Slot) == 24);

  // What a decision wants written. `value` is the pinned bit plus payload.
  struct Update {
    bool write = false;
    uint64_t value = 0;
    uint32_t expire_at = 0;
  };

  // `shards` 0 picks a count from max_keys (up to 64). Capacity is max_keys / 0.75 slots.
  LimiterTable(uint64_t max_keys, uint32_t idle_timeout_s, uint32_t shards = 0,
               HashKey hash_key = HashKey::random());
  ~LimiterTable();
  LimiterTable(const LimiterTable&) = delete;
  LimiterTable& operator=(const LimiterTable&) = delete;

  // Any thread. Runs `decide(value) -> Update` against the key's state (value 0 for a new key) and
  // writes its result with one CAS; `decide` may run again if another thread won the race. False
  // only when the key could not be stored (the table is full of pinned keys).
  template <typename Decide>
  bool update(uint64_t hash, uint32_t now_s, Decide&& decide);

  // For counts held across a request (in-flight limits): a token naming the slot and generation,
  // valid while the slot is pinned. Any thread.
  template <typename Decide>
  bool update(uint64_t hash, uint32_t now_s, Decide&& decide, uint64_t& token);
  // Applies `change(value) -> value` to the slot of a token obtained from update() while pinned.
  template <typename Change>
  void updateToken(uint64_t token, Change&& change);

  // Whether the key is stored (tests and diagnostics; any thread).
  bool contains(uint64_t hash) const {
    uint32_t gen = 0;
    return find(hash, gen) != nullptr;
  }

  // Control thread (or a test), about once a second: drops keys past their expire_at that are not
  // pinned. Each call sweeps the next 1/`parts` of
  // the shards (empty shards cost nothing), so a large table is not scanned whole every second.
  void sweep(uint32_t now_s, uint32_t parts = 1);

  // The per-process random key that every rate-limit key is hashed with.
  const HashKey& hashKey() const { return hash_key_; }
  uint32_t idleTimeout() const { return idle_timeout_s_.load(std::memory_order_relaxed); }
  void setIdleTimeout(uint32_t seconds) { idle_timeout_s_.store(seconds, std::memory_order_relaxed); }
  TableStats stats() const;
  TableShape shape() const;  // scans every slot: not for the data path
  uint32_t shardCount() const { return static_cast<uint32_t>(shards_.size()); }

 private:
  static constexpr uint64_t kEmpty = 0;
  static constexpr uint64_t kTombstone = 1;
  static constexpr size_t kCandidates = 64;

  struct alignas(64) Shard {
    std::mutex mutex;
    std::atomic<uint32_t> live{0};             // written under mutex
    std::vector<std::pair<uint32_t, uint32_t>> candidates;  // (last_used, index), oldest first (under mutex)
    size_t next_candidate = 0;
  };

  static uint64_t tagBits(uint64_t hash) {
    const uint64_t bits = hash & ~uint64_t{0xf};
    return bits == 0 ? 0x10 : bits;
  }
  static uint32_t genOf(uint64_t word) { return static_cast<uint32_t>(word >> kGenShift); }
  uint32_t shardOf(uint64_t hash) const { return static_cast<uint32_t>(hash >> 58) & (shard_mask_); }
  // From the tag bits only, so that a stored key's home can be computed again when it is moved.
  size_t home(uint64_t hash) const {
    const auto bits = static_cast<uint32_t>(tagBits(hash) >> 4);
    return static_cast<size_t>((static_cast<uint64_t>(bits) * shard_slots_) >> 32);
  }
  size_t nextSlot(size_t i) const { return i + 1 == shard_slots_ ? 0 : i + 1; }
  Slot* shardSlots(uint32_t shard) const { return slots_ + static_cast<size_t>(shard) * shard_slots_; }

  // Lock-free lookup; on a miss, inserts under the shard mutex. Null when nothing could be evicted.
  Slot* findOrInsert(uint64_t hash, uint32_t now_s, uint32_t& gen);
  Slot* find(uint64_t hash, uint32_t& gen) const;
  Slot* insertLocked(Shard& shard, uint32_t shard_index, uint64_t hash, uint32_t now_s, uint32_t& gen);
  // Under the shard mutex: drops the key in slot `index` if its state is still `expected` and
  // unpinned, then closes the gap (backward shift), so deletions leave no tombstones.
  bool dropLocked(Shard& shard, uint32_t shard_index, size_t index, uint64_t expected);
  void closeGapLocked(uint32_t shard_index, size_t hole);
  bool evictOldestLocked(Shard& shard, uint32_t shard_index);
  void refillCandidatesLocked(Shard& shard, uint32_t shard_index);
  void touch(Slot& slot, uint32_t now_s, uint32_t expire_at) const;

  const HashKey hash_key_;
  Slot* slots_ = nullptr;
  size_t mapped_bytes_ = 0;
  size_t shard_slots_ = 0;
  uint32_t shard_mask_ = 0;
  uint32_t max_per_shard_ = 0;  // a shard's own bound: its share of max_keys plus slack for uneven hashing
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<uint32_t> idle_timeout_s_;
  uint64_t max_keys_ = 0;
  std::atomic<uint64_t> live_{0};  // keys in all shards; changed under a shard mutex
  std::atomic<uint64_t> evictions_{0};
  std::atomic<uint64_t> expirations_{0};
  std::atomic<uint64_t> full_{0};
  uint32_t sweep_next_ = 0;  // sweep() caller's thread only
};

template <typename Decide>
bool LimiterTable::update(uint64_t hash, uint32_t now_s, Decide&& decide) {
  uint64_t token = 0;
  return update(hash, now_s, std::forward<Decide>(decide), token);
}

template <typename Decide>
bool LimiterTable::update(uint64_t hash, uint32_t now_s, Decide&& decide, uint64_t& token) {
  while (true) {
    uint32_t gen = 0;
    Slot* slot = findOrInsert(hash, now_s, gen);
    if (slot == nullptr) {
      return false;
    }
    uint64_t word = slot->state.load(std::memory_order_acquire);
    while (genOf(word) == gen) {
      const Update u = decide(word & kValueMask);
      if (!u.write) {
        touch(*slot, now_s, 0);
        token = (static_cast<uint64_t>(slot - slots_) << 4) | gen;
        return true;
      }
      // Stamped before the CAS, which publishes them: the sweeper reads the state first, so it
      // never sees a new state with the old stamps (and never drops a key that was just used).
      touch(*slot, now_s, u.expire_at);
      const uint64_t next = (word & ~kValueMask) | (u.value & kValueMask);
      if (slot->state.compare_exchange_weak(word, next, std::memory_order_acq_rel, std::memory_order_acquire)) {
        token = (static_cast<uint64_t>(slot - slots_) << 4) | gen;
        return true;
      }
    }
    // The key was evicted between its lookup and the CAS: look it up (or insert it) again.
  }
}

template <typename Change>
void LimiterTable::updateToken(uint64_t token, Change&& change) {
  Slot& slot = slots_[token >> 4];
  const uint32_t gen = static_cast<uint32_t>(token & 0xf);
  uint64_t word = slot.state.load(std::memory_order_acquire);
  while (genOf(word) == gen) {
    const uint64_t next = (word & ~kValueMask) | (change(word & kValueMask) & kValueMask);
    if (slot.state.compare_exchange_weak(word, next, std::memory_order_acq_rel, std::memory_order_acquire)) {
      return;
    }
  }
}

}  // namespace sluice::rate_limit
