// What each kind of connection may send (PROTOCOL.md §2), and the frames the data path handles itself.
#include "engine.h"
#include "message_types.h"

namespace egret {

namespace {

/** A message type as it may appear in a log line: bytes from a bad peer are escaped, not trusted. */
std::string printable(Span type) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < type.size && i < 80; ++i) {
    const uint8_t byte = type.data[i];
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  if (type.size > 80) out += "...";
  return out;
}

bool isControl(ConnectionKind kind, MessageType type) {
  switch (kind) {
    case ConnectionKind::kInstance:
      return type == MessageType::kRegisterInstanceRequest;
    case ConnectionKind::kPeerIn:
      return type == MessageType::kStrMgrHelloRequest;
    case ConnectionKind::kPeerOut:
      return type == MessageType::kStrMgrHelloResponse;
  }
  return false;
}

}  // namespace

void Engine::handleFrame(Connection& c, const FrameView& frame) {
  const MessageType type = classifyMessage(frame.type);
  if (c.kind == ConnectionKind::kInstance && type == MessageType::kHeronTupleSet) {
    onInstanceData(c, frame.payload);
  } else if (c.kind == ConnectionKind::kPeerIn && type == MessageType::kTupleStreamMessage) {
    onPeerData(c, frame.payload);
  } else if (c.kind == ConnectionKind::kPeerIn && (type == MessageType::kStartBackPressure || type == MessageType::kStopBackPressure)) {
    onPeerBackPressure(c, frame.payload, type == MessageType::kStartBackPressure);
  } else if (isControl(c.kind, type)) {
    forwardControl(c, frame);
  } else {
    c.counters.framesDropped++;
    closeConnection(c, std::string("unexpected message type '") + printable(frame.type) + "' on " + connectionKindName(c.kind) + " connection " + std::to_string(c.id));
  }
}

void Engine::forwardControl(Connection& c, const FrameView& frame) {
  auto event = std::make_unique<Event>();
  event->kind = Event::Kind::kControl;
  event->connection = infoOf(c);
  event->messageType.assign(reinterpret_cast<const char*>(frame.type.data), frame.type.size);
  std::memcpy(event->requestId, frame.requestId, kRequestIdBytes);
  event->payload.assign(frame.payload.data, frame.payload.data + frame.payload.size);
  emit(std::move(event));
  if (!c.attached) pause(c);
}

void Engine::onPeerData(Connection& c, Span payload) {
  TupleStreamView message;
  if (!decodeTupleStream(payload, message)) {
    c.counters.framesDropped++;
    closeConnection(c, "malformed frame: TupleStreamMessage payload does not decode");
    return;
  }
  c.counters.batchesIn++;
  c.counters.tuplesIn += static_cast<uint64_t>(message.numTuples);
  if (!c.attached) {
    c.counters.framesDropped++;
    drop(kDropNotAttached, static_cast<uint64_t>(message.numTuples));
    warn("unattached:" + std::to_string(c.id), "peer connection " + std::to_string(c.id) + " sent tuples before its hello was accepted; dropped");
    return;
  }
  // Under ATMOST_ONCE the set is the HeronTupleSet2 the instance reads, forwarded unread. Under acking it may be
  // control for this stream manager's spouts instead (PROTOCOL.md §7), so it is read first.
  Span data = message.set;
  TupleSet2View set;
  std::vector<uint8_t> dataOnly;
  if (acking_) {
    if (!decodeTupleSet2(message.set, set)) {
      c.counters.framesDropped++;
      closeConnection(c, "malformed frame: the HeronTupleSet2 of a TupleStreamMessage does not decode");
      return;
    }
    if (!set.hasData) {
      if (set.hasControl) onPeerControl(c, set.control);
      return;
    }
    // Only a foreign stream manager mixes both in one set; ours send data and control in separate batches.
    if (set.hasControl) {
      dataOnly = encodeDataOnlySet(set.data, set.srcTaskId);
      data = Span{dataOnly.data(), dataOnly.size()};
    }
  }
  forwardPeerData(c, message, data);
  if (acking_ && set.hasControl && !c.closed) onPeerControl(c, set.control);
}

void Engine::forwardPeerData(Connection& c, const TupleStreamView& message, Span set) {
  const int32_t slot = routing_ ? routing_->slotOf(message.taskId) : -1;
  Connection* destination = slot >= 0 && routing_->slots()[slot].local ? routing_->slots()[slot].instance : nullptr;
  if (destination == nullptr) {
    drop(kDropDestinationUnreachable, static_cast<uint64_t>(message.numTuples));
    warn("unreachable:" + std::to_string(message.taskId), "tuples from peer " + c.stmgrId + " for task " + std::to_string(message.taskId) +
                                                              (slot < 0 ? ", which is not in the physical plan" : ", which is not connected here") + ", dropped");
    return;
  }
  if (bp_.dropMode && destination->out.queuedBytes() >= bp_.highBytes) {
    drop(kDropBackPressure, static_cast<uint64_t>(message.numTuples));
    return;
  }
  // One copy into the instance's queue, behind a new header.
  queueFrame(*destination, kHeronTupleSet2Type, literalBytes(kHeronTupleSet2Type), nullptr, set.data, set.size);
  destination->counters.batchesOut++;
  destination->counters.tuplesOut += static_cast<uint64_t>(message.numTuples);
  checkQueue(*destination);
}

void Engine::queueFrame(Connection& c, const char* type, size_t typeBytes, const uint8_t* requestId, const uint8_t* payload, size_t payloadBytes) {
  const size_t total = frameHeaderBytes(typeBytes) + payloadBytes;
  uint8_t* p = c.out.reserve(total);
  p = writeFrameHeader(p, type, typeBytes, requestId, payloadBytes);
  if (payloadBytes > 0) std::memcpy(p, payload, payloadBytes);
  c.out.commit(total);
  markDirty(c);
}

}  // namespace egret
