#include "message_types.h"

namespace egret {

namespace {
struct Known {
  const char* name;
  size_t bytes;
  MessageType type;
};

#define EGRET_KNOWN(name, type) Known{name, sizeof(name) - 1, type}
const Known kKnown[] = {
    // Data first: they are the ones looked up thousands of times a second.
    EGRET_KNOWN(kHeronTupleSetType, MessageType::kHeronTupleSet),
    EGRET_KNOWN(kTupleStreamMessageType, MessageType::kTupleStreamMessage),
    EGRET_KNOWN(kHeronTupleSet2Type, MessageType::kHeronTupleSet2),
    EGRET_KNOWN("heron.proto.stmgr.RegisterInstanceRequest", MessageType::kRegisterInstanceRequest),
    EGRET_KNOWN("heron.proto.stmgr.StrMgrHelloRequest", MessageType::kStrMgrHelloRequest),
    EGRET_KNOWN("heron.proto.stmgr.StrMgrHelloResponse", MessageType::kStrMgrHelloResponse),
    EGRET_KNOWN(kStartBackPressureType, MessageType::kStartBackPressure),
    EGRET_KNOWN(kStopBackPressureType, MessageType::kStopBackPressure),
};
#undef EGRET_KNOWN
}  // namespace

MessageType classifyMessage(Span type) {
  for (const Known& known : kKnown) {
    if (type.equals(known.name, known.bytes)) return known.type;
  }
  return MessageType::kUnknown;
}

}  // namespace egret
