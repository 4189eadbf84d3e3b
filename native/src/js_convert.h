// Values between JS and the engine, on the JS thread (part of the Node-API surface, with binding.cc).
#pragma once

#include <napi.h>

#include "engine.h"

namespace egret {

/** Reads DataPathOptions (validated by the TS facade; this checks types only). False with a pending exception. */
bool optionsFromJs(Napi::Env env, Napi::Value value, EngineOptions& out);
/** Reads DataPathRouting. False with `error` saying which field is wrong. */
bool routingFromJs(Napi::Value value, RoutingSpec& out, std::string& error);

/** A connection as DataPathConnection. */
Napi::Object connectionToJs(Napi::Env env, const ConnectionInfo& info);
Napi::Object eventToJs(Napi::Env env, const Event& event);
Napi::Object statsToJs(Napi::Env env, const StatsSnapshot& stats);

}  // namespace egret
