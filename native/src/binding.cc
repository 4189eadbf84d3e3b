// The Node-API surface of the data path: a DataPathHandle class wrapping the engine. Everything here runs on the
// JS thread; the engine's own thread reaches JS only through the thread-safe function below.
#include <napi.h>

#include <cstring>
#include <memory>

#include "engine.h"
#include "js_convert.h"

namespace egret {

namespace {

struct Core;
void callJs(Napi::Env env, Napi::Function listener, Core* core, Event* event);
using EventFunction = Napi::TypedThreadSafeFunction<Core, Event, callJs>;

/**
 * What the handle and the thread-safe function share. Either may outlive the other (the handle can be collected
 * with events still queued; the function is finalized after the handle at environment teardown), so both hold it.
 */
struct Core : EventSink {
  std::unique_ptr<Engine> engine;
  EventFunction events;
  bool eventsLive = false;
  bool eventsReleased = false;
  napi_env env = nullptr;
  bool cleanupHookAdded = false;
  std::unique_ptr<Napi::Promise::Deferred> closing;

  void emit(std::unique_ptr<Event> event) override {
    if (events.NonBlockingCall(event.get()) == napi_ok) event.release();
  }

  void releaseEvents() {
    if (eventsLive && !eventsReleased) events.Release();
    eventsReleased = true;
  }

  void removeCleanupHook() {
    if (cleanupHookAdded) napi_remove_env_cleanup_hook(env, &Core::onEnvironmentCleanup, this);
    cleanupHookAdded = false;
  }

