#include "js_convert.h"

namespace egret {

namespace {

bool readString(Napi::Object object, const char* key, std::string& out, std::string& error, const std::string& where) {
  Napi::Value value = object.Get(key);
  if (!value.IsString()) {
    error = where + "." + key + " must be a string";
    return false;
  }
  out = value.As<Napi::String>().Utf8Value();
  return true;
}

bool readInt(Napi::Object object, const char* key, int64_t min, int64_t max, int64_t& out, std::string& error, const std::string& where) {
  Napi::Value value = object.Get(key);
  if (!value.IsNumber()) {
    error = where + "." + key + " must be a number";
    return false;
  }
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= static_cast<double>(min) && number <= static_cast<double>(max)) || number != static_cast<double>(static_cast<int64_t>(number))) {
    error = where + "." + key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    return false;
  }
  out = static_cast<int64_t>(number);
  return true;
}

/** An optional field: absent (undefined) leaves `out` as it is. */
bool readOptionalBool(Napi::Object object, const char* key, bool& out, std::string& error, const std::string& where) {
  Napi::Value value = object.Get(key);
  if (value.IsUndefined()) return true;
  if (!value.IsBoolean()) {
    error = where + "." + key + " must be a boolean";
    return false;
  }
  out = value.As<Napi::Boolean>().Value();
  return true;
}

bool readArray(Napi::Object object, const char* key, Napi::Array& out, std::string& error, const std::string& where) {
  Napi::Value value = object.Get(key);
  if (!value.IsArray()) {
    error = where + "." + key + " must be an array";
    return false;
  }
  out = value.As<Napi::Array>();
  return true;
}

bool readObjectAt(Napi::Array array, uint32_t i, Napi::Object& out, std::string& error, const std::string& where) {
  Napi::Value value = array.Get(i);
  if (!value.IsObject()) {
    error = where + " must be an object";
    return false;
  }
  out = value.As<Napi::Object>();
  return true;
}

bool parseGrouping(const std::string& name, Grouping& out) {
  static const struct {
    const char* name;
    Grouping grouping;
  } kNames[] = {{"shuffle", Grouping::kShuffle}, {"fields", Grouping::kFields}, {"all", Grouping::kAll}, {"global", Grouping::kGlobal},
                {"none", Grouping::kNone},       {"direct", Grouping::kDirect}, {"custom", Grouping::kCustom}};
  for (const auto& entry : kNames) {
    if (name == entry.name) {
      out = entry.grouping;
      return true;
    }
  }
  return false;
}

bool subscriberFromJs(Napi::Object object, SubscriberSpec& out, std::string& error, const std::string& where) {
  std::string grouping;
  Napi::Array fields, tasks;
  if (!readString(object, "component", out.component, error, where) || !readString(object, "grouping", grouping, error, where) ||
      !readArray(object, "fieldIndices", fields, error, where) || !readArray(object, "tasks", tasks, error, where)) {
    return false;
  }
  if (!parseGrouping(grouping, out.grouping)) {
    error = where + ".grouping '" + grouping + "' is not one of shuffle, fields, all, global, none, direct, custom";
    return false;
  }
  for (uint32_t i = 0; i < fields.Length(); ++i) {
    Napi::Value v = fields.Get(i);
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0 && d < 65536 && d == static_cast<double>(static_cast<uint32_t>(d)))) {
      error = where + ".fieldIndices[" + std::to_string(i) + "] must be an integer from 0 to 65535";
      return false;
    }
    out.fieldIndices.push_back(static_cast<uint32_t>(d));
  }
  for (uint32_t i = 0; i < tasks.Length(); ++i) {
    Napi::Value v = tasks.Get(i);
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0 && d <= 2147483647.0 && d == static_cast<double>(static_cast<int32_t>(d)))) {
      error = where + ".tasks[" + std::to_string(i) + "] must be a task id (an integer from 0 to 2^31-1)";
      return false;
    }
    out.tasks.push_back(static_cast<int32_t>(d));
  }
  return true;
}

}  // namespace

Napi::Object connectionToJs(Napi::Env env, const ConnectionInfo& info) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("id", Napi::Number::New(env, info.id));
  object.Set("kind", Napi::String::New(env, connectionKindName(info.kind)));
  if (info.taskId >= 0) object.Set("taskId", Napi::Number::New(env, info.taskId));
  if (!info.stmgrId.empty()) object.Set("stmgrId", Napi::String::New(env, info.stmgrId));
  return object;
}

