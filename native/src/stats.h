// Counters of PROTOCOL.md §6, as a snapshot taken on the data thread.
#pragma once

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
  kDropReasonCount,
};

/** The names used in DataPathStats.tuplesDropped. */
const char* dropReasonName(DropReason reason);

struct ConnectionStats {
  ConnectionInfo info;
  ConnectionCounters counters;
  uint64_t queuedBytes = 0;
};

struct StatsSnapshot {
  std::vector<ConnectionStats> connections;
  uint64_t tuplesRouted = 0;
  uint64_t dropped[kDropReasonCount] = {};
};

}  // namespace egret
