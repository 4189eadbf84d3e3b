// Acking (PROTOCOL.md §7), on the data thread: XOR trackers of the local spouts, control tuples from instances
// and peers, and the control batches that carry them on. Nothing here runs under ATMOST_ONCE.
#include "engine.h"

namespace egret {

namespace {
constexpr int64_t kMinRotationUs = 1000;
}  // namespace

void Engine::settleAnchored(uint32_t sourceSlot) {
  const TaskSlot& source = routing_->slots()[sourceSlot];
  for (const RootIdView& root : tuple_.roots) {
    if (source.spout && root.taskId == source.taskId) {
      // The spout's own root: its tree starts here with the keys of the copies just routed.
      if (copies_ == 0) {
        // Nothing subscribes: the tree is complete as it is.
        queueControl(sourceSlot, source.taskId, kControlAcks, root, 0);
        ++rootsAcked_;
      } else if (source.tracker != nullptr && source.tracker->create(root.key, copyKeys_) == XorResult::kComplete) {
        queueControl(sourceSlot, source.taskId, kControlAcks, root, 0);
        ++rootsAcked_;
      }
      continue;
    }
    // A bolt's anchored emit adds edges to each root's tree; one emit per root carries the XOR of all its copies'
    // keys, which the spout's XOR cannot tell from one emit per copy.
    if (copies_ > 0) applyControl(kControlEmits, root, copyKeys_, source.taskId, false);
  }
}

void Engine::onInstanceControl(Connection& c, const TupleSetView& set) {
  if (!acking_) {
    c.counters.framesDropped++;
    warn("control:" + std::to_string(c.id), "instance connection " + std::to_string(c.id) + " sent control tuples (acks), which ATMOST_ONCE does not handle; dropped");
    return;
  }
  if (!c.attached || set.srcTaskId != c.taskId || !routing_) {
    c.counters.framesDropped++;
    warn("control-source:" + std::to_string(c.id), "instance connection " + std::to_string(c.id) + " sent control tuples " +
                                                       (!c.attached ? "before its registration was accepted" : !routing_ ? "before the physical plan arrived" : "as task " + std::to_string(set.srcTaskId)) +
                                                       "; dropped");
    return;
  }
  for (ControlField field : {kControlEmits, kControlAcks, kControlFails}) {
    ControlReader reader(set.control, field);
    while (reader.next(ack_)) {
      c.counters.controlIn++;
      for (const RootIdView& root : ack_.roots) applyControl(field, root, ack_.ackedTuple, c.taskId, false);
    }
    if (reader.failed()) {
      c.counters.framesDropped++;
      closeConnection(c, "malformed frame: the control tuples of a HeronTupleSet do not decode");
      return;
    }
  }
  armDrain();
}

bool Engine::onPeerControl(Connection& c, Span control) {
  for (ControlField field : {kControlEmits, kControlAcks, kControlFails}) {
    ControlReader reader(control, field);
    while (reader.next(ack_)) {
      c.counters.controlIn++;
      for (const RootIdView& root : ack_.roots) applyControl(field, root, ack_.ackedTuple, 0, true);
    }
    if (reader.failed()) {
      c.counters.framesDropped++;
      closeConnection(c, "malformed frame: the control tuples of a TupleStreamMessage do not decode");
      return false;
    }
  }
  armDrain();
  return true;
}

void Engine::applyControl(ControlField field, const RootIdView& root, uint64_t value, int32_t srcTaskId, bool fromPeer) {
  const int32_t slot = routing_ ? routing_->slotOf(root.taskId) : -1;
  if (slot < 0) {
    drop(kDropUnknownRoot, 1);
    return;
  }
  const TaskSlot& target = routing_->slots()[slot];
  if (!target.local) {
    // A peer's control is for this stream manager's spouts only: passing it on could send it round in circles.
    if (fromPeer) {
      drop(kDropUnknownRoot, 1);
    } else {
      queueControl(static_cast<uint32_t>(slot), srcTaskId, field, root, value);
    }
    return;
  }
  if (target.tracker == nullptr) {
    drop(kDropUnknownRoot, 1);
    return;
  }
  // A root the tracker does not know has completed, failed or expired already: its late news changes nothing.
  if (field == kControlFails) {
    if (target.tracker->fail(root.key)) {
      queueControl(static_cast<uint32_t>(slot), target.taskId, kControlFails, root, 0);
      ++rootsFailed_;
    }
  } else if (target.tracker->apply(root.key, value) == XorResult::kComplete) {
    queueControl(static_cast<uint32_t>(slot), target.taskId, kControlAcks, root, 0);
    ++rootsAcked_;
  }
}

void Engine::queueControl(uint32_t slot, int32_t srcTaskId, ControlField field, const RootIdView& root, uint64_t value) {
  // One control batch per (root task, source task), drained with the data batches oldest first: what one source
  // sends about one root (its emits, then its acks) arrives in the order it was sent.
  Batch* batch = destinationOf(routing_->slots()[slot]) == nullptr ? nullptr : batcher_.find(slot, srcTaskId, &controlRoute_);
  if (batch == nullptr) {
    drop(kDropDestinationUnreachable, 1);
    return;
  }
  uint8_t entry[kMaxControlEntryBytes];
  batcher_.appendEntry(batch, entry, encodeControlEntry(entry, field, root.taskId, root.key, value));
}

void Engine::syncTrackers() {
  acking_ = routing_ && routing_->atLeastOnce();
  if (!acking_) {
    trackers_.clear();
    nextRotateUs_ = 0;
    return;
  }
  // Trackers follow tasks, not slots: a new plan renumbers slots but must not forget pending roots.
  std::unordered_map<int32_t, std::unique_ptr<RootTracker>> kept;
  for (TaskSlot& slot : routing_->slots()) {
    slot.tracker = nullptr;
    if (!slot.local || !slot.spout) continue;
    auto it = trackers_.find(slot.taskId);
    std::unique_ptr<RootTracker> tracker = it != trackers_.end() ? std::move(it->second) : std::make_unique<RootTracker>();
    slot.tracker = tracker.get();
    kept.emplace(slot.taskId, std::move(tracker));
  }
  trackers_.swap(kept);
  if (routing_->messageTimeoutMs() == 0) {
    // Message timeouts are off: a root is kept until its tree ends, as its spout waits for it.
    rotateEveryUs_ = 0;
    nextRotateUs_ = 0;
    return;
  }
  // Rotating every half timeout keeps a root between 1 and 1.5 timeouts (RootTracker).
  const int64_t every = std::max<int64_t>(kMinRotationUs, routing_->messageTimeoutMs() * 1000 / 2);
  if (every != rotateEveryUs_ || nextRotateUs_ == 0) {
    rotateEveryUs_ = every;
    nextRotateUs_ = nowUs_ + every;
  }
}

void Engine::rotateTrackers() {
  for (auto& entry : trackers_) rootsExpired_ += entry.second->rotate();
  nextRotateUs_ = nowUs_ + rotateEveryUs_;
}

}  // namespace egret
