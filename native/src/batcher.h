// Open batches (PROTOCOL.md §5): one per (destination task, source task, stream), sent when full or when drained
// (at the end of the loop's turn, no sooner than the drain interval after the last drain), oldest first. A tuple's
// bytes are copied once, into its batch's block, which then travels to the destination connection's queue as is.
#pragma once

#include <memory>
#include <vector>

#include "buffer.h"
#include "routing.h"
#include "wire.h"

namespace egret {

struct Batch {
  uint32_t slot = 0;
  int32_t srcTaskId = 0;
  const StreamRoute* route = nullptr;
  /** Null while empty; otherwise [tuplesStart, end) holds the encoded `tuples` entries of a HeronDataTupleSet2. */
  Buf* buf = nullptr;
  size_t tuplesStart = 0;
  uint32_t tuples = 0;
  /** Non-empty batches form a list from the oldest first tuple to the newest. */
  Batch* older = nullptr;
  Batch* newer = nullptr;
};

/** Where full or drained batches go; it takes `batch.buf` (leaving it null) or releases it to the pool. */
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  virtual void sendBatch(Batch& batch) = 0;
};

class Batcher {
 public:
  Batcher(BufferPool& pool, size_t maxBytes, BatchSink& sink) : pool_(pool), maxBytes_(maxBytes), sink_(sink) {}
  ~Batcher();
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  /** Bytes kept in front of the tuples for the frame header written when the batch is sent. */
  static size_t headerReserve(const StreamRoute& route);

  /** The batch for a destination slot, source task and stream, created on first use. */
  Batch* find(uint32_t slot, int32_t srcTaskId, const StreamRoute* route);

  /** Appends one encoded HeronDataTuple; sends the batch when it reaches the size limit. */
  void append(Batch* batch, Span tuple) {
    copyIn(batch, tuple);
    sendIfFull(batch);
  }

  /** The same, with the copy's 8 key bytes (at `keyOffset` in the tuple) replaced by `key` (acking). */
  void appendKeyed(Batch* batch, Span tuple, size_t keyOffset, uint64_t key) {
    uint8_t* copy = copyIn(batch, tuple);
    writeFixed64(copy + keyOffset, key);
    sendIfFull(batch);
  }

  /** Appends bytes already encoded as fields of the batch's set (a control batch's AckTuple entries). */
  void appendEntry(Batch* batch, const uint8_t* bytes, size_t size) {
    if (batch->buf == nullptr) open(batch);
    Buf* buf = batch->buf;
    if (buf->room() < size) pool_.grow(buf, buf->end + size);
    std::memcpy(buf->data + buf->end, bytes, size);
    buf->end += size;
    ++batch->tuples;
    sendIfFull(batch);
  }

  /** Sends one batch now. */
  void flush(Batch* batch);
  /** Sends every non-empty batch, oldest first. */
  void drain();
  bool hasOpen() const { return oldest_ != nullptr; }
  /** Forgets every batch (after drain(): a new routing table renumbers slots and streams). */
  void reset(size_t slots);

 private:
  /** Copies a tuple behind its `tuples` tag and length; returns where its bytes now start. */
  uint8_t* copyIn(Batch* batch, Span tuple) {
    if (batch->buf == nullptr) open(batch);
    Buf* buf = batch->buf;
    const size_t need = 1 + varintSize(tuple.size) + tuple.size;
    if (buf->room() < need) pool_.grow(buf, buf->end + need);
    uint8_t* p = buf->data + buf->end;
    *p++ = 0x12;  // HeronDataTupleSet2.tuples, length-delimited
    p = writeVarint(p, tuple.size);
    std::memcpy(p, tuple.data, tuple.size);
    buf->end = static_cast<size_t>(p - buf->data) + tuple.size;
    ++batch->tuples;
    return p;
  }
  void sendIfFull(Batch* batch) {
    if (batch->buf->end - batch->tuplesStart >= maxBytes_) flush(batch);
  }
  void open(Batch* batch);
  void unlink(Batch* batch);

  BufferPool& pool_;
  const size_t maxBytes_;
  BatchSink& sink_;
  std::vector<std::vector<std::unique_ptr<Batch>>> bySlot_;
  Batch* oldest_ = nullptr;
  Batch* newest_ = nullptr;
};

/**
 * Writes the frame header in front of a batch's tuples and moves buf->begin to it: a HeronTupleSet2 frame for a
 * local instance, or a TupleStreamMessage carrying that set for a peer stream manager. A control batch's set
 * carries its entries as `control` (and its TupleStreamMessage says 0 tuples: counters count data tuples).
 */
void frameBatch(Batch& batch, int32_t destTaskId, bool toPeer);

}  // namespace egret
