// The message types the data path tells apart (PROTOCOL.md §2–3). Everything else on a connection is either a
// control frame for JS or a reason to close it.
#pragma once

#include "wire.h"

namespace egret {

enum class MessageType {
  kHeronTupleSet,
  kHeronTupleSet2,
  kTupleStreamMessage,
  kRegisterInstanceRequest,
  kStrMgrHelloRequest,
  kStrMgrHelloResponse,
  kStartBackPressure,
  kStopBackPressure,
  kUnknown,
};

constexpr char kHeronTupleSetType[] = "heron.proto.system.HeronTupleSet";
constexpr char kHeronTupleSet2Type[] = "heron.proto.system.HeronTupleSet2";
constexpr char kTupleStreamMessageType[] = "heron.proto.stmgr.TupleStreamMessage";
constexpr char kStartBackPressureType[] = "heron.proto.stmgr.StartBackPressureMessage";
constexpr char kStopBackPressureType[] = "heron.proto.stmgr.StopBackPressureMessage";

template <size_t N>
constexpr size_t literalBytes(const char (&)[N]) {
  return N - 1;
}

MessageType classifyMessage(Span type);

}  // namespace egret
