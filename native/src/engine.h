// The data path: one thread running an epoll loop over every socket of the stream manager (PROTOCOL.md).
#pragma once

#include <pthread.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "batcher.h"
#include "commands.h"
#include "connection.h"
#include "events.h"
#include "frame.h"
#include "poller.h"
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
  int64_t drainIntervalUs = 2000;
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
  void closeConnection(Connection& c, const std::string& reason, bool announce = true);
  Connection* addConnection(int fd, ConnectionKind kind);
  void runTimers();
  int timeoutMs() const;

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
  void queueFrame(Connection& c, const char* type, size_t typeBytes, const uint8_t* requestId, const uint8_t* payload, size_t payloadBytes);

  // engine_route.cc
  void onInstanceData(Connection& c, Span payload);
  void routeTuple(StreamRoute& route, const TaskSlot& source, Span tuple);
  void deliver(uint32_t slot, Span tuple);
  void drop(DropReason reason, uint64_t tuples) { dropped_[reason] += tuples; }
  void sendBatch(Batch& batch) override;

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

  // The frame being routed: every tuple of it has the same source and stream, so each destination's batch is
  // looked up once per frame, then found here by slot.
  const StreamRoute* frameRoute_ = nullptr;
  int32_t frameSource_ = 0;
  uint64_t frameStamp_ = 0;
  std::vector<Batch*> frameBatches_;
  std::vector<uint64_t> frameBatchStamps_;
  DataTupleView tuple_;

  uint64_t tuplesRouted_ = 0;
  uint64_t dropped_[kDropReasonCount] = {};
  struct WarningState {
    int64_t lastUs = 0;
    uint64_t suppressed = 0;
  };
  std::unordered_map<std::string, WarningState> warnings_;
};

int64_t monotonicUs();

}  // namespace egret
