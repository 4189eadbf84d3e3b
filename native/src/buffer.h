// Byte blocks for batches and outgoing queues, recycled through a pool so the steady state allocates nothing.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace egret {

/** A malloc'd block; bytes [begin, end) are the live ones. */
struct Buf {
  uint8_t* data = nullptr;
  size_t capacity = 0;
  size_t begin = 0;
  size_t end = 0;

  size_t size() const { return end - begin; }
  size_t room() const { return capacity - end; }
};

/**
 * Hands out blocks of one standard size (the batch size plus headroom); larger requests get a block of their own,
 * freed rather than kept when returned. Keeps at most `maxFree` standard blocks.
 */
class BufferPool {
 public:
  BufferPool(size_t blockBytes, size_t maxFree) : blockBytes_(blockBytes), maxFree_(maxFree) {}
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  /** A block of at least `minBytes`, empty. Aborts when memory is exhausted (nothing sensible remains to do). */
  Buf* acquire(size_t minBytes);
  void release(Buf* buf);
  /** Grows `buf` to hold at least `minBytes`, keeping its contents. */
  void grow(Buf* buf, size_t minBytes);
  size_t blockBytes() const { return blockBytes_; }

 private:
  size_t blockBytes_;
  size_t maxFree_;
  std::vector<Buf*> free_;
};

}  // namespace egret
