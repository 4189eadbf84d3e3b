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
    /** The data thread has finished: the last event it sends after close(). */
    kStopped,
  };
  Kind kind = Kind::kWarning;
  ConnectionInfo connection;
  std::string messageType;
  uint8_t requestId[kRequestIdBytes] = {};
  std::vector<uint8_t> payload;
  /** The reason of kClosed, the message of kWarning. */
  std::string text;
};

/** Receives events on the data thread and carries them to JS in order, without blocking. */
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(std::unique_ptr<Event> event) = 0;
};

}  // namespace egret
