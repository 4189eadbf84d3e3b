// The routing table (PROTOCOL.md §4), built from the physical plan the control plane hands over with setRouting.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wire.h"

namespace egret {

class Connection;
class RootTracker;
struct Peer;

enum class Grouping : uint8_t { kShuffle, kFields, kAll, kGlobal, kNone, kDirect, kCustom };

struct SubscriberSpec {
  std::string component;
  Grouping grouping = Grouping::kShuffle;
  std::vector<uint32_t> fieldIndices;
  std::vector<int32_t> tasks;
};

struct StreamSpec {
  std::string component;
  std::string stream;
  std::vector<SubscriberSpec> subscribers;
};

struct TaskSpec {
  int32_t taskId = 0;
  std::string component;
  std::string stmgrId;
};

struct PeerSpec {
  std::string stmgrId;
  std::string host;
  int port = 0;
};

/** What setRouting carries: DataPathRouting, converted on the JS thread. */
struct RoutingSpec {
  std::string stmgrId;
  /** ATLEAST_ONCE: keys, XOR tracking and control tuples (PROTOCOL.md §7); otherwise none of it. */
  bool atLeastOnce = false;
  /** topology.message.timeout.secs, in ms: how long a pending root is kept at least. */
  int64_t messageTimeoutMs = 30000;
  /** topology.droptuples.upon.backpressure. */
  bool dropTuplesUponBackPressure = false;
  std::vector<TaskSpec> tasks;
  std::vector<PeerSpec> peers;
  std::vector<StreamSpec> streams;
};

/** One task of the topology, by dense index; the connection fields are bound by the engine as links come and go. */
struct TaskSlot {
  int32_t taskId = 0;
  uint32_t component = 0;
  /** Position among its component's tasks (ascending ids): indexes per-source-task state such as shuffle cursors. */
  uint32_t indexInComponent = 0;
  bool local = false;
  /** Its component subscribes to no stream: a spout, whose roots a local XOR tracker keeps under acking. */
  bool spout = false;
  std::string stmgrId;
  /** The attached instance of a local task. */
  Connection* instance = nullptr;
  /** The stream manager hosting a remote task, when it is a known peer. */
  Peer* peer = nullptr;
  /** The pending roots of a local spout task under ATLEAST_ONCE. */
  RootTracker* tracker = nullptr;
};

struct Subscriber {
  uint32_t component = 0;
  Grouping grouping = Grouping::kShuffle;
  std::vector<uint32_t> fieldIndices;
  /** A tuple needs this many values for the fields grouping to read them. */
  uint32_t minValues = 0;
  /** Task slots, by ascending task id. */
  std::vector<uint32_t> slots;
  /** Shuffle: the next position per source task (indexInComponent), each starting at random. */
  std::vector<uint32_t> nextBySource;
};

struct StreamRoute {
  /** The pseudo-route of control batches (acks, fails, emits): HeronTupleSet2.control rather than data. */
  bool control = false;
  uint32_t index = 0;
  uint32_t component = 0;
  std::string componentName;
  std::string streamName;
  /** The encoded StreamId, written into every HeronTupleSet2 of this stream. */
  std::string streamIdBytes;
  std::vector<Subscriber> subscribers;
  /** Subscribers with direct or custom grouping, which take their tasks from each tuple's dest_task_ids. */
  std::vector<uint32_t> directSubscribers;
};

class RoutingTable {
 public:
  RoutingTable() = default;
  RoutingTable(const RoutingTable&) = delete;
  RoutingTable& operator=(const RoutingTable&) = delete;

  /** Builds a table; null with `error` saying what is inconsistent in `spec`. */
  static std::unique_ptr<RoutingTable> build(const RoutingSpec& spec, uint64_t seed, std::string& error);

  const std::string& stmgrId() const { return stmgrId_; }
  bool atLeastOnce() const { return atLeastOnce_; }
  int64_t messageTimeoutMs() const { return messageTimeoutMs_; }
  bool dropTuplesUponBackPressure() const { return dropTuplesUponBackPressure_; }
  /** The route of a declared stream, or null. Mutable: shuffle cursors advance as tuples are routed. */
  StreamRoute* findStream(Span component, Span stream);
  /** The slot of a task id, or -1. */
  int32_t slotOf(int32_t taskId) const {
    auto it = slotByTask_.find(taskId);
    return it == slotByTask_.end() ? -1 : static_cast<int32_t>(it->second);
  }
  std::vector<TaskSlot>& slots() { return slots_; }
  size_t streamCount() const { return streams_.size(); }

 private:
  std::string stmgrId_;
  bool atLeastOnce_ = false;
  int64_t messageTimeoutMs_ = 30000;
  bool dropTuplesUponBackPressure_ = false;
  std::vector<StreamRoute> streams_;
  std::vector<TaskSlot> slots_;
  std::unordered_map<int32_t, uint32_t> slotByTask_;
  // Views into streams_' names, which never move once built.
  std::unordered_map<std::string_view, std::unordered_map<std::string_view, uint32_t>> streamIndex_;
};

}  // namespace egret
