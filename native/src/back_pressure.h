// Back pressure (PROTOCOL.md §8): which connections are causes, whether this stream manager announces, which
// peers announce, and the time spent in each state. Owned and changed by the data thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace egret {

class Connection;

struct BackPressureState {
  size_t highBytes = 16 * 1024 * 1024;
  size_t lowBytes = 8 * 1024 * 1024;
  /** topology.droptuples.upon.backpressure: drop what would go over the high water mark instead. */
  bool dropMode = false;

  /** Connections whose queue passed the high water mark and has not yet fallen to the low one. */
  std::vector<Connection*> causes;
  bool announcing = false;
  /** The message id of the current announcement: its stop repeats it. */
  std::string messageId;
  int64_t announcingSinceUs = 0;
  /** Time spent announcing, in finished announcements; the current one is added when asked. */
  int64_t initiatedUs = 0;
  /** The same per cause, by task (instances) and by stream manager id (peers), finished causes only. */
  std::unordered_map<int32_t, int64_t> initiatedByTaskUs;
  std::unordered_map<std::string, int64_t> initiatedByPeerUs;

  struct Announcer {
    /** The incoming connection the start came on: when it closes, the announcement ends with it. */
    uint32_t connection = 0;
    int64_t sinceUs = 0;
    int64_t sinceEpochMs = 0;
    std::string messageId;
  };
  std::map<std::string, Announcer> announcers;
  int64_t othersSinceUs = 0;
  int64_t pausedByOthersUs = 0;

  /** Local spout connections are not read while this holds: announcing, or a peer announces. */
  bool spoutsHeld = false;
};

}  // namespace egret
