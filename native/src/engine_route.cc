// The per-tuple path (PROTOCOL.md §3–5): a HeronTupleSet from an instance, routed tuple by tuple into batches.
// Everything here runs for every tuple: no allocation, no syscall, one copy of the tuple's bytes.
#include "engine.h"
#include "fnv.h"

namespace egret {

namespace {

uint64_t countTuples(Span dataSet) {
  TupleReader reader(dataSet);
  Span tuple;
  uint64_t n = 0;
  while (reader.next(tuple)) ++n;
  return n;
}

}  // namespace

void Engine::onInstanceData(Connection& c, Span payload) {
  TupleSetView set;
  if (!decodeTupleSet(payload, set)) {
    c.counters.framesDropped++;
    closeConnection(c, "malformed frame: HeronTupleSet payload does not decode");
    return;
  }
  c.counters.batchesIn++;
  // A frame's data before its control (PROTOCOL.md §7): the emits of an edge reach the XOR before its ack.
  if (set.hasData) routeData(c, set);
  if (set.hasControl && !c.closed) onInstanceControl(c, set);
}

void Engine::routeData(Connection& c, const TupleSetView& set) {
  DropReason reason = kDropReasonCount;
  std::string why;
  int32_t sourceSlot = -1;
  StreamRoute* route = nullptr;
  if (!c.attached) {
    reason = kDropNotAttached;
    why = "sent tuples before its registration was accepted";
  } else if (set.srcTaskId != c.taskId) {
    reason = kDropWrongSource;
    why = "sent tuples as task " + std::to_string(set.srcTaskId) + " but registered as task " + std::to_string(c.taskId);
  } else if (!routing_) {
    reason = kDropNoRouting;
    why = "sent tuples before the physical plan arrived";
  } else if ((sourceSlot = routing_->slotOf(c.taskId)) < 0) {
    reason = kDropWrongSource;
    why = "is task " + std::to_string(c.taskId) + ", which the physical plan does not have";
  } else if ((route = routing_->findStream(set.componentName, set.streamId)) == nullptr || route->component != routing_->slots()[sourceSlot].component) {
    reason = kDropUnknownStream;
    why = "sent tuples on stream " + std::string(reinterpret_cast<const char*>(set.componentName.data), set.componentName.size) + "/" +
          std::string(reinterpret_cast<const char*>(set.streamId.data), set.streamId.size) + ", which its component does not declare";
  }
  if (reason != kDropReasonCount) {
    const uint64_t tuples = countTuples(set.dataSet);
    c.counters.tuplesIn += tuples;
    c.counters.framesDropped++;
    drop(reason, tuples);
    warn(std::string(dropReasonName(reason)) + ":" + std::to_string(c.id), "instance connection " + std::to_string(c.id) + " " + why + "; dropped");
    return;
  }

  const TaskSlot& source = routing_->slots()[sourceSlot];
  frameRoute_ = route;
  frameSource_ = set.srcTaskId;
  ++frameStamp_;
  TupleReader reader(set.dataSet);
  Span tuple;
  while (reader.next(tuple)) {
    if (!decodeDataTuple(tuple, tuple_)) {
      c.counters.framesDropped++;
      closeConnection(c, "malformed frame: a HeronDataTuple of stream " + route->componentName + "/" + route->streamName + " does not decode");
      return;
    }
    c.counters.tuplesIn++;
    if (acking_ && !tuple_.roots.empty()) {
      copies_ = 0;
      copyKeys_ = 0;
      routeTuple<true>(*route, source, tuple);
      settleAnchored(static_cast<uint32_t>(sourceSlot));
    } else {
      // ATMOST_ONCE, and untracked tuples under acking: forwarded as written, key included.
      routeTuple<false>(*route, source, tuple);
    }
  }
  if (reader.failed()) {
    c.counters.framesDropped++;
    closeConnection(c, "malformed frame: the tuples of a HeronDataTupleSet do not decode");
    return;
  }
  armDrain();
}

template <bool kKeyed>
void Engine::routeTuple(StreamRoute& route, const TaskSlot& source, Span tuple) {
  for (Subscriber& sub : route.subscribers) {
    const size_t n = sub.slots.size();
    if (n == 0) continue;
    switch (sub.grouping) {
      case Grouping::kShuffle:
      case Grouping::kNone: {
        uint32_t& next = sub.nextBySource[source.indexInComponent];
        deliver<kKeyed>(sub.slots[next], tuple);
        if (++next == n) next = 0;
        break;
      }
      case Grouping::kFields:
        if (tuple_.values.size() < sub.minValues) {
          drop(kDropMissingFields, 1);
          break;
        }
        deliver<kKeyed>(sub.slots[fieldsHash(tuple_.values, sub.fieldIndices) % n], tuple);
        break;
      case Grouping::kAll:
        for (uint32_t slot : sub.slots) deliver<kKeyed>(slot, tuple);
        break;
      case Grouping::kGlobal:
        deliver<kKeyed>(sub.slots[0], tuple);
        break;
      case Grouping::kDirect:
      case Grouping::kCustom:
        break;  // below, from the tuple's own destinations
    }
  }
  for (int32_t taskId : tuple_.destTaskIds) {
    const int32_t slot = routing_->slotOf(taskId);
    bool delivered = false;
    if (slot >= 0) {
      const uint32_t component = routing_->slots()[slot].component;
      for (uint32_t index : route.directSubscribers) {
        if (route.subscribers[index].component == component) {
          deliver<kKeyed>(static_cast<uint32_t>(slot), tuple);
          delivered = true;
          break;
        }
      }
    }
    if (!delivered) drop(kDropBadDestination, 1);
  }
}

template <bool kKeyed>
void Engine::deliver(uint32_t slot, Span tuple) {
  Batch* batch;
  if (frameBatchStamps_[slot] == frameStamp_) {
    batch = frameBatches_[slot];
  } else {
    const Connection* destination = destinationOf(routing_->slots()[slot]);
    batch = destination == nullptr ? nullptr : batcher_.find(slot, frameSource_, frameRoute_);
    frameBatches_[slot] = batch;
    frameBatchStamps_[slot] = frameStamp_;
  }
  if constexpr (kKeyed) {
    // Every copy that routing chose gets a key, delivered or not: a copy lost here leaves its key in the root's
    // XOR, so the root fails by timeout and is replayed rather than acked with an edge missing.
    const uint64_t key = keys_.nextKey();
    copyKeys_ ^= key;
    ++copies_;
    if (batch == nullptr) {
      drop(kDropDestinationUnreachable, 1);
      return;
    }
    batcher_.appendKeyed(batch, tuple, tuple_.keyOffset, key);
  } else {
    if (batch == nullptr) {
      drop(kDropDestinationUnreachable, 1);
      return;
    }
    batcher_.append(batch, tuple);
  }
  ++tuplesRouted_;
}

void Engine::sendBatch(Batch& batch) {
  Connection* destination = routing_ ? destinationOf(routing_->slots()[batch.slot]) : nullptr;
  if (destination == nullptr) {
    drop(kDropDestinationUnreachable, batch.tuples);
    return;
  }
  // Control batches are never dropped: they are small, and a lost ack or XOR update would cost a whole tree its
  // replay after the message timeout, which adds to the load that caused the back pressure.
  if (bp_.dropMode && !batch.route->control && destination->out.queuedBytes() >= bp_.highBytes) {
    drop(kDropBackPressure, batch.tuples);
    return;
  }
  const TaskSlot& slot = routing_->slots()[batch.slot];
  frameBatch(batch, slot.taskId, !slot.local);
  if (batch.route->control) {
    destination->counters.controlOut += batch.tuples;
  } else {
    destination->counters.batchesOut++;
    destination->counters.tuplesOut += batch.tuples;
  }
  destination->out.push(batch.buf);
  batch.buf = nullptr;
  markDirty(*destination);
  checkQueue(*destination);
}

}  // namespace egret
