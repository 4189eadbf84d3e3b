#include "batcher.h"

#include "frame.h"
#include "message_types.h"

namespace egret {

size_t Batcher::headerReserve(const StreamRoute& route) {
  // Frame header with the longer type name, TupleStreamMessage's three int32s and its `set` tag and length,
  // HeronTupleSet2's src_task_id and `data` tag and length, the stream's tag, length and bytes.
  return frameHeaderBytes(literalBytes(kTupleStreamMessageType)) + 3 * 11 + 6 + 11 + 6 + 6 + route.streamIdBytes.size();
}

Batcher::~Batcher() {
  // Unsent batches at teardown have nowhere to go.
  for (auto& batches : bySlot_) {
    for (auto& batch : batches) {
      if (batch->buf != nullptr) pool_.release(batch->buf);
    }
  }
}

Batch* Batcher::find(uint32_t slot, int32_t srcTaskId, const StreamRoute* route) {
  if (slot >= bySlot_.size()) bySlot_.resize(slot + 1);
  auto& batches = bySlot_[slot];
  for (auto& batch : batches) {
    if (batch->srcTaskId == srcTaskId && batch->route == route) return batch.get();
  }
  auto batch = std::make_unique<Batch>();
  batch->slot = slot;
  batch->srcTaskId = srcTaskId;
  batch->route = route;
  batches.push_back(std::move(batch));
  return batches.back().get();
}

void Batcher::open(Batch* batch) {
  const size_t reserve = headerReserve(*batch->route);
  batch->buf = pool_.acquire(reserve + maxBytes_);
  batch->buf->begin = batch->buf->end = reserve;
  batch->tuplesStart = reserve;
  batch->tuples = 0;
  batch->older = newest_;
  batch->newer = nullptr;
  if (newest_ != nullptr) newest_->newer = batch;
  newest_ = batch;
  if (oldest_ == nullptr) oldest_ = batch;
}

void Batcher::unlink(Batch* batch) {
  if (batch->older != nullptr) batch->older->newer = batch->newer;
  if (batch->newer != nullptr) batch->newer->older = batch->older;
  if (oldest_ == batch) oldest_ = batch->newer;
  if (newest_ == batch) newest_ = batch->older;
  batch->older = batch->newer = nullptr;
}

void Batcher::flush(Batch* batch) {
  if (batch->buf == nullptr) return;
  unlink(batch);
  sink_.sendBatch(*batch);
  if (batch->buf != nullptr) pool_.release(batch->buf);
  batch->buf = nullptr;
  batch->tuples = 0;
}

void Batcher::drain() {
  while (oldest_ != nullptr) flush(oldest_);
}

void Batcher::reset(size_t slots) {
  drain();
  bySlot_.clear();
  bySlot_.resize(slots);
}

void frameBatch(Batch& batch, int32_t destTaskId, bool toPeer) {
  Buf& buf = *batch.buf;
  const bool control = batch.route->control;
  const std::string& streamId = batch.route->streamIdBytes;
  const size_t entryBytes = buf.end - batch.tuplesStart;
  const uint64_t src = int32Wire(batch.srcTaskId);
  // Data: HeronDataTupleSet2{stream, tuples...} as field 1; control: the HeronControlTupleSet's entries as field 2.
  const size_t partBytes = control ? entryBytes : 1 + varintSize(streamId.size()) + streamId.size() + entryBytes;
  const size_t setBytes = 1 + varintSize(src) + 1 + varintSize(partBytes) + partBytes;
  const uint64_t numTuples = control ? 0 : batch.tuples;
  size_t payloadBytes = setBytes;
  const uint64_t dest = int32Wire(destTaskId);
  if (toPeer) payloadBytes += 1 + varintSize(dest) + 1 + varintSize(src) + 1 + varintSize(numTuples) + 1 + varintSize(setBytes);
  const char* type = toPeer ? kTupleStreamMessageType : kHeronTupleSet2Type;
  const size_t typeBytes = toPeer ? literalBytes(kTupleStreamMessageType) : literalBytes(kHeronTupleSet2Type);
  const size_t headerBytes = frameHeaderBytes(typeBytes) + payloadBytes - entryBytes;

  // Fields go in any order on the wire; the tuples last lets them stay where append() wrote them.
  buf.begin = batch.tuplesStart - headerBytes;
  uint8_t* p = writeFrameHeader(buf.data + buf.begin, type, typeBytes, nullptr, payloadBytes);
  if (toPeer) {
    p = writeTag(p, 1, kVarint);
    p = writeVarint(p, dest);
    p = writeTag(p, 3, kVarint);
    p = writeVarint(p, src);
    p = writeTag(p, 4, kVarint);
    p = writeVarint(p, numTuples);
    p = writeTag(p, 2, kLengthDelimited);
    p = writeVarint(p, setBytes);
  }
  p = writeTag(p, 3, kVarint);
  p = writeVarint(p, src);
  p = writeTag(p, control ? 2 : 1, kLengthDelimited);
  p = writeVarint(p, partBytes);
  if (!control) writeBytesField(p, 1, streamId.data(), streamId.size());
}

}  // namespace egret
