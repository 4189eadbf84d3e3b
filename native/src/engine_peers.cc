// Outgoing connections to peer stream managers, and which connection each task's tuples take.
#include <cstring>

#include "engine.h"
#include "message_types.h"

namespace egret {

void Engine::applyPeers(const std::vector<PeerSpec>& peers) {
  std::unordered_map<std::string, const PeerSpec*> wanted;
  for (const PeerSpec& spec : peers) {
    if (spec.stmgrId != (routing_ ? routing_->stmgrId() : std::string())) wanted.emplace(spec.stmgrId, &spec);
  }
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto keep = wanted.find(it->first);
    Peer& peer = *it->second;
    const bool moved = keep != wanted.end() && (keep->second->host != peer.spec.host || keep->second->port != peer.spec.port);
    if (keep == wanted.end() || moved) {
      if (peer.out != nullptr) closeConnection(*peer.out, keep == wanted.end() ? "peer is no longer in the physical plan" : "peer moved to a new address");
    }
    if (keep == wanted.end()) {
      // Its incoming connection goes too: nothing it sends can be routed any more.
      std::vector<Connection*> incoming;
      for (auto& entry : connections_) {
        if (entry.second->kind == ConnectionKind::kPeerIn && entry.second->stmgrId == it->first) incoming.push_back(entry.second.get());
      }
      for (Connection* c : incoming) closeConnection(*c, "peer is no longer in the physical plan");
      it = peers_.erase(it);
      continue;
    }
    if (moved) {
      peer.spec = *keep->second;
      peer.nextAttemptUs = nowUs_;
    }
    wanted.erase(keep);
    ++it;
  }
  for (auto& entry : wanted) {
    auto peer = std::make_unique<Peer>();
    peer->spec = *entry.second;
    peer->nextAttemptUs = nowUs_;
    peers_.emplace(entry.first, std::move(peer));
  }
}

void Engine::connectPeer(Peer& peer) {
  std::string error;
  const int fd = connectTcp(peer.spec.host, peer.spec.port, error);
  peer.nextAttemptUs = nowUs_ + reconnectUs_;
  if (fd < 0) {
    warn("connect:" + peer.spec.stmgrId, "cannot reach peer " + peer.spec.stmgrId + ": " + error + "; retrying every " + std::to_string(reconnectUs_ / 1000) + " ms");
    return;
  }
  Connection* c = addConnection(fd, ConnectionKind::kPeerOut);
  if (c == nullptr) return;
  c->connecting = true;
  c->attached = true;
  c->stmgrId = peer.spec.stmgrId;
  c->peer = &peer;
  peer.out = c;
  c->interest = 0;
  updateInterest(*c);
  // The hello goes first; tuples follow only once the socket is connected (destinationOf checks).
  queueFrame(*c, helloType_.data(), helloType_.size(), nullptr, helloPayload_.data(), helloPayload_.size());
  // A peer that reconnects while this stream manager announces back pressure must hear it again.
  if (bp_.announcing) sendBackPressure(*c, true);
}

void Engine::finishConnect(Connection& c) {
  const int error = connectResult(c.fd);
  if (error != 0) {
    const std::string id = c.stmgrId;
    const std::string address = c.peer != nullptr ? c.peer->spec.host + ":" + std::to_string(c.peer->spec.port) : std::string("?");
    // A refused attempt is not a connection JS ever saw: a warning (rate-limited) rather than a closed event.
    closeConnection(c, "", false);
    warn("connect:" + id, "cannot reach peer " + id + " at " + address + ": " + std::strerror(error) + "; retrying every " + std::to_string(reconnectUs_ / 1000) + " ms");
    return;
  }
  c.connecting = false;
  updateInterest(c);
  markDirty(c);
}

Connection* Engine::destinationOf(const TaskSlot& slot) const {
  if (slot.local) return slot.instance;
  if (slot.peer == nullptr || slot.peer->out == nullptr || slot.peer->out->connecting) return nullptr;
  return slot.peer->out;
}

void Engine::relinkSlots() {
  for (TaskSlot& slot : routing_->slots()) {
    if (slot.local) {
      auto it = attachedTasks_.find(slot.taskId);
      slot.instance = it == attachedTasks_.end() ? nullptr : it->second;
      slot.peer = nullptr;
    } else {
      auto it = peers_.find(slot.stmgrId);
      slot.peer = it == peers_.end() ? nullptr : it->second.get();
      slot.instance = nullptr;
    }
  }
  // A spout that registers (or a task that becomes a spout's) while back pressure holds the spouts is held too.
  holdSpouts();
}

}  // namespace egret
