// What the data path reports to JS: events (DataPathEvent) and stats snapshots (DataPathStats), on the JS thread.
#include "js_convert.h"

namespace egret {

namespace {

Napi::Number number(Napi::Env env, double value) { return Napi::Number::New(env, value); }

Napi::String changeOf(Napi::Env env, bool start) { return Napi::String::New(env, start ? "start" : "stop"); }

/** A DataPathBackPressureSource: the instance's task, or the peer. */
void setSource(Napi::Object object, Napi::Env env, const ConnectionInfo& info) {
  if (info.kind == ConnectionKind::kInstance) {
    object.Set("kind", Napi::String::New(env, "instance"));
    if (info.taskId >= 0) object.Set("taskId", number(env, info.taskId));
  } else {
    object.Set("kind", Napi::String::New(env, "peer"));
    object.Set("stmgrId", Napi::String::New(env, info.stmgrId));
  }
}

Napi::Object causeToJs(Napi::Env env, const ConnectionInfo& info, int64_t sinceEpochMs, uint64_t queuedBytes) {
  Napi::Object cause = Napi::Object::New(env);
  setSource(cause, env, info);
  cause.Set("connection", number(env, info.id));
  cause.Set("since", number(env, static_cast<double>(sinceEpochMs)));
  cause.Set("queuedBytes", number(env, static_cast<double>(queuedBytes)));
  return cause;
}

Napi::Object backPressureToJs(Napi::Env env, const BackPressureStats& bp) {
  Napi::Object object = Napi::Object::New(env);
  Napi::Array causes = Napi::Array::New(env, bp.causes.size());
  for (size_t i = 0; i < bp.causes.size(); ++i) causes.Set(static_cast<uint32_t>(i), causeToJs(env, bp.causes[i].info, bp.causes[i].sinceEpochMs, bp.causes[i].queuedBytes));
  object.Set("causes", causes);
  object.Set("announcing", Napi::Boolean::New(env, bp.announcing));
  Napi::Array announcers = Napi::Array::New(env, bp.announcers.size());
  for (size_t i = 0; i < bp.announcers.size(); ++i) {
    Napi::Object announcer = Napi::Object::New(env);
    announcer.Set("stmgrId", Napi::String::New(env, bp.announcers[i].stmgrId));
    announcer.Set("since", number(env, static_cast<double>(bp.announcers[i].sinceEpochMs)));
    announcers.Set(static_cast<uint32_t>(i), announcer);
  }
  object.Set("announcers", announcers);
  object.Set("spoutsPaused", Napi::Boolean::New(env, bp.spoutsPaused));
  object.Set("initiatedMs", number(env, static_cast<double>(bp.initiatedMs)));
  Napi::Array bySource = Napi::Array::New(env, bp.initiatedMsByTask.size() + bp.initiatedMsByPeer.size());
  uint32_t at = 0;
  for (const auto& entry : bp.initiatedMsByTask) {
    Napi::Object source = Napi::Object::New(env);
    source.Set("kind", Napi::String::New(env, "instance"));
    source.Set("taskId", number(env, entry.first));
    source.Set("ms", number(env, static_cast<double>(entry.second)));
    bySource.Set(at++, source);
  }
  for (const auto& entry : bp.initiatedMsByPeer) {
    Napi::Object source = Napi::Object::New(env);
    source.Set("kind", Napi::String::New(env, "peer"));
    source.Set("stmgrId", Napi::String::New(env, entry.first));
    source.Set("ms", number(env, static_cast<double>(entry.second)));
    bySource.Set(at++, source);
  }
  object.Set("initiatedMsBySource", bySource);
  object.Set("pausedByOthersMs", number(env, static_cast<double>(bp.pausedByOthersMs)));
  return object;
}

Napi::Object ackingToJs(Napi::Env env, const AckingStats& acking) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("enabled", Napi::Boolean::New(env, acking.enabled));
  object.Set("pendingRoots", number(env, static_cast<double>(acking.pendingRoots)));
  object.Set("rootsAcked", number(env, static_cast<double>(acking.rootsAcked)));
  object.Set("rootsFailed", number(env, static_cast<double>(acking.rootsFailed)));
  object.Set("rootsExpired", number(env, static_cast<double>(acking.rootsExpired)));
  return object;
}

}  // namespace

