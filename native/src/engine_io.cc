// Socket I/O on the data thread: accepting, reading and parsing, gathered writes, closing.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine.h"

namespace egret {

namespace {
// A read takes at least this much room; reads per readiness event are bounded so one busy socket cannot starve
// the others (epoll is level-triggered: what is left is reported again on the next turn).
constexpr size_t kMinReadRoom = 64 * 1024;
constexpr int kReadsPerEvent = 4;
// After EMFILE and friends, accepting waits this long instead of spinning on a listener that stays readable.
constexpr int64_t kAcceptBackoffUs = 100 * 1000;
}  // namespace

Connection* Engine::addConnection(int fd, ConnectionKind kind) {
  auto owned = std::make_unique<Connection>(nextConnectionId_++, fd, kind, pool_);
  Connection* c = owned.get();
  c->interest = EPOLLIN | EPOLLRDHUP;
  if (!poller_.add(fd, c->interest, c)) {
    ::close(fd);
    return nullptr;
  }
  connections_.emplace(c->id, std::move(owned));
  return c;
}

void Engine::acceptAll(Listener& listener, ConnectionKind kind) {
  for (;;) {
    const int fd = acceptConnection(listener.fd, kind == ConnectionKind::kPeerIn);
    if (fd >= 0) {
      addConnection(fd, kind);
      continue;
    }
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      warn("accept", std::string("cannot accept connections: ") + std::strerror(errno));
      watchListeners(0);
      listenersPausedUntilUs_ = nowUs_ + kAcceptBackoffUs;
    }
    return;
  }
}

void Engine::watchListeners(uint32_t events) {
  for (Listener* listener : {&localListener_, &localAliasListener_, &tcpListener_}) {
    if (listener->fd >= 0) poller_.modify(listener->fd, events, listener);
  }
}

void Engine::onSocketEvent(Connection& c, uint32_t events) {
  if (c.connecting) {
    finishConnect(c);
    return;
  }
  if (events & EPOLLIN) {
    readFrom(c);
  } else if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
    // Paused connections do not read, so a hang-up is seen here rather than as end of file: a peer that gives up
    // waiting for its registration's answer must not leave its connection behind.
    const int error = connectResult(c.fd);
    closeConnection(c, error != 0 ? std::string("connection failed: ") + std::strerror(error) : "peer closed the connection");
    return;
  }
  if (!c.closed && (events & EPOLLOUT)) writeOut(c);
}

