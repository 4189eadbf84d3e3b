// Counters of PROTOCOL.md §6, as a snapshot taken on the data thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "events.h"

namespace egret {

enum DropReason : uint8_t {
  kDropUnknownStream,
  kDropBadDestination,
  kDropDestinationUnreachable,
  kDropNotAttached,
  kDropWrongSource,
  kDropMissingFields,
  kDropNoRouting,
  /** A control tuple for a root whose task is not in the plan, or is not a spout of this stream manager. */
  kDropUnknownRoot,
  /** topology.droptuples.upon.backpressure: the destination's queue was over the high water mark. */
  kDropBackPressure,
  kDropReasonCount,
};

/** The names used in DataPathStats.tuplesDropped. */
const char* dropReasonName(DropReason reason);

struct ConnectionStats {
  ConnectionInfo info;
  ConnectionCounters counters;
  uint64_t queuedBytes = 0;
};

/** A connection that is a cause of back pressure, or a peer announcing it. */
struct BackPressureCauseStats {
  ConnectionInfo info;
  int64_t sinceEpochMs = 0;
  uint64_t queuedBytes = 0;
};

struct AnnouncerStats {
  std::string stmgrId;
  int64_t sinceEpochMs = 0;
};

struct BackPressureStats {
  std::vector<BackPressureCauseStats> causes;
  bool announcing = false;
  std::vector<AnnouncerStats> announcers;
  bool spoutsPaused = false;
  int64_t initiatedMs = 0;
  std::vector<std::pair<int32_t, int64_t>> initiatedMsByTask;
  std::vector<std::pair<std::string, int64_t>> initiatedMsByPeer;
  int64_t pausedByOthersMs = 0;
};

struct AckingStats {
  bool enabled = false;
  uint64_t pendingRoots = 0;
  uint64_t rootsAcked = 0;
  uint64_t rootsFailed = 0;
  uint64_t rootsExpired = 0;
};

struct StatsSnapshot {
  std::vector<ConnectionStats> connections;
  uint64_t tuplesRouted = 0;
  uint64_t dropped[kDropReasonCount] = {};
  BackPressureStats backPressure;
  AckingStats acking;
};

}  // namespace egret
