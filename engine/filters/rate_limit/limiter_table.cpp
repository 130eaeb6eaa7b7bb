#include "engine/filters/rate_limit/limiter_table.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace sluice::rate_limit {
namespace {

constexpr uint32_t kMaxShards = 64;
constexpr uint32_t kKeysPerShardForSplit = 1024;  // fewer keys than this per shard: fewer shards

uint32_t defaultShards(uint64_t max_keys) {
  uint64_t shards = std::max<uint64_t>(1, max_keys / kKeysPerShardForSplit);
  shards = std::min<uint64_t>(kMaxShards, std::bit_floor(shards));
  return static_cast<uint32_t>(shards);
}

}  // namespace

LimiterTable::LimiterTable(uint64_t max_keys, uint32_t idle_timeout_s, uint32_t shards, HashKey hash_key)
    : hash_key_(hash_key), idle_timeout_s_(idle_timeout_s) {
  if (shards == 0) {
    shards = defaultShards(max_keys);
  }
  shards = std::bit_floor(std::max<uint32_t>(shards, 1));
  shard_mask_ = shards - 1;
  max_keys_ = std::max<uint64_t>(max_keys, 1);
  // max_keys holds for the whole table; a shard may hold more than its even share, since hashing
  // does not spread keys perfectly evenly (5 standard deviations of slack).
  const uint64_t share = (max_keys_ + shards - 1) / shards;
  const uint64_t slack = shards == 1 ? 0 : static_cast<uint64_t>(std::ceil(5 * std::sqrt(static_cast<double>(share))));
  max_per_shard_ = static_cast<uint32_t>(std::min<uint64_t>(share + slack, max_keys_));
  // Load factor at most 3/4 keeps probe chains short; +2 so a full shard always has a free slot.
  shard_slots_ = static_cast<size_t>(max_per_shard_) * 4 / 3 + 2;
  // An anonymous mapping: the kernel hands out zero pages lazily, so memory is used as keys arrive
  // (an all-zero Slot is an empty one; the atomics hold plain integers, so zeroed memory is a valid
  // object). Keys land on random slots, so a large table is a TLB miss per lookup with 4 KiB
  // pages: ask for transparent huge pages (honoured where THP is `madvise` or `always`).
  mapped_bytes_ = shard_slots_ * shards * sizeof(Slot);
  void* memory = mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    throw std::bad_alloc();
  }
  madvise(memory, mapped_bytes_, MADV_HUGEPAGE);
  slots_ = static_cast<Slot*>(memory);
  for (uint32_t i = 0; i < shards; ++i) {
    shards_.push_back(std::make_unique<Shard>());
  }
}

LimiterTable::~LimiterTable() {
  munmap(slots_, mapped_bytes_);
}

LimiterTable::Slot* LimiterTable::find(uint64_t hash, uint32_t& gen) const {
  Slot* slots = shardSlots(shardOf(hash));
  const uint64_t want = tagBits(hash);
  size_t i = home(hash);
  for (size_t n = 0; n < shard_slots_; ++n) {
    const uint64_t tag = slots[i].tag.load(std::memory_order_acquire);
    if (tag == kEmpty) {
      return nullptr;
    }
    if ((tag & ~uint64_t{0xf}) == want && tag != kTombstone) {
      gen = static_cast<uint32_t>(tag & 0xf);
      return &slots[i];
    }
    i = i + 1 == shard_slots_ ? 0 : i + 1;
  }
  return nullptr;
}

LimiterTable::Slot* LimiterTable::findOrInsert(uint64_t hash, uint32_t now_s, uint32_t& gen) {
  if (Slot* slot = find(hash, gen)) {
    return slot;
  }
  const uint32_t index = shardOf(hash);
  Shard& shard = *shards_[index];
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (Slot* slot = find(hash, gen)) {
    return slot;  // another worker inserted it meanwhile
  }
  return insertLocked(shard, index, hash, now_s, gen);
}

