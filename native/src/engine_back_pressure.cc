// Back pressure (PROTOCOL.md §8) on the data thread: causes from queued bytes, the announcement to peers, peers'
// announcements, holding the local spouts, and the time spent in each.
#include <cstdio>

#include "engine.h"
#include "message_types.h"

namespace egret {

void Engine::toggleCause(Connection& c) {
  const ConnectionInfo info = infoOf(c);
  if (!c.cause) {
    c.cause = true;
    c.causeSinceUs = nowUs_;
    c.causeSinceEpochMs = epochMs();
    bp_.causes.push_back(&c);
    emitBackPressure(Event::Kind::kBackPressure, info, true, c.causeSinceEpochMs, 0, c.out.queuedBytes(), std::string());
    if (!bp_.announcing) announce(true);
    return;
  }
  c.cause = false;
  const int64_t lasted = nowUs_ - c.causeSinceUs;
  if (c.kind == ConnectionKind::kInstance) {
    bp_.initiatedByTaskUs[c.taskId] += lasted;
  } else {
    bp_.initiatedByPeerUs[c.stmgrId] += lasted;
  }
  for (size_t i = 0; i < bp_.causes.size(); ++i) {
    if (bp_.causes[i] == &c) {
      bp_.causes[i] = bp_.causes.back();
      bp_.causes.pop_back();
      break;
    }
  }
  emitBackPressure(Event::Kind::kBackPressure, info, false, c.causeSinceEpochMs, lasted, c.out.queuedBytes(), c.closed ? "connection closed" : std::string());
  if (bp_.causes.empty() && bp_.announcing) announce(false);
}

void Engine::announce(bool start) {
  if (start) {
    char id[17];
    std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(keys_.next()));
    bp_.messageId = id;
    bp_.announcing = true;
    bp_.announcingSinceUs = nowUs_;
  } else {
    bp_.initiatedUs += nowUs_ - bp_.announcingSinceUs;
    bp_.announcing = false;
  }
  for (auto& entry : peers_) {
    Connection* out = entry.second->out;
    if (out != nullptr && !out->closed) sendBackPressure(*out, start);
  }
  holdSpouts();
}

void Engine::sendBackPressure(Connection& peerOut, bool start) {
  const std::vector<uint8_t> payload = encodeBackPressure(options_.topologyName, options_.topologyId, routing_ ? routing_->stmgrId() : std::string(), bp_.messageId);
  if (start) {
    queueFrame(peerOut, kStartBackPressureType, literalBytes(kStartBackPressureType), nullptr, payload.data(), payload.size());
  } else {
    queueFrame(peerOut, kStopBackPressureType, literalBytes(kStopBackPressureType), nullptr, payload.data(), payload.size());
  }
}

void Engine::onPeerBackPressure(Connection& c, Span payload, bool start) {
  std::string messageId;
  if (!decodeBackPressure(payload, messageId)) {
    c.counters.framesDropped++;
    closeConnection(c, std::string("malformed frame: ") + (start ? "StartBackPressureMessage" : "StopBackPressureMessage") + " payload does not decode");
    return;
  }
  // Read only once the peer's hello was accepted (the connection pauses until then), so c.stmgrId is known.
  if (!c.attached) return;
  if (!start) {
    endAnnouncer(c.stmgrId, "");
    return;
  }
  auto found = bp_.announcers.find(c.stmgrId);
  if (found != bp_.announcers.end()) {
    // A repeat (the peer reconnected while announcing): the same announcement, now on this connection.
    found->second.connection = c.id;
    found->second.messageId = messageId;
    return;
  }
  if (bp_.announcers.empty()) bp_.othersSinceUs = nowUs_;
  BackPressureState::Announcer& announcer = bp_.announcers[c.stmgrId];
  announcer.connection = c.id;
  announcer.sinceUs = nowUs_;
  announcer.sinceEpochMs = epochMs();
  announcer.messageId = messageId;
  emitBackPressure(Event::Kind::kPeerBackPressure, infoOf(c), true, announcer.sinceEpochMs, 0, 0, messageId);
  holdSpouts();
}