  // The environment is going away (process exit, worker termination) with the thread still running: stop it
  // before the thread-safe function and the rest of Node's state it might touch are torn down.
  static void onEnvironmentCleanup(void* self) {
    Core* core = static_cast<Core*>(self);
    core->cleanupHookAdded = false;
    core->engine->stopSilently();
  }
};

void callJs(Napi::Env env, Napi::Function listener, Core* core, Event* raw) {
  std::unique_ptr<Event> event(raw);
  if (env == nullptr || event == nullptr) return;  // teardown: drop what is left
  if (event->kind == Event::Kind::kStopped) {
    core->engine->join();
    core->removeCleanupHook();
    core->releaseEvents();
    if (core->closing) core->closing->Resolve(env.Undefined());
    return;
  }
  listener.Call({eventToJs(env, *event)});
}

class DataPathHandle : public Napi::ObjectWrap<DataPathHandle> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "DataPathHandle",
                       {InstanceMethod<&DataPathHandle::Start>("start"), InstanceMethod<&DataPathHandle::SetRouting>("setRouting"),
                        InstanceMethod<&DataPathHandle::AttachTask>("attachTask"), InstanceMethod<&DataPathHandle::AttachPeer>("attachPeer"),
                        InstanceMethod<&DataPathHandle::SetPeerHello>("setPeerHello"), InstanceMethod<&DataPathHandle::Send>("send"),
                        InstanceMethod<&DataPathHandle::CloseConnection>("closeConnection"), InstanceMethod<&DataPathHandle::Stats>("stats"),
                        InstanceMethod<&DataPathHandle::Close>("close")});
  }

  /** new DataPathHandle(options, listener): the listener must not reference this handle, or it is never collected. */
  explicit DataPathHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DataPathHandle>(info), core_(std::make_shared<Core>()) {
    Napi::Env env = info.Env();
    EngineOptions options;
    if (!optionsFromJs(env, info[0], options)) return;
    if (!info[1].IsFunction()) {
      Napi::TypeError::New(env, "the event listener must be a function").ThrowAsJavaScriptException();
      return;
    }
    listener_ = Napi::Persistent(info[1].As<Napi::Function>());
    core_->env = env;
    core_->engine = std::make_unique<Engine>(std::move(options), *core_);
  }

  ~DataPathHandle() override {
    // Collected without close(): stop the thread here; events already queued still reach the listener.
    if (!core_->engine) return;
    core_->removeCleanupHook();
    core_->engine->stopSilently();
    core_->releaseEvents();
  }

 private:
  bool usable(Napi::Env env) {
    if (core_->engine && !closed_) return true;
    Napi::Error::New(env, "the data path is closed").ThrowAsJavaScriptException();
    return false;
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!usable(env)) return env.Undefined();
    if (core_->engine->started()) {
      Napi::Error::New(env, "the data path is already started").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    // The holder is the function's context's owner: freed by its finalizer, whenever that runs.
    auto* holder = new std::shared_ptr<Core>(core_);
    core_->events = EventFunction::New(env, listener_.Value(), "egret-data-path", 0, 1, core_.get(),
                                       [](Napi::Env, std::shared_ptr<Core>* owned, Core* core) {
                                         core->eventsLive = false;
                                         delete owned;
                                       },
                                       holder);
    core_->eventsLive = true;
    listener_.Reset();
    int port = 0;
    std::string error;
    if (!core_->engine->start(port, error)) {
      core_->releaseEvents();
      Napi::Error::New(env, error).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    // Added after the thread-safe function, so it runs before the function's own cleanup (hooks run last first).
    if (napi_add_env_cleanup_hook(env, &Core::onEnvironmentCleanup, core_.get()) == napi_ok) core_->cleanupHookAdded = true;
    return Napi::Number::New(env, port);
  }

  Napi::Value SetRouting(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!usable(env)) return env.Undefined();
    RoutingSpec spec;
    std::string error;
    if (!routingFromJs(info[0], spec, error)) {
      Napi::TypeError::New(env, error).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Command command;
    command.kind = Command::Kind::kSetRouting;
    command.routing = RoutingTable::build(spec, static_cast<uint64_t>(monotonicUs()) ^ reinterpret_cast<uintptr_t>(this), error);
    if (!command.routing) {
      Napi::RangeError::New(env, "invalid routing: " + error).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    command.peers = std::move(spec.peers);
    core_->engine->post(std::move(command));
    return env.Undefined();
  }

  Napi::Value AttachTask(const Napi::CallbackInfo& info) {
    Command command;
    command.kind = Command::Kind::kAttachTask;
    command.connection = info[0].As<Napi::Number>().Uint32Value();
    command.taskId = info[1].As<Napi::Number>().Int32Value();
    return post(info, std::move(command));
  }

  Napi::Value AttachPeer(const Napi::CallbackInfo& info) {
    Command command;
    command.kind = Command::Kind::kAttachPeer;
    command.connection = info[0].As<Napi::Number>().Uint32Value();
    command.text = info[1].As<Napi::String>().Utf8Value();
    return post(info, std::move(command));
  }

  Napi::Value SetPeerHello(const Napi::CallbackInfo& info) {
    Command command;
    command.kind = Command::Kind::kSetPeerHello;
    command.messageType = info[0].As<Napi::String>().Utf8Value();
    Napi::Buffer<uint8_t> payload = info[1].As<Napi::Buffer<uint8_t>>();
    command.payload.assign(payload.Data(), payload.Data() + payload.Length());
    command.intervalMs = info[2].As<Napi::Number>().Uint32Value();
    return post(info, std::move(command));
  }

  Napi::Value Send(const Napi::CallbackInfo& info) {
    Command command;
    command.kind = Command::Kind::kSend;
    command.connection = info[0].As<Napi::Number>().Uint32Value();
    command.messageType = info[1].As<Napi::String>().Utf8Value();
    Napi::Buffer<uint8_t> payload = info[2].As<Napi::Buffer<uint8_t>>();
    command.payload.assign(payload.Data(), payload.Data() + payload.Length());
    if (info[3].IsBuffer()) {
      Napi::Buffer<uint8_t> id = info[3].As<Napi::Buffer<uint8_t>>();
      command.hasRequestId = id.Length() == kRequestIdBytes;
      if (command.hasRequestId) std::memcpy(command.requestId, id.Data(), kRequestIdBytes);
    }
    return post(info, std::move(command));
  }

  Napi::Value CloseConnection(const Napi::CallbackInfo& info) {
    Command command;
    command.kind = Command::Kind::kCloseConnection;
    command.connection = info[0].As<Napi::Number>().Uint32Value();
    command.text = info[1].As<Napi::String>().Utf8Value();
    return post(info, std::move(command));
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!usable(env)) return env.Undefined();
    StatsSnapshot stats;
    if (!core_->engine->stats(stats)) {
      Napi::Error::New(env, "the data thread did not answer a stats request within 10 s").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return statsToJs(env, stats);
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (closed_) return closePromise_.Value();
    closed_ = true;
    auto deferred = std::make_unique<Napi::Promise::Deferred>(env);
    closePromise_ = Napi::Persistent(deferred->Promise());
    if (!core_->engine || !core_->engine->started()) {
      deferred->Resolve(env.Undefined());
      return closePromise_.Value();
    }
    core_->closing = std::move(deferred);
    Command command;
    command.kind = Command::Kind::kStop;
    core_->engine->post(std::move(command));
    return closePromise_.Value();
  }

  Napi::Value post(const Napi::CallbackInfo& info, Command command) {
    Napi::Env env = info.Env();
    if (env.IsExceptionPending() || !usable(env)) return env.Undefined();
    core_->engine->post(std::move(command));
    return env.Undefined();
  }

  std::shared_ptr<Core> core_;
  Napi::FunctionReference listener_;
  Napi::Reference<Napi::Promise> closePromise_;
  bool closed_ = false;
};

}  // namespace

Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("DataPathHandle", DataPathHandle::Define(env));
  return exports;
}

}  // namespace egret

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return egret::InitAddon(env, exports); }

NODE_API_MODULE(egret_stmgr, Init)