void Engine::readFrom(Connection& c) {
  for (int round = 0; round < kReadsPerEvent && !c.closed && c.readable(); ++round) {
    c.in.prepare(kMinReadRoom, 0);
    const size_t room = c.in.room();
    const ssize_t n = ::read(c.fd, c.in.tail(), room);
    if (n > 0) {
      c.in.produced(static_cast<size_t>(n));
      c.counters.bytesIn += static_cast<uint64_t>(n);
      parseFrames(c);
      if (static_cast<size_t>(n) < room) return;
    } else if (n == 0) {
      closeConnection(c, c.in.size() > 0 ? "peer closed the connection in the middle of a frame" : "peer closed the connection");
      return;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else {
      closeConnection(c, std::string("read failed: ") + std::strerror(errno));
      return;
    }
  }
}

void Engine::parseFrames(Connection& c) {
  std::string error;
  while (!c.closed && c.readable()) {
    FrameView frame;
    size_t needed = 0;
    switch (parseFrame(c.in.head(), c.in.size(), options_.maxFrameBytes, frame, needed, error)) {
      case FrameStatus::kIncomplete:
        if (needed > 0) c.in.prepare(0, needed);
        return;
      case FrameStatus::kMalformed:
        c.counters.framesDropped++;
        closeConnection(c, error);
        return;
      case FrameStatus::kComplete:
        handleFrame(c, frame);
        if (!c.closed) c.in.consume(frame.totalBytes);
        break;
    }
  }
}

void Engine::writeOut(Connection& c) {
  size_t written = 0;
  int error = 0;
  const OutQueue::WriteResult result = c.out.writeTo(c.fd, written, error);
  c.counters.bytesOut += written;
  if (result == OutQueue::WriteResult::kFailed) {
    closeConnection(c, std::string("write failed: ") + std::strerror(error));
    return;
  }
  c.writeBlocked = result == OutQueue::WriteResult::kBlocked;
  updateInterest(c);
  checkQueue(c);
}

void Engine::updateInterest(Connection& c) {
  if (c.closed) return;
  const uint32_t wanted = (!c.readable() || c.connecting ? 0u : static_cast<uint32_t>(EPOLLIN)) | (c.writeBlocked || c.connecting ? static_cast<uint32_t>(EPOLLOUT) : 0u) |
                          static_cast<uint32_t>(EPOLLRDHUP);
  if (wanted == c.interest) return;
  c.interest = wanted;
  poller_.modify(c.fd, wanted, &c);
}

void Engine::markDirty(Connection& c) {
  if (c.dirty) return;
  c.dirty = true;
  dirty_.push_back(&c);
}

void Engine::pause(Connection& c) {
  c.paused = true;
  updateInterest(c);
}

void Engine::resume(Connection& c) {
  if (!c.paused || c.closed) return;
  c.paused = false;
  updateInterest(c);
  parseLater(c);
}

void Engine::parseLater(Connection& c) {
  // Frames read before the pause are still buffered: the socket will not report them again.
  if (c.readable() && c.in.size() > 0) resumed_.push_back(&c);
}

void Engine::closeConnection(Connection& c, const std::string& reason, bool announce) {
  if (c.closed) return;
  const ConnectionInfo info = infoOf(c);
  c.closed = true;
  poller_.remove(c.fd);
  ::close(c.fd);
  c.fd = -1;
  c.out.clear();
  // Its queue is gone, and with it any back pressure it caused; a peer's announcement ends with its connection.
  if (c.cause) toggleCause(c);
  if (c.kind == ConnectionKind::kPeerIn && c.attached) {
    auto announcer = bp_.announcers.find(c.stmgrId);
    if (announcer != bp_.announcers.end() && announcer->second.connection == c.id) endAnnouncer(c.stmgrId, "its connection closed");
  }
  if (c.kind == ConnectionKind::kInstance && c.attached) {
    auto it = attachedTasks_.find(c.taskId);
    if (it != attachedTasks_.end() && it->second == &c) {
      attachedTasks_.erase(it);
      const int32_t slot = routing_ ? routing_->slotOf(c.taskId) : -1;
      if (slot >= 0) routing_->slots()[slot].instance = nullptr;
    }
  }
  if (c.peer != nullptr && c.peer->out == &c) {
    c.peer->out = nullptr;
    c.peer->nextAttemptUs = nowUs_ + reconnectUs_;
  }
  auto owned = connections_.find(c.id);
  if (owned != connections_.end()) {
    closed_.push_back(std::move(owned->second));
    connections_.erase(owned);
  }
  if (announce) {
    auto event = std::make_unique<Event>();
    event->kind = Event::Kind::kClosed;
    event->connection = info;
    event->text = reason;
    emit(std::move(event));
  }
}

void Engine::runTimers() {
  if (nextDrainUs_ != 0 && nowUs_ >= nextDrainUs_) {
    nextDrainUs_ = 0;
    lastDrainUs_ = nowUs_;
    batcher_.drain();
  }
  if (nextRotateUs_ != 0 && nowUs_ >= nextRotateUs_) rotateTrackers();
  if (listenersPausedUntilUs_ != 0 && nowUs_ >= listenersPausedUntilUs_) {
    listenersPausedUntilUs_ = 0;
    watchListeners(EPOLLIN);
  }
  if (helloSet_) {
    for (auto& entry : peers_) {
      Peer& peer = *entry.second;
      if (peer.out == nullptr && nowUs_ >= peer.nextAttemptUs) connectPeer(peer);
    }
  }
}

}  // namespace egret
