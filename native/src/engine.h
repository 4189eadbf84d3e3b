// The data path: one thread running an epoll loop over every socket of the stream manager (PROTOCOL.md).
#pragma once

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "back_pressure.h"
#include "batcher.h"
#include "commands.h"
#include "connection.h"
#include "control_codec.h"
#include "events.h"
#include "frame.h"
#include "poller.h"
#include "random.h"
#include "root_tracker.h"
#include "routing.h"
#include "sockets.h"
#include "stats.h"
#include "tuple_codec.h"

namespace egret {

struct EngineOptions {
  std::string localEndpoint;
  std::string dataHost;
  int dataPort = 0;
  size_t maxFrameBytes = 10 * 1024 * 1024;
  size_t batchMaxBytes = 256 * 1024;
  /** The least time between two drains (see armDrain); 0: every turn of the loop. */
  int64_t drainIntervalUs = 500;
  /** Written into the back-pressure messages this stream manager sends (PROTOCOL.md §8). */
  std::string topologyName;
  std::string topologyId;
  size_t backPressureHighBytes = 16 * 1024 * 1024;
  size_t backPressureLowBytes = 8 * 1024 * 1024;
};

/** A peer stream manager from the routing, and our outgoing connection to it. */
struct Peer {
  PeerSpec spec;
  Connection* out = nullptr;
  int64_t nextAttemptUs = 0;
};

class Engine : private BatchSink {
 public:
  Engine(EngineOptions options, EventSink& sink);
  ~Engine() override;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- called on the JS thread ---
  /** Binds both endpoints and starts the data thread. False with `error` when either cannot be bound. */
  bool start(int& dataPort, std::string& error);
  /** Queues a command for the data thread (or for when it starts). */
  void post(Command command);
  /** A consistent snapshot: asked of the data thread when it runs, read directly otherwise. */
  bool stats(StatsSnapshot& out);
  /**
   * Stops the data thread without another event and waits for it: for teardown paths where JS can no longer be
   * called (garbage collection, environment cleanup). Idempotent.
   */
  void stopSilently();
  /** Waits for the data thread after it sent kStopped. */
  void join();
  bool started() const { return started_; }
  const EngineOptions& options() const { return options_; }

 private:
  static void* threadMain(void* self);
  void run();
  void shutdown();
  void closeListeners();
  /** Stops (events 0) or resumes (EPOLLIN) accepting on every listener. */
  void watchListeners(uint32_t events);

  // engine_commands.cc
  void runCommands();
  void apply(Command& command);
  void applyRouting(Command& command);
  void snapshot(StatsSnapshot& out);
  void warn(const std::string& key, const std::string& message);
  void emit(std::unique_ptr<Event> event);
  ConnectionInfo infoOf(const Connection& c) const;

  // engine_io.cc
  void acceptAll(Listener& listener, ConnectionKind kind);
  void onSocketEvent(Connection& c, uint32_t events);
  void readFrom(Connection& c);
  void parseFrames(Connection& c);
  void writeOut(Connection& c);
  void updateInterest(Connection& c);
  void markDirty(Connection& c);
  void pause(Connection& c);
  void resume(Connection& c);
  /** Frames already read from a connection that becomes readable again are parsed on this loop turn. */
  void parseLater(Connection& c);
  void closeConnection(Connection& c, const std::string& reason, bool announce = true);
  Connection* addConnection(int fd, ConnectionKind kind);
  void runTimers();
  int64_t timeoutUs() const;

  // engine_peers.cc
  void applyPeers(const std::vector<PeerSpec>& peers);
  void connectPeer(Peer& peer);
  void finishConnect(Connection& c);
  void relinkSlots();
  Connection* destinationOf(const TaskSlot& slot) const;

  // engine_frames.cc
  void handleFrame(Connection& c, const FrameView& frame);
  void forwardControl(Connection& c, const FrameView& frame);
  void onPeerData(Connection& c, Span payload);
  void forwardPeerData(Connection& c, const TupleStreamView& message, Span set);
  void queueFrame(Connection& c, const char* type, size_t typeBytes, const uint8_t* requestId, const uint8_t* payload, size_t payloadBytes);

  // engine_route.cc
  void onInstanceData(Connection& c, Span payload);
  void routeData(Connection& c, const TupleSetView& set);
  template <bool kKeyed>
  void routeTuple(StreamRoute& route, const TaskSlot& source, Span tuple);
  template <bool kKeyed>
  void deliver(uint32_t slot, Span tuple);
  void drop(DropReason reason, uint64_t tuples) { dropped_[reason] += tuples; }
  void sendBatch(Batch& batch) override;
  /**
   * Open batches go at the end of the turn that opened them, unless the last drain was less than the drain interval
   * ago: then when it has passed. A quiet SM sends at once; a busy one sends at most once per interval, in batches.
   */
  void armDrain() {
    if (nextDrainUs_ == 0 && batcher_.hasOpen()) nextDrainUs_ = std::max(nowUs_, lastDrainUs_ + options_.drainIntervalUs);
  }

