#include "engine.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <ctime>

namespace egret {

namespace {
constexpr int kMaxEvents = 256;
// Spare blocks kept for reuse: enough for every batch of a busy container to cycle without malloc.
constexpr size_t kPooledBlocks = 256;
// Room past the size trigger for the tuple that crosses it, and for the frame header in front.
constexpr size_t kBlockHeadroom = 64 * 1024;
}  // namespace

int64_t monotonicUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int64_t epochMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

Engine::Engine(EngineOptions options, EventSink& sink)
    : options_(std::move(options)),
      sink_(sink),
      pool_(options_.batchMaxBytes + kBlockHeadroom, kPooledBlocks),
      batcher_(pool_, options_.batchMaxBytes, *this) {
  controlRoute_.control = true;
  bp_.highBytes = options_.backPressureHighBytes;
  bp_.lowBytes = options_.backPressureLowBytes;
}

Engine::~Engine() {
  stopSilently();
  closeListeners();
}

void Engine::closeListeners() {
  closeListener(localListener_);
  closeListener(localAliasListener_);
  closeListener(tcpListener_);
}

bool Engine::start(int& dataPort, std::string& error) {
  if (!poller_.open(error) || !listenLocal(options_.localEndpoint, localListener_, localAliasListener_, error) ||
      !listenTcp(options_.dataHost, options_.dataPort, tcpListener_, dataPort, error)) {
    closeListeners();
    poller_.close();
    return false;
  }
  poller_.add(localListener_.fd, EPOLLIN, &localListener_);
  if (localAliasListener_.fd >= 0) poller_.add(localAliasListener_.fd, EPOLLIN, &localAliasListener_);
  poller_.add(tcpListener_.fd, EPOLLIN, &tcpListener_);
  const int status = pthread_create(&thread_, nullptr, &Engine::threadMain, this);
  if (status != 0) {
    error = std::string("cannot start the data thread: ") + std::strerror(status);
    closeListeners();
    poller_.close();
    return false;
  }
  started_ = true;
  return true;
}

void* Engine::threadMain(void* self) {
  pthread_setname_np(pthread_self(), "egret-datapath");
  static_cast<Engine*>(self)->run();
  return nullptr;
}

void Engine::post(Command command) {
  bool wasEmpty;
  {
    std::lock_guard<std::mutex> lock(commandMutex_);
    wasEmpty = commands_.empty();
    commands_.push_back(std::move(command));
  }
  // One wake-up per burst: the data thread takes the whole queue at once.
  if (wasEmpty && started_ && !joined_) poller_.wake();
}

bool Engine::stats(StatsSnapshot& out) {
  if (!started_ || joined_) {
    snapshot(out);
    return true;
  }
  auto request = std::make_shared<StatsRequest>();
  Command command;
  command.kind = Command::Kind::kStats;
  command.stats = request;
  post(std::move(command));
  std::unique_lock<std::mutex> lock(request->mutex);
  // The data thread answers within one loop turn; the bound only guards against a wedged thread.
  if (!request->ready.wait_for(lock, std::chrono::seconds(10), [&] { return request->done; })) return false;
  out = std::move(request->snapshot);
  return true;
}

void Engine::stopSilently() {
  if (!started_ || joined_) return;
  silent_.store(true);
  stopping_.store(true);
  poller_.wake();
  join();
}

void Engine::join() {
  if (!started_ || joined_) return;
  pthread_join(thread_, nullptr);
  joined_ = true;
  // Released now rather than when the handle is collected, which may be much later.
  poller_.close();
}

int64_t Engine::timeoutUs() const {
  int64_t deadline = nextDrainUs_;
  if (nextRotateUs_ != 0 && (deadline == 0 || nextRotateUs_ < deadline)) deadline = nextRotateUs_;
  if (listenersPausedUntilUs_ != 0 && (deadline == 0 || listenersPausedUntilUs_ < deadline)) deadline = listenersPausedUntilUs_;
  for (const auto& entry : peers_) {
    const Peer& peer = *entry.second;
    if (peer.out == nullptr && helloSet_ && (deadline == 0 || peer.nextAttemptUs < deadline)) deadline = peer.nextAttemptUs;
  }
  if (!resumed_.empty()) return 0;
  if (deadline == 0) return -1;
  const int64_t wait = deadline - nowUs_;
  return wait <= 0 ? 0 : wait;
}

void Engine::run() {
  nowUs_ = monotonicUs();
  runCommands();
  epoll_event events[kMaxEvents];
  while (!stopping_.load(std::memory_order_relaxed)) {
    const int n = poller_.wait(events, kMaxEvents, timeoutUs());
    nowUs_ = monotonicUs();
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == poller_.wakeTag()) {
        poller_.drainWake();
        runCommands();
      } else if (tag == &localListener_ || tag == &localAliasListener_) {
        acceptAll(*static_cast<Listener*>(tag), ConnectionKind::kInstance);
      } else if (tag == &tcpListener_) {
        acceptAll(tcpListener_, ConnectionKind::kPeerIn);
      } else {
        Connection* c = static_cast<Connection*>(tag);
        if (!c->closed) onSocketEvent(*c, events[i].events);
      }
    }
    std::vector<Connection*> resumed;
    resumed.swap(resumed_);
    for (Connection* c : resumed) {
      if (!c->closed && c->readable()) parseFrames(*c);
    }
    runTimers();
    std::vector<Connection*> dirty;
    dirty.swap(dirty_);
    for (Connection* c : dirty) {
      c->dirty = false;
      // A blocked socket says when it takes more (EPOLLOUT); trying now would only hear EAGAIN again.
      if (!c->closed && !c->connecting && !c->writeBlocked) writeOut(*c);
    }
    dirty.clear();
    if (dirty_.empty()) dirty_.swap(dirty);  // keep the capacity: no allocation per turn
    closed_.clear();
  }
  shutdown();
}

void Engine::shutdown() {
  // Whatever the control plane queued last (a final response) goes out if the socket takes it now. A failed write
  // closes its connection, which leaves the map: walk a copy.
  batcher_.drain();
  routing_.reset();
  trackers_.clear();
  bp_.causes.clear();
  std::vector<Connection*> open;
  for (auto& entry : connections_) open.push_back(entry.second.get());
  for (Connection* c : open) {
    if (!c->closed && !c->connecting && !c->out.empty()) writeOut(*c);
  }
  for (auto& entry : connections_) {
    Connection& c = *entry.second;
    if (c.fd >= 0) ::close(c.fd);
    c.fd = -1;
    c.closed = true;
    c.out.clear();
  }
  connections_.clear();
  closed_.clear();
  peers_.clear();
  attachedTasks_.clear();
  closeListeners();
  if (!silent_.load()) {
    auto event = std::make_unique<Event>();
    event->kind = Event::Kind::kStopped;
    sink_.emit(std::move(event));
  }
}

}  // namespace egret
