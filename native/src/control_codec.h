// The acking and back-pressure messages of PROTOCOL.md §7–8, read and written by hand like the data messages:
// AckTuples inside a HeronControlTupleSet, a HeronTupleSet2 from a peer, Start/StopBackPressureMessage.
#pragma once

#include <string>
#include <vector>

#include "tuple_codec.h"
#include "wire.h"

namespace egret {

/** HeronControlTupleSet's fields, in the order a stream manager applies them (emits before acks, fails last). */
enum ControlField : uint32_t { kControlAcks = 1, kControlFails = 2, kControlEmits = 3 };

/** The longest entry encodeControlEntry writes: tag, length, AckTuple{RootId{taskid, key}, ackedtuple}. */
constexpr size_t kMaxControlEntryBytes = 2 + 2 + 1 + 10 + 1 + 8 + 1 + 8;

/** Writes one `field` entry of a HeronControlTupleSet: AckTuple{roots = [RootId{task, root}], ackedtuple}. */
size_t encodeControlEntry(uint8_t* out, ControlField field, int32_t rootTask, uint64_t root, uint64_t ackedTuple);

/** One AckTuple. `roots` is reused from tuple to tuple, so reading allocates only while it grows. */
struct AckTupleView {
  std::vector<RootIdView> roots;
  uint64_t ackedTuple = 0;
};

/**
 * Walks the entries of one field of a HeronControlTupleSet, decoding each AckTuple as strictly as a proto2 decoder
 * (a wrong wire type, a RootId without taskid or key, or an AckTuple without ackedtuple is malformed).
 */
class ControlReader {
 public:
  ControlReader(Span controlSet, ControlField field) : reader_(controlSet), field_(field) {}
  /** The next AckTuple of the field; false at the end or on malformed input (then failed() is true). */
  bool next(AckTupleView& out);
  bool failed() const { return failed_; }

 private:
  WireReader reader_;
  ControlField field_;
  bool failed_ = false;
};

/** The parts of a HeronTupleSet2 a stream manager needs when it must look inside a peer's set (acking). */
struct TupleSet2View {
  bool hasData = false;
  /** The HeronDataTupleSet2's bytes. */
  Span data;
  bool hasControl = false;
  Span control;
  int32_t srcTaskId = 0;
};

/** Reads a HeronTupleSet2; false when it does not decode or lacks src_task_id. */
bool decodeTupleSet2(Span payload, TupleSet2View& out);

/** HeronTupleSet2{data, src_task_id} alone: the data part of a peer's set that also carried control. */
std::vector<uint8_t> encodeDataOnlySet(Span data, int32_t srcTaskId);

/** A Start- or StopBackPressureMessage (the same fields). */
std::vector<uint8_t> encodeBackPressure(const std::string& topologyName, const std::string& topologyId, const std::string& stmgrId, const std::string& messageId);

/** Reads a Start- or StopBackPressureMessage's message id; false when the payload does not decode. */
bool decodeBackPressure(Span payload, std::string& messageId);

}  // namespace egret