bool optionsFromJs(Napi::Env env, Napi::Value value, EngineOptions& out) {
  std::string error;
  if (!value.IsObject()) {
    error = "options must be an object";
  } else {
    Napi::Object object = value.As<Napi::Object>();
    int64_t port, maxFrame, batchMax, drainUs, high, low;
    if (readString(object, "localEndpoint", out.localEndpoint, error, "options") && readString(object, "dataHost", out.dataHost, error, "options") &&
        readInt(object, "dataPort", 0, 65535, port, error, "options") && readInt(object, "maxFrameBytes", 64, INT32_MAX, maxFrame, error, "options") &&
        readInt(object, "batchMaxBytes", 1, INT32_MAX, batchMax, error, "options") && readInt(object, "drainIntervalUs", 0, INT32_MAX, drainUs, error, "options") &&
        readString(object, "topologyName", out.topologyName, error, "options") && readString(object, "topologyId", out.topologyId, error, "options") &&
        readInt(object, "backPressureHighBytes", 1, INT64_C(1) << 50, high, error, "options") &&
        readInt(object, "backPressureLowBytes", 0, INT64_C(1) << 50, low, error, "options")) {
      out.dataPort = static_cast<int>(port);
      out.maxFrameBytes = static_cast<size_t>(maxFrame);
      out.batchMaxBytes = static_cast<size_t>(batchMax);
      out.drainIntervalUs = drainUs;
      out.backPressureHighBytes = static_cast<size_t>(high);
      out.backPressureLowBytes = static_cast<size_t>(low);
      return true;
    }
  }
  Napi::TypeError::New(env, error).ThrowAsJavaScriptException();
  return false;
}

bool routingFromJs(Napi::Value value, RoutingSpec& out, std::string& error) {
  if (!value.IsObject()) {
    error = "routing must be an object";
    return false;
  }
  Napi::Object routing = value.As<Napi::Object>();
  Napi::Array tasks, peers, streams;
  if (!readString(routing, "stmgrId", out.stmgrId, error, "routing") || !readArray(routing, "tasks", tasks, error, "routing") ||
      !readArray(routing, "peers", peers, error, "routing") || !readArray(routing, "streams", streams, error, "routing") ||
      !readOptionalBool(routing, "dropTuplesUponBackPressure", out.dropTuplesUponBackPressure, error, "routing")) {
    return false;
  }
  Napi::Value reliability = routing.Get("reliability");
  if (!reliability.IsUndefined()) {
    const std::string mode = reliability.IsString() ? reliability.As<Napi::String>().Utf8Value() : std::string();
    if (mode != "ATMOST_ONCE" && mode != "ATLEAST_ONCE") {
      error = "routing.reliability must be 'ATMOST_ONCE' or 'ATLEAST_ONCE'";
      return false;
    }
    out.atLeastOnce = mode == "ATLEAST_ONCE";
  }
  if (!routing.Get("messageTimeoutMs").IsUndefined() && !readInt(routing, "messageTimeoutMs", 0, INT32_MAX, out.messageTimeoutMs, error, "routing")) return false;
  for (uint32_t i = 0; i < tasks.Length(); ++i) {
    const std::string where = "routing.tasks[" + std::to_string(i) + "]";
    Napi::Object task;
    TaskSpec spec;
    int64_t id;
    if (!readObjectAt(tasks, i, task, error, where) || !readInt(task, "taskId", 0, INT32_MAX, id, error, where) ||
        !readString(task, "component", spec.component, error, where) || !readString(task, "stmgrId", spec.stmgrId, error, where)) {
      return false;
    }
    spec.taskId = static_cast<int32_t>(id);
    out.tasks.push_back(std::move(spec));
  }
  for (uint32_t i = 0; i < peers.Length(); ++i) {
    const std::string where = "routing.peers[" + std::to_string(i) + "]";
    Napi::Object peer;
    PeerSpec spec;
    int64_t port;
    if (!readObjectAt(peers, i, peer, error, where) || !readString(peer, "stmgrId", spec.stmgrId, error, where) ||
        !readString(peer, "host", spec.host, error, where) || !readInt(peer, "port", 1, 65535, port, error, where)) {
      return false;
    }
    spec.port = static_cast<int>(port);
    out.peers.push_back(std::move(spec));
  }
  for (uint32_t i = 0; i < streams.Length(); ++i) {
    const std::string where = "routing.streams[" + std::to_string(i) + "]";
    Napi::Object stream;
    StreamSpec spec;
    Napi::Array subscribers;
    if (!readObjectAt(streams, i, stream, error, where) || !readString(stream, "component", spec.component, error, where) ||
        !readString(stream, "stream", spec.stream, error, where) || !readArray(stream, "subscribers", subscribers, error, where)) {
      return false;
    }
    for (uint32_t j = 0; j < subscribers.Length(); ++j) {
      const std::string subWhere = where + ".subscribers[" + std::to_string(j) + "]";
      Napi::Object subscriber;
      SubscriberSpec sub;
      if (!readObjectAt(subscribers, j, subscriber, error, subWhere) || !subscriberFromJs(subscriber, sub, error, subWhere)) return false;
      spec.subscribers.push_back(std::move(sub));
    }
    out.streams.push_back(std::move(spec));
  }
  return true;
}

}  // namespace egret
