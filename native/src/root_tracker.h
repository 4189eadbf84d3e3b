// The XOR state of one local spout task (PROTOCOL.md §7): for every pending root, the XOR of the keys of its
// tuple tree's edges that were emitted but not yet acked. A root is complete when that value returns to 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace egret {

/**
 * Root → XOR value, open addressing with linear probing over 16-byte slots (root 0 marks a free slot: roots are
 * never 0). Capacity is a power of two kept at most 3/4 full; clear() keeps it, so a tracker that has reached its
 * working size inserts and erases without allocating.
 */
class RootTable {
 public:
  /** Where a root's probe starts: computed once per root for all three tables of a tracker. */
  static uint64_t hashOf(uint64_t root);
  /** The value of `root` (whose hashOf is `hash`), or null. Valid until the next insert or erase. */
  uint64_t* find(uint64_t root, uint64_t hash);
  /** Adds a root that find() did not return. */
  void insert(uint64_t root, uint64_t hash, uint64_t value);
  void erase(uint64_t* slotValue);
  /** Forgets every root; returns how many there were. */
  size_t clear();
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t root;
    uint64_t value;
  };
  void place(uint64_t root, uint64_t hash, uint64_t value);
  void grow();

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

/** What applying a key to a pending root did. */
enum class XorResult { kUnknown, kPending, kComplete };

/**
 * One spout task's pending roots in three rotating tables (Heron's RotatingMap): new roots go into the newest;
 * rotate() drops the oldest table's roots, which have then been pending for at least two rotation periods.
 * Rotating every half message timeout thus keeps a root between 1 and 1.5 timeouts.
 */
class RootTracker {
 public:
  static constexpr int kBuckets = 3;

  /**
   * The spout's own tuple was routed: XORs `value` into the root, adding it when new. kComplete only if the keys
   * of a root emitted twice happen to cancel (the root is then removed, as a completed one).
   */
  XorResult create(uint64_t root, uint64_t value);
  /** An emit or an ack: XORs `value` in; a root reaching 0 is removed (kComplete). Unknown roots are ignored. */
  XorResult apply(uint64_t root, uint64_t value);
  /** A fail: true when the root was pending (it is now removed). */
  bool fail(uint64_t root);
  /** Drops the oldest table; returns how many roots expired. */
  size_t rotate();
  size_t size() const;

 private:
  uint64_t* find(uint64_t root, uint64_t hash, RootTable*& table);
  static XorResult settle(RootTable& table, uint64_t* existing, uint64_t value);

  RootTable tables_[kBuckets];
  int newest_ = 0;
};

}  // namespace egret
