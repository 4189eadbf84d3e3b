#include "root_tracker.h"

#include <cstddef>
#include <cstring>

#include "fnv.h"

namespace egret {

namespace {
constexpr size_t kInitialSlots = 64;
}  // namespace

uint64_t RootTable::hashOf(uint64_t root) {
  // Roots come from instances: random in practice, but a test or a careless instance may count 1, 2, 3...
  return fmix64(root);
}

uint64_t* RootTable::find(uint64_t root, uint64_t hash) {
  if (size_ == 0) return nullptr;
  for (size_t i = static_cast<size_t>(hash) & mask_;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.root == root) return &slot.value;
    if (slot.root == 0) return nullptr;
  }
}

void RootTable::insert(uint64_t root, uint64_t hash, uint64_t value) {
  if ((size_ + 1) * 4 > slots_.size() * 3) grow();
  place(root, hash, value);
  ++size_;
}

void RootTable::place(uint64_t root, uint64_t hash, uint64_t value) {
  size_t i = static_cast<size_t>(hash) & mask_;
  while (slots_[i].root != 0) i = (i + 1) & mask_;
  slots_[i] = Slot{root, value};
}

void RootTable::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, Slot{0, 0});
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.root != 0) place(slot.root, hashOf(slot.root), slot.value);
  }
}

void RootTable::erase(uint64_t* slotValue) {
  Slot* slot = reinterpret_cast<Slot*>(reinterpret_cast<char*>(slotValue) - offsetof(Slot, value));
  size_t hole = static_cast<size_t>(slot - slots_.data());
  // Backward-shift deletion: later entries of the probe run move into the hole when their home slot allows it,
  // so lookups never need tombstones and a table that churns stays as fast as a fresh one.
  for (size_t next = (hole + 1) & mask_;; next = (next + 1) & mask_) {
    const Slot& candidate = slots_[next];
    if (candidate.root == 0) break;
    const size_t home = static_cast<size_t>(hashOf(candidate.root)) & mask_;
    const bool staysPut = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
    if (staysPut) continue;
    slots_[hole] = candidate;
    hole = next;
  }
  slots_[hole] = Slot{0, 0};
  --size_;
}

size_t RootTable::clear() {
  const size_t dropped = size_;
  if (size_ > 0) std::memset(static_cast<void*>(slots_.data()), 0, slots_.size() * sizeof(Slot));
  size_ = 0;
  return dropped;
}

uint64_t* RootTracker::find(uint64_t root, uint64_t hash, RootTable*& table) {
  // Newest first: most roots complete within moments of being created.
  for (int age = 0; age < kBuckets; ++age) {
    RootTable& candidate = tables_[(newest_ + kBuckets - age) % kBuckets];
    if (uint64_t* value = candidate.find(root, hash)) {
      table = &candidate;
      return value;
    }
  }
  return nullptr;
}

XorResult RootTracker::settle(RootTable& table, uint64_t* existing, uint64_t value) {
  *existing ^= value;
  if (*existing != 0) return XorResult::kPending;
  table.erase(existing);
  return XorResult::kComplete;
}

XorResult RootTracker::create(uint64_t root, uint64_t value) {
  const uint64_t hash = RootTable::hashOf(root);
  RootTable* table;
  if (uint64_t* existing = find(root, hash, table)) return settle(*table, existing, value);
  tables_[newest_].insert(root, hash, value);
  return XorResult::kPending;
}

XorResult RootTracker::apply(uint64_t root, uint64_t value) {
  RootTable* table;
  uint64_t* existing = find(root, RootTable::hashOf(root), table);
  return existing == nullptr ? XorResult::kUnknown : settle(*table, existing, value);
}

bool RootTracker::fail(uint64_t root) {
  RootTable* table;
  uint64_t* existing = find(root, RootTable::hashOf(root), table);
  if (existing == nullptr) return false;
  table->erase(existing);
  return true;
}

size_t RootTracker::rotate() {
  newest_ = (newest_ + 1) % kBuckets;
  // The table after the newest in rotation order is the oldest: it becomes the new newest, emptied.
  return tables_[newest_].clear();
}

size_t RootTracker::size() const {
  size_t n = 0;
  for (const RootTable& table : tables_) n += table.size();
  return n;
}

}  // namespace egret
