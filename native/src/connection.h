// One socket of the data path: an instance, a peer that connected to us, or a peer we connected to.
#pragma once

#include <cstdint>
#include <string>

#include "out_queue.h"

namespace egret {

enum class ConnectionKind : uint8_t { kInstance, kPeerIn, kPeerOut };

const char* connectionKindName(ConnectionKind kind);

struct Peer;

/** The counters of PROTOCOL.md §6 for one connection; written by the data thread only. */
struct ConnectionCounters {
  uint64_t tuplesIn = 0;
  uint64_t tuplesOut = 0;
  uint64_t bytesIn = 0;
  uint64_t bytesOut = 0;
  uint64_t batchesIn = 0;
  uint64_t batchesOut = 0;
  uint64_t framesDropped = 0;
  /** AckTuples (acks, fails, emits) read from and written to this connection (ATLEAST_ONCE). */
  uint64_t controlIn = 0;
  uint64_t controlOut = 0;
};

/** Bytes read and not yet parsed; grows to hold the largest frame seen, up to the frame limit. */
class ReadBuffer {
 public:
  ~ReadBuffer();
  uint8_t* head() { return data_ + begin_; }
  size_t size() const { return end_ - begin_; }
  uint8_t* tail() { return data_ + end_; }
  size_t room() const { return capacity_ - end_; }
  void consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  void produced(size_t n) { end_ += n; }
  /** Makes room for at least `minRoom` more bytes and for a whole frame of `frameBytes` (0: unknown yet). */
  void prepare(size_t minRoom, size_t frameBytes);

 private:
  uint8_t* data_ = nullptr;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

class Connection {
 public:
  Connection(uint32_t id, int fd, ConnectionKind kind, BufferPool& pool) : id(id), fd(fd), kind(kind), out(pool) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const uint32_t id;
  int fd;
  const ConnectionKind kind;

  /** A peer-out connection waits for connect() to finish; nothing is routed to it until then. */
  bool connecting = false;
  bool closed = false;
  /** The control plane accepted it (attachTask / attachPeer); data from it is routed only then. */
  bool attached = false;
  /**
   * Reading stops after a control frame from a connection not yet attached, until the control plane answers it
   * (send, attach or close): registration is a request/response, and what follows it must not be read first.
   */
  bool paused = false;
  /** A local spout's connection is not read while back pressure holds the spouts (PROTOCOL.md §8). */
  bool held = false;
  /** Its queue passed the high water mark: a cause of back pressure since `causeSinceUs` (`causeSinceEpochMs`). */
  bool cause = false;
  int64_t causeSinceUs = 0;
  int64_t causeSinceEpochMs = 0;
  /** In the engine's list of connections to write at the end of this loop turn. */
  bool dirty = false;
  /** The socket refused bytes; EPOLLOUT is watched until the queue drains. */
  bool writeBlocked = false;
  uint32_t interest = 0;

  /** Frames are read and parsed only while this holds. */
  bool readable() const { return !paused && !held; }

  int32_t taskId = -1;
  std::string stmgrId;
  Peer* peer = nullptr;

  ReadBuffer in;
  OutQueue out;
  ConnectionCounters counters;
};

}  // namespace egret
