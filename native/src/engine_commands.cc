// Commands from JS, applied on the data thread in the order they were made; stats; events and warnings.
#include <iterator>

#include "engine.h"

namespace egret {

namespace {
// A warning repeats at most this often per key, saying how many were held back meanwhile.
constexpr int64_t kWarningIntervalUs = 60 * 1000 * 1000;
}  // namespace

const char* dropReasonName(DropReason reason) {
  switch (reason) {
    case kDropUnknownStream: return "unknown-stream";
    case kDropBadDestination: return "bad-destination";
    case kDropDestinationUnreachable: return "destination-unreachable";
    case kDropNotAttached: return "not-attached";
    case kDropWrongSource: return "wrong-source";
    case kDropMissingFields: return "missing-fields";
    case kDropNoRouting: return "no-routing";
    case kDropUnknownRoot: return "unknown-root";
    case kDropBackPressure: return "backpressure-drop";
    case kDropReasonCount: break;
  }
  return "unknown";
}

void Engine::runCommands() {
  std::vector<Command> commands;
  {
    std::lock_guard<std::mutex> lock(commandMutex_);
    commands.swap(commands_);
  }
  for (Command& command : commands) apply(command);
}

void Engine::apply(Command& command) {
  Connection* c = nullptr;
  auto it = connections_.find(command.connection);
  if (it != connections_.end() && !it->second->closed) c = it->second.get();
  switch (command.kind) {
    case Command::Kind::kSetRouting:
      applyRouting(command);
      break;
    case Command::Kind::kAttachTask:
      if (c == nullptr || c->kind != ConnectionKind::kInstance) break;
      if (c->attached && c->taskId != command.taskId) attachedTasks_.erase(c->taskId);
      {
        Connection*& holder = attachedTasks_[command.taskId];
        // The control plane chose this connection for the task: an earlier one no longer receives its tuples.
        if (holder != nullptr && holder != c) holder->attached = false;
        holder = c;
      }
      c->attached = true;
      c->taskId = command.taskId;
      if (routing_) relinkSlots();
      resume(*c);
      break;
    case Command::Kind::kAttachPeer:
      if (c == nullptr || c->kind != ConnectionKind::kPeerIn) break;
      c->attached = true;
      c->stmgrId = command.text;
      resume(*c);
      break;
    case Command::Kind::kSetPeerHello:
      helloSet_ = true;
      helloType_ = command.messageType;
      helloPayload_ = std::move(command.payload);
      reconnectUs_ = static_cast<int64_t>(command.intervalMs) * 1000;
      break;
    case Command::Kind::kSend:
      if (c == nullptr) break;
      queueFrame(*c, command.messageType.data(), command.messageType.size(), command.hasRequestId ? command.requestId : nullptr, command.payload.data(), command.payload.size());
      // An answer to a registration or hello lets the connection be read again (see Connection::paused).
      if (!c->attached) resume(*c);
      break;
    case Command::Kind::kCloseConnection:
      if (c == nullptr) break;
      // A response queued just before (a refusal) still goes out if the socket takes it now.
      if (!c->connecting && !c->out.empty()) writeOut(*c);
      closeConnection(*c, "closed by the control plane: " + command.text);
      break;
    case Command::Kind::kStats: {
      StatsSnapshot snap;
      snapshot(snap);
      std::lock_guard<std::mutex> lock(command.stats->mutex);
      command.stats->snapshot = std::move(snap);
      command.stats->done = true;
      command.stats->ready.notify_one();
      break;
    }
    case Command::Kind::kStop:
      stopping_.store(true);
      break;
  }
}

void Engine::applyRouting(Command& command) {
  // Open batches were routed with the old table: send them before its slots and streams go away.
  batcher_.drain();
  nextDrainUs_ = 0;
  routing_ = std::move(command.routing);
  const size_t slots = routing_->slots().size();
  batcher_.reset(slots);
  frameBatches_.assign(slots, nullptr);
  frameBatchStamps_.assign(slots, 0);
  applyPeers(command.peers);
  syncTrackers();
  setDropMode(routing_->dropTuplesUponBackPressure());
  relinkSlots();
}

ConnectionInfo Engine::infoOf(const Connection& c) const {
  ConnectionInfo info;
  info.id = c.id;
  info.kind = c.kind;
  info.taskId = c.kind == ConnectionKind::kInstance && c.attached ? c.taskId : -1;
  info.stmgrId = c.stmgrId;
  return info;
}

void Engine::snapshot(StatsSnapshot& out) {
  out.connections.clear();
  out.connections.reserve(connections_.size());
  for (const auto& entry : connections_) {
    const Connection& c = *entry.second;
    ConnectionStats stats;
    stats.info = infoOf(c);
    stats.counters = c.counters;
    stats.queuedBytes = c.out.queuedBytes();
    out.connections.push_back(std::move(stats));
  }
  out.tuplesRouted = tuplesRouted_;
  for (int i = 0; i < kDropReasonCount; ++i) out.dropped[i] = dropped_[i];
  snapshotBackPressure(out.backPressure);
  out.acking = AckingStats{};
  out.acking.enabled = acking_;
  for (const auto& entry : trackers_) out.acking.pendingRoots += entry.second->size();
  out.acking.rootsAcked = rootsAcked_;
  out.acking.rootsFailed = rootsFailed_;
  out.acking.rootsExpired = rootsExpired_;
}

void Engine::emit(std::unique_ptr<Event> event) {
  if (silent_.load(std::memory_order_relaxed)) return;
  sink_.emit(std::move(event));
}

void Engine::warn(const std::string& key, const std::string& message) {
  // Keys name connections, which come and go: forget the quiet ones now and then.
  if (warnings_.size() > 1024) {
    for (auto it = warnings_.begin(); it != warnings_.end();) {
      it = nowUs_ - it->second.lastUs >= kWarningIntervalUs ? warnings_.erase(it) : std::next(it);
    }
  }
  WarningState& state = warnings_[key];
  if (state.lastUs != 0 && nowUs_ - state.lastUs < kWarningIntervalUs) {
    ++state.suppressed;
    return;
  }
  auto event = std::make_unique<Event>();
  event->kind = Event::Kind::kWarning;
  event->text = message;
  if (state.suppressed > 0) event->text += " (" + std::to_string(state.suppressed) + " more like this in the last minute)";
  state.lastUs = nowUs_;
  state.suppressed = 0;
  emit(std::move(event));
}

}  // namespace egret