Napi::Object eventToJs(Napi::Env env, const Event& event) {
  Napi::Object object = Napi::Object::New(env);
  switch (event.kind) {
    case Event::Kind::kControl:
      object.Set("type", Napi::String::New(env, "control"));
      object.Set("connection", connectionToJs(env, event.connection));
      object.Set("messageType", Napi::String::New(env, event.messageType));
      object.Set("requestId", Napi::Buffer<uint8_t>::Copy(env, event.requestId, kRequestIdBytes));
      object.Set("payload", Napi::Buffer<uint8_t>::Copy(env, event.payload.data(), event.payload.size()));
      break;
    case Event::Kind::kClosed:
      object.Set("type", Napi::String::New(env, "closed"));
      object.Set("connection", connectionToJs(env, event.connection));
      object.Set("reason", Napi::String::New(env, event.text));
      break;
    case Event::Kind::kBackPressure:
      object.Set("type", Napi::String::New(env, "back-pressure"));
      object.Set("change", changeOf(env, event.start));
      object.Set("cause", causeToJs(env, event.connection, event.sinceEpochMs, event.queuedBytes));
      if (!event.start) object.Set("durationMs", number(env, static_cast<double>(event.durationMs)));
      if (!event.text.empty()) object.Set("reason", Napi::String::New(env, event.text));
      break;
    case Event::Kind::kPeerBackPressure:
      object.Set("type", Napi::String::New(env, "peer-back-pressure"));
      object.Set("change", changeOf(env, event.start));
      object.Set("stmgrId", Napi::String::New(env, event.connection.stmgrId));
      object.Set("connection", number(env, event.connection.id));
      object.Set("since", number(env, static_cast<double>(event.sinceEpochMs)));
      if (!event.start) object.Set("durationMs", number(env, static_cast<double>(event.durationMs)));
      object.Set("detail", Napi::String::New(env, event.text));
      break;
    case Event::Kind::kWarning:
    case Event::Kind::kStopped:
      object.Set("type", Napi::String::New(env, "warning"));
      object.Set("message", Napi::String::New(env, event.text));
      break;
  }
  return object;
}

Napi::Object statsToJs(Napi::Env env, const StatsSnapshot& stats) {
  Napi::Object object = Napi::Object::New(env);
  Napi::Array connections = Napi::Array::New(env, stats.connections.size());
  for (size_t i = 0; i < stats.connections.size(); ++i) {
    const ConnectionStats& c = stats.connections[i];
    Napi::Object entry = connectionToJs(env, c.info);
    entry.Set("tuplesIn", number(env, static_cast<double>(c.counters.tuplesIn)));
    entry.Set("tuplesOut", number(env, static_cast<double>(c.counters.tuplesOut)));
    entry.Set("bytesIn", number(env, static_cast<double>(c.counters.bytesIn)));
    entry.Set("bytesOut", number(env, static_cast<double>(c.counters.bytesOut)));
    entry.Set("batchesIn", number(env, static_cast<double>(c.counters.batchesIn)));
    entry.Set("batchesOut", number(env, static_cast<double>(c.counters.batchesOut)));
    entry.Set("controlTuplesIn", number(env, static_cast<double>(c.counters.controlIn)));
    entry.Set("controlTuplesOut", number(env, static_cast<double>(c.counters.controlOut)));
    entry.Set("queuedBytes", number(env, static_cast<double>(c.queuedBytes)));
    entry.Set("framesDropped", number(env, static_cast<double>(c.counters.framesDropped)));
    connections.Set(static_cast<uint32_t>(i), entry);
  }
  object.Set("connections", connections);
  object.Set("tuplesRouted", number(env, static_cast<double>(stats.tuplesRouted)));
  Napi::Object dropped = Napi::Object::New(env);
  for (int i = 0; i < kDropReasonCount; ++i) dropped.Set(dropReasonName(static_cast<DropReason>(i)), number(env, static_cast<double>(stats.dropped[i])));
  object.Set("tuplesDropped", dropped);
  object.Set("backPressure", backPressureToJs(env, stats.backPressure));
  object.Set("acking", ackingToJs(env, stats.acking));
  return object;
}

}  // namespace egret