  // engine_acking.cc
  void settleAnchored(uint32_t sourceSlot);
  void onInstanceControl(Connection& c, const TupleSetView& set);
  /** Applies a peer's control set; false when it does not decode (the connection is then closed). */
  bool onPeerControl(Connection& c, Span control);
  void applyControl(ControlField field, const RootIdView& root, uint64_t value, int32_t srcTaskId, bool fromPeer);
  void queueControl(uint32_t slot, int32_t srcTaskId, ControlField field, const RootIdView& root, uint64_t value);
  void syncTrackers();
  void rotateTrackers();

  // engine_back_pressure.cc
  /** Called whenever a connection's queue grew or shrank: starts or ends it being a cause. */
  void checkQueue(Connection& c) {
    if (c.kind == ConnectionKind::kPeerIn || bp_.dropMode) return;
    const size_t queued = c.out.queuedBytes();
    if (!c.cause ? queued >= bp_.highBytes : queued <= bp_.lowBytes) toggleCause(c);
  }
  void toggleCause(Connection& c);
  void announce(bool start);
  void sendBackPressure(Connection& peerOut, bool start);
  void onPeerBackPressure(Connection& c, Span payload, bool start);
  void endAnnouncer(const std::string& stmgrId, const char* why);
  void holdSpouts();
  void setDropMode(bool dropMode);
  void snapshotBackPressure(BackPressureStats& out);
  void emitBackPressure(Event::Kind kind, const ConnectionInfo& info, bool start, int64_t sinceEpochMs, int64_t durationUs, uint64_t queued, const std::string& text);

  EngineOptions options_;
  EventSink& sink_;
  // Before everything that holds blocks, so it is destroyed after them.
  BufferPool pool_;
  Batcher batcher_;
  Poller poller_;
  Listener localListener_;
  Listener localAliasListener_;
  Listener tcpListener_;
  int64_t listenersPausedUntilUs_ = 0;

  pthread_t thread_{};
  bool started_ = false;
  bool joined_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> silent_{false};

  std::mutex commandMutex_;
  std::vector<Command> commands_;

  std::unordered_map<uint32_t, std::unique_ptr<Connection>> connections_;
  uint32_t nextConnectionId_ = 1;
  std::vector<Connection*> dirty_;
  std::vector<Connection*> resumed_;
  std::vector<std::unique_ptr<Connection>> closed_;

  std::unique_ptr<RoutingTable> routing_;
  std::unordered_map<std::string, std::unique_ptr<Peer>> peers_;
  std::unordered_map<int32_t, Connection*> attachedTasks_;
  bool helloSet_ = false;
  std::string helloType_;
  std::vector<uint8_t> helloPayload_;
  int64_t reconnectUs_ = 1000000;

  int64_t nowUs_ = 0;
  int64_t nextDrainUs_ = 0;
  /** When runTimers last drained the open batches. */
  int64_t lastDrainUs_ = 0;

  // The frame being routed: every tuple of it has the same source and stream, so each destination's batch is
  // looked up once per frame, then found here by slot.
  const StreamRoute* frameRoute_ = nullptr;
  int32_t frameSource_ = 0;
  uint64_t frameStamp_ = 0;
  std::vector<Batch*> frameBatches_;
  std::vector<uint64_t> frameBatchStamps_;
  DataTupleView tuple_;
  // The anchored tuple being routed: how many copies were made and the XOR of their keys.
  uint32_t copies_ = 0;
  uint64_t copyKeys_ = 0;

  // Acking (PROTOCOL.md §7): on only when the routing says ATLEAST_ONCE.
  bool acking_ = false;
  KeyGenerator keys_;
  std::unordered_map<int32_t, std::unique_ptr<RootTracker>> trackers_;
  int64_t rotateEveryUs_ = 0;
  int64_t nextRotateUs_ = 0;
  AckTupleView ack_;
  StreamRoute controlRoute_;
  uint64_t rootsAcked_ = 0;
  uint64_t rootsFailed_ = 0;
  uint64_t rootsExpired_ = 0;

  BackPressureState bp_;

  uint64_t tuplesRouted_ = 0;
  uint64_t dropped_[kDropReasonCount] = {};
  struct WarningState {
    int64_t lastUs = 0;
    uint64_t suppressed = 0;
  };
  std::unordered_map<std::string, WarningState> warnings_;
};

int64_t monotonicUs();
int64_t epochMs();

}  // namespace egret
