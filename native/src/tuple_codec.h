// Reading the data messages of PROTOCOL.md §3 without copying: views into the frame's payload.
#pragma once

#include <vector>

#include "wire.h"

namespace egret {

/** A HeronTupleSet: the stream and the range of its tuples; tuples are read one by one with TupleReader. */
struct TupleSetView {
  bool hasData = false;
  Span streamId;
  Span componentName;
  /** The HeronDataTupleSet's bytes (its stream field included; TupleReader skips it). */
  Span dataSet;
  bool hasControl = false;
  Span control;
  bool hasSrcTaskId = false;
  int32_t srcTaskId = 0;
};

/**
 * The fields HeronTupleSet (from an instance) and HeronTupleSet2 (between stream managers) share: 1 data, 2
 * control, 3 src_task_id. Read in any field order, unknown fields skipped; false when it does not decode.
 */
struct SetParts {
  bool hasData = false;
  Span data;
  bool hasControl = false;
  Span control;
  bool hasSrcTaskId = false;
  int32_t srcTaskId = 0;
};
bool decodeSetParts(Span payload, SetParts& out);

/** Finds the parts of a HeronTupleSet, in any field order. False when it does not decode. */
bool decodeTupleSet(Span payload, TupleSetView& out);

/** Walks the `tuples` of a HeronDataTupleSet, each one an encoded HeronDataTuple. */
class TupleReader {
 public:
  explicit TupleReader(Span dataSet) : reader_(dataSet) {}
  /** The next tuple's bytes; false at the end or on malformed input (then failed() is true). */
  bool next(Span& tuple);
  bool failed() const { return failed_; }

 private:
  WireReader reader_;
  bool failed_ = false;
};

/**
 * One HeronDataTuple. Roots and the key's position are kept for acking (issue 6: the SM rewrites the key of each
 * routed copy and XORs per root); values and destinations drive routing. The vectors are reused tuple after tuple,
 * so reading allocates only while they grow to the widest tuple seen.
 */
struct RootIdView {
  int32_t taskId = 0;
  uint64_t key = 0;
};

/** Reads a RootId; false when it does not decode or lacks `taskid` or `key` (both required). */
bool decodeRootId(Span bytes, RootIdView& out);

struct DataTupleView {
  bool hasKey = false;
  uint64_t key = 0;
  /** Offset of the key's 8 bytes within the tuple's bytes. */
  size_t keyOffset = 0;
  std::vector<RootIdView> roots;
  std::vector<Span> values;
  std::vector<int32_t> destTaskIds;
};

/**
 * Reads one HeronDataTuple, as strictly as a proto2 decoder would: a known field with the wrong wire type or a
 * RootId without its required fields is malformed, since the receiving instance would fail to decode it. Unknown
 * fields are skipped. False when it does not decode.
 */
bool decodeDataTuple(Span tuple, DataTupleView& out);

/** A TupleStreamMessage from a peer stream manager: `set` is forwarded without being read. */
struct TupleStreamView {
  int32_t taskId = 0;
  int32_t srcTaskId = 0;
  int32_t numTuples = 0;
  Span set;
};

/** Reads a TupleStreamMessage; false when it does not decode or lacks a required field. */
bool decodeTupleStream(Span payload, TupleStreamView& out);

}  // namespace egret
