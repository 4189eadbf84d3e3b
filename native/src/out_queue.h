// A connection's outgoing bytes: a FIFO of blocks written with one gathered send per call, never blocking.
#pragma once

#include <vector>

#include "buffer.h"

namespace egret {

class OutQueue {
 public:
  explicit OutQueue(BufferPool& pool) : pool_(pool) {}
  ~OutQueue() { clear(); }
  OutQueue(const OutQueue&) = delete;
  OutQueue& operator=(const OutQueue&) = delete;

  /**
   * Takes a filled block (a drained batch): queued as is when the queue is empty (the common case), so its bytes
   * are not copied again; copied into the tail block when there is a backlog and it fits.
   */
  void push(Buf* buf);
  /** `bytes` of contiguous room at the tail, to fill then commit(); reuses the tail block's room when it fits. */
  uint8_t* reserve(size_t bytes);
  void commit(size_t bytes);

  enum class WriteResult { kDrained, kBlocked, kFailed };
  /** Sends what the socket takes (MSG_NOSIGNAL). kFailed leaves the errno in `error`; `written` counts bytes sent. */
  WriteResult writeTo(int fd, size_t& written, int& error);

  size_t queuedBytes() const { return queued_; }
  bool empty() const { return queued_ == 0; }
  /** Drops everything queued, returning the blocks to the pool. */
  void clear();

 private:
  Buf* at(size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  void pushBack(Buf* buf);
  void popFront();

  BufferPool& pool_;
  // A ring rather than a deque: after warming up, queueing allocates nothing.
  std::vector<Buf*> ring_ = std::vector<Buf*>(16, nullptr);
  size_t head_ = 0;
  size_t count_ = 0;
  size_t queued_ = 0;
  size_t reserved_ = 0;
};

}  // namespace egret
