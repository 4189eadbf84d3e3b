// What the data thread tells JS (DataPathEvent), and how it gets there.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connection.h"
#include "frame.h"

namespace egret {

struct ConnectionInfo {
  uint32_t id = 0;
  ConnectionKind kind = ConnectionKind::kInstance;
  int32_t taskId = -1;
  std::string stmgrId;
};

struct Event {
  enum class Kind {
    kControl,
    kClosed,
    kWarning,
    /** A connection became a cause of back pressure (`start`) or stopped being one. */
    kBackPressure,
    /** A peer (connection.stmgrId) announced back pressure (`start`) or stopped announcing it. */
    kPeerBackPressure,
    /** The data thread has finished: the last event it sends after close(). */
    kStopped,
  };
  Kind kind = Kind::kWarning;
  ConnectionInfo connection;
  std::string messageType;
  uint8_t requestId[kRequestIdBytes] = {};
  std::vector<uint8_t> payload;
  /** The reason of kClosed, the message of kWarning, the message id of kPeerBackPressure. */
  std::string text;
  /** Back pressure events: started or stopped, since when (ms since the epoch), how long (stop), queued bytes. */
  bool start = false;
  int64_t sinceEpochMs = 0;
  int64_t durationMs = 0;
  uint64_t queuedBytes = 0;
};

/** Receives events on the data thread and carries them to JS in order, without blocking. */
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(std::unique_ptr<Event> event) = 0;
};

}  // namespace egret