void Engine::endAnnouncer(const std::string& stmgrId, const char* why) {
  auto found = bp_.announcers.find(stmgrId);
  if (found == bp_.announcers.end()) return;
  const BackPressureState::Announcer announcer = found->second;
  bp_.announcers.erase(found);
  if (bp_.announcers.empty()) bp_.pausedByOthersUs += nowUs_ - bp_.othersSinceUs;
  ConnectionInfo info;
  info.id = announcer.connection;
  info.kind = ConnectionKind::kPeerIn;
  info.stmgrId = stmgrId;
  emitBackPressure(Event::Kind::kPeerBackPressure, info, false, announcer.sinceEpochMs, nowUs_ - announcer.sinceUs, 0, *why != '\0' ? why : announcer.messageId);
  holdSpouts();
}

void Engine::holdSpouts() {
  bp_.spoutsHeld = bp_.announcing || !bp_.announcers.empty();
  if (!routing_) return;
  for (auto& entry : attachedTasks_) {
    Connection& c = *entry.second;
    const int32_t slot = routing_->slotOf(entry.first);
    const bool hold = bp_.spoutsHeld && slot >= 0 && routing_->slots()[slot].spout;
    if (c.held == hold || c.closed) continue;
    c.held = hold;
    updateInterest(c);
    parseLater(c);
  }
}

void Engine::setDropMode(bool dropMode) {
  if (dropMode == bp_.dropMode) return;
  bp_.dropMode = dropMode;
  // Dropping replaces pausing: what was a cause stops being one (and the announcement, if any, ends).
  if (dropMode) {
    while (!bp_.causes.empty()) toggleCause(*bp_.causes.back());
  } else {
    for (auto& entry : connections_) checkQueue(*entry.second);
  }
}

void Engine::emitBackPressure(Event::Kind kind, const ConnectionInfo& info, bool start, int64_t sinceEpochMs, int64_t durationUs, uint64_t queued, const std::string& text) {
  auto event = std::make_unique<Event>();
  event->kind = kind;
  event->connection = info;
  event->start = start;
  event->sinceEpochMs = sinceEpochMs;
  event->durationMs = durationUs / 1000;
  event->queuedBytes = queued;
  event->text = text;
  emit(std::move(event));
}

void Engine::snapshotBackPressure(BackPressureStats& out) {
  const int64_t now = monotonicUs();
  out = BackPressureStats{};
  for (const Connection* c : bp_.causes) out.causes.push_back(BackPressureCauseStats{infoOf(*c), c->causeSinceEpochMs, c->out.queuedBytes()});
  out.announcing = bp_.announcing;
  for (const auto& entry : bp_.announcers) out.announcers.push_back(AnnouncerStats{entry.first, entry.second.sinceEpochMs});
  out.spoutsPaused = bp_.spoutsHeld;
  out.initiatedMs = (bp_.initiatedUs + (bp_.announcing ? now - bp_.announcingSinceUs : 0)) / 1000;
  out.pausedByOthersMs = (bp_.pausedByOthersUs + (bp_.announcers.empty() ? 0 : now - bp_.othersSinceUs)) / 1000;
  // Finished causes, plus the time so far of those still going.
  std::unordered_map<int32_t, int64_t> byTask = bp_.initiatedByTaskUs;
  std::unordered_map<std::string, int64_t> byPeer = bp_.initiatedByPeerUs;
  for (const Connection* c : bp_.causes) {
    if (c->kind == ConnectionKind::kInstance) {
      byTask[c->taskId] += now - c->causeSinceUs;
    } else {
      byPeer[c->stmgrId] += now - c->causeSinceUs;
    }
  }
  for (const auto& entry : byTask) out.initiatedMsByTask.emplace_back(entry.first, entry.second / 1000);
  for (const auto& entry : byPeer) out.initiatedMsByPeer.emplace_back(entry.first, entry.second / 1000);
}

}  // namespace egret
