// What JS asks of the data thread: queued under a mutex, applied in order on the data thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "frame.h"
#include "routing.h"
#include "stats.h"

namespace egret {

/** A stats() call waiting on the JS thread for the data thread's snapshot. */
struct StatsRequest {
  std::mutex mutex;
  std::condition_variable ready;
  bool done = false;
  StatsSnapshot snapshot;
};

struct Command {
  enum class Kind { kSetRouting, kAttachTask, kAttachPeer, kSetPeerHello, kSend, kCloseConnection, kStats, kStop };
  Kind kind = Kind::kStop;
  uint32_t connection = 0;
  int32_t taskId = 0;
  /** The stmgr id of kAttachPeer, the reason of kCloseConnection. */
  std::string text;
  std::string messageType;
  std::vector<uint8_t> payload;
  bool hasRequestId = false;
  uint8_t requestId[kRequestIdBytes] = {};
  uint32_t intervalMs = 0;
  /** kSetRouting: built on the JS thread, so a bad plan fails the call that brought it. */
  std::unique_ptr<RoutingTable> routing;
  std::vector<PeerSpec> peers;
  std::shared_ptr<StatsRequest> stats;
};

}  // namespace egret