LimiterTable::Slot* LimiterTable::insertLocked(Shard& shard, uint32_t shard_index, uint64_t hash, uint32_t now_s,
                                               uint32_t& gen) {
  // Reserve the key's place first, so that inserts in several shards at once never overshoot.
  const bool full = live_.fetch_add(1, std::memory_order_relaxed) >= max_keys_ ||
                    shard.live.load(std::memory_order_relaxed) >= max_per_shard_;
  if (full && !evictOldestLocked(shard, shard_index)) {
    live_.fetch_sub(1, std::memory_order_relaxed);
    full_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  // The key is not in its chain (checked under the mutex): take the first free slot of the chain.
  Slot* slots = shardSlots(shard_index);
  size_t i = home(hash);
  for (size_t n = 0; n < shard_slots_; ++n) {
    const uint64_t tag = slots[i].tag.load(std::memory_order_relaxed);
    if (tag == kEmpty || tag == kTombstone) {
      Slot& slot = slots[i];
      // The state keeps the generation its last eviction left (payload 0 = a fresh key).
      gen = genOf(slot.state.load(std::memory_order_relaxed));
      slot.last_used.store(now_s, std::memory_order_relaxed);
      slot.expire_at.store(now_s + idleTimeout(), std::memory_order_relaxed);
      slot.tag.store(tagBits(hash) | gen, std::memory_order_release);
      shard.live.store(shard.live.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      return &slot;
    }
    i = i + 1 == shard_slots_ ? 0 : i + 1;
  }
  live_.fetch_sub(1, std::memory_order_relaxed);  // unreachable: live < max_per_shard_ < shard_slots_
  full_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

bool LimiterTable::dropLocked(Shard& shard, uint32_t shard_index, size_t index, uint64_t expected) {
  if ((expected & kPinned) != 0) {
    return false;
  }
  Slot* slots = shardSlots(shard_index);
  // Bumping the generation makes every decision still holding this key's tag fail its CAS.
  const uint64_t next = static_cast<uint64_t>((genOf(expected) + 1) & 0xf) << kGenShift;
  if (!slots[index].state.compare_exchange_strong(expected, next, std::memory_order_acq_rel)) {
    return false;  // just used (or pinned) by a decision: not idle after all
  }
  slots[index].tag.store(kTombstone, std::memory_order_release);  // no lookup matches it any more
  shard.live.store(shard.live.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
  live_.fetch_sub(1, std::memory_order_relaxed);
  closeGapLocked(shard_index, index);
  return true;
}

void LimiterTable::closeGapLocked(uint32_t shard_index, size_t hole) {
  // Backward-shift deletion for linear probing: each later key of the run that may live closer to
  // its home moves into the hole. Tombstones would pile up under churn at max_keys until lookups
  // of new keys walked whole shards. Lock-free readers stay correct: a moved key's old slot gets a
  // new generation before the key appears in the hole, so a decision on the old slot fails its CAS
  // and looks again; a lookup that misses the key mid-move takes the shard mutex (held here) and
  // finds it once the move is done.
  Slot* slots = shardSlots(shard_index);
  const auto distance = [this](size_t from, size_t to) { return (to + shard_slots_ - from) % shard_slots_; };
  size_t j = hole;
  for (size_t n = 0; n < shard_slots_; ++n) {
    j = nextSlot(j);
    const uint64_t tag = slots[j].tag.load(std::memory_order_relaxed);
    if (tag == kEmpty) {
      break;
    }
    if (tag == kTombstone || distance(home(tag), j) < distance(hole, j)) {
      continue;  // not a key, or its home lies after the hole: it must stay where it is
    }
    uint64_t value = slots[j].state.load(std::memory_order_acquire);
    bool moved = false;
    while ((value & kPinned) == 0) {
      const uint64_t bumped = static_cast<uint64_t>((genOf(value) + 1) & 0xf) << kGenShift;
      if (slots[j].state.compare_exchange_weak(value, bumped, std::memory_order_acq_rel, std::memory_order_acquire)) {
        moved = true;
        break;
      }
    }
    if (!moved) {
      // A pinned key holds leases naming its slot: it cannot move, so the hole stays a tombstone
      // and the run stays intact.
      slots[hole].tag.store(kTombstone, std::memory_order_release);
      return;
    }
    const uint32_t gen = genOf(slots[hole].state.load(std::memory_order_relaxed));
    slots[hole].last_used.store(slots[j].last_used.load(std::memory_order_relaxed), std::memory_order_relaxed);
    slots[hole].expire_at.store(slots[j].expire_at.load(std::memory_order_relaxed), std::memory_order_relaxed);
    slots[hole].state.store((static_cast<uint64_t>(gen) << kGenShift) | (value & kValueMask), std::memory_order_release);
    slots[hole].tag.store((tag & ~uint64_t{0xf}) | gen, std::memory_order_release);
    hole = j;
  }
  slots[hole].tag.store(kEmpty, std::memory_order_release);
}

void LimiterTable::refillCandidatesLocked(Shard& shard, uint32_t shard_index) {
  Slot* slots = shardSlots(shard_index);
  std::vector<std::pair<uint32_t, uint32_t>> aged;  // last_used, index
  aged.reserve(shard.live.load(std::memory_order_relaxed));
  for (size_t i = 0; i < shard_slots_; ++i) {
    const uint64_t tag = slots[i].tag.load(std::memory_order_relaxed);
    if (tag != kEmpty && tag != kTombstone &&
        (slots[i].state.load(std::memory_order_relaxed) & kPinned) == 0) {
      aged.emplace_back(slots[i].last_used.load(std::memory_order_relaxed), static_cast<uint32_t>(i));
    }
  }
  const size_t n = std::min(aged.size(), kCandidates);
  std::partial_sort(aged.begin(), aged.begin() + static_cast<std::ptrdiff_t>(n), aged.end());
  shard.candidates.assign(aged.begin(), aged.begin() + static_cast<std::ptrdiff_t>(n));
  shard.next_candidate = 0;
}

bool LimiterTable::evictOldestLocked(Shard& shard, uint32_t shard_index) {
  Slot* slots = shardSlots(shard_index);
  for (int pass = 0; pass < 2; ++pass) {
    while (shard.next_candidate < shard.candidates.size()) {
      const auto [seen_used, index] = shard.candidates[shard.next_candidate++];
      Slot& slot = slots[index];
      const uint64_t tag = slot.tag.load(std::memory_order_relaxed);
      const uint64_t state = slot.state.load(std::memory_order_acquire);
      if (tag == kEmpty || tag == kTombstone || slot.last_used.load(std::memory_order_relaxed) != seen_used) {
        continue;  // expired, or used since the scan: no longer among the oldest
      }
      if (dropLocked(shard, shard_index, index, state)) {
        evictions_.fetch_add(1, std::memory_order_relaxed);
        return true;
      }
    }
    // A candidate list is the 64 oldest at the time of its scan; rescan when it is used up.
    refillCandidatesLocked(shard, shard_index);
  }
  return false;
}

void LimiterTable::sweep(uint32_t now_s, uint32_t parts) {
  const uint32_t count = std::max<uint32_t>(1, static_cast<uint32_t>(shards_.size()) / std::max<uint32_t>(parts, 1));
  for (uint32_t n = 0; n < count; ++n) {
    const uint32_t s = sweep_next_;
    sweep_next_ = (sweep_next_ + 1) % static_cast<uint32_t>(shards_.size());
    Shard& shard = *shards_[s];
    if (shard.live.load(std::memory_order_relaxed) == 0) {
      continue;
    }
    std::lock_guard<std::mutex> lock(shard.mutex);
    Slot* slots = shardSlots(s);
    for (size_t i = 0; i < shard_slots_; ++i) {
      Slot& slot = slots[i];
      const uint64_t tag = slot.tag.load(std::memory_order_relaxed);
      if (tag == kEmpty || tag == kTombstone) {
        continue;
      }
      // State first, then the stamp (see update()). Wrapping subtraction: node seconds wrap after
      // 136 years.
      const uint64_t state = slot.state.load(std::memory_order_acquire);
      if (static_cast<int32_t>(now_s - slot.expire_at.load(std::memory_order_relaxed)) < 0) {
        continue;
      }
      if (dropLocked(shard, s, i, state)) {
        expirations_.fetch_add(1, std::memory_order_relaxed);
      }
    }
  }
}

TableShape LimiterTable::shape() const {
  TableShape out;
  for (uint32_t s = 0; s < shards_.size(); ++s) {
    const Slot* slots = shardSlots(s);
    size_t run = 0;
    for (size_t n = 0; n < 2 * shard_slots_; ++n) {  // twice round: runs may wrap
      const uint64_t tag = slots[n % shard_slots_].tag.load(std::memory_order_relaxed);
      run = tag == kEmpty ? 0 : run + 1;
      out.longest_run = std::max(out.longest_run, std::min(run, shard_slots_));
      if (n >= shard_slots_) {
        continue;
      }
      out.empty += tag == kEmpty ? 1 : 0;
      out.tombstones += tag == kTombstone ? 1 : 0;
    }
  }
  return out;
}

void LimiterTable::touch(Slot& slot, uint32_t now_s, uint32_t expire_at) const {
  // Plain stores, skipped when unchanged: on the refusal path of a hot key nothing is written, so
  // the workers do not bounce the slot's cache line between them.
  if (slot.last_used.load(std::memory_order_relaxed) != now_s) {
    slot.last_used.store(now_s, std::memory_order_relaxed);
  }
  if (expire_at != 0 && slot.expire_at.load(std::memory_order_relaxed) != expire_at) {
    slot.expire_at.store(expire_at, std::memory_order_relaxed);
  }
}

TableStats LimiterTable::stats() const {
  TableStats s;
  s.keys = live_.load(std::memory_order_relaxed);
  s.max_keys = max_keys_;
  s.slot_count = shard_slots_ * shards_.size();
  s.evictions = evictions_.load(std::memory_order_relaxed);
  s.expirations = expirations_.load(std::memory_order_relaxed);
  s.full = full_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace sluice::rate_limit
