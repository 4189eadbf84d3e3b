#include "routing.h"

#include <algorithm>
#include <random>

namespace egret {

namespace {

std::string encodeStreamId(const std::string& id, const std::string& component) {
  std::string out(2 * (1 + 5) + id.size() + component.size(), '\0');
  uint8_t* start = reinterpret_cast<uint8_t*>(&out[0]);
  uint8_t* p = writeBytesField(start, 1, id.data(), id.size());
  p = writeBytesField(p, 2, component.data(), component.size());
  out.resize(static_cast<size_t>(p - start));
  return out;
}

}  // namespace

std::unique_ptr<RoutingTable> RoutingTable::build(const RoutingSpec& spec, uint64_t seed, std::string& error) {
  auto table = std::make_unique<RoutingTable>();
  table->stmgrId_ = spec.stmgrId;
  table->atLeastOnce_ = spec.atLeastOnce;
  table->messageTimeoutMs_ = spec.messageTimeoutMs;
  table->dropTuplesUponBackPressure_ = spec.dropTuplesUponBackPressure;
  std::mt19937_64 random(seed);

  std::unordered_map<std::string, uint32_t> componentIndex;
  std::vector<std::vector<uint32_t>> componentSlots;
  auto componentOf = [&](const std::string& name) {
    auto it = componentIndex.find(name);
    if (it != componentIndex.end()) return it->second;
    const uint32_t index = static_cast<uint32_t>(componentSlots.size());
    componentIndex.emplace(name, index);
    componentSlots.emplace_back();
    return index;
  };

  std::vector<TaskSpec> tasks = spec.tasks;
  std::sort(tasks.begin(), tasks.end(), [](const TaskSpec& a, const TaskSpec& b) { return a.taskId < b.taskId; });
  for (const TaskSpec& task : tasks) {
    if (!table->slotByTask_.emplace(task.taskId, static_cast<uint32_t>(table->slots_.size())).second) {
      error = "task " + std::to_string(task.taskId) + " is listed twice";
      return nullptr;
    }
    TaskSlot slot;
    slot.taskId = task.taskId;
    slot.component = componentOf(task.component);
    slot.indexInComponent = static_cast<uint32_t>(componentSlots[slot.component].size());
    slot.local = task.stmgrId == spec.stmgrId;
    slot.stmgrId = task.stmgrId;
    componentSlots[slot.component].push_back(static_cast<uint32_t>(table->slots_.size()));
    table->slots_.push_back(std::move(slot));
  }

  table->streams_.reserve(spec.streams.size());
  for (const StreamSpec& streamSpec : spec.streams) {
    StreamRoute route;
    route.index = static_cast<uint32_t>(table->streams_.size());
    route.component = componentOf(streamSpec.component);
    route.componentName = streamSpec.component;
    route.streamName = streamSpec.stream;
    route.streamIdBytes = encodeStreamId(streamSpec.stream, streamSpec.component);
    const size_t sources = componentSlots[route.component].size();
    for (const SubscriberSpec& subSpec : streamSpec.subscribers) {
      Subscriber sub;
      sub.component = componentOf(subSpec.component);
      sub.grouping = subSpec.grouping;
      sub.fieldIndices = subSpec.fieldIndices;
      for (uint32_t index : sub.fieldIndices) sub.minValues = std::max(sub.minValues, index + 1);
      if (sub.grouping == Grouping::kFields && sub.fieldIndices.empty()) {
        error = "subscriber " + subSpec.component + " of " + streamSpec.component + "/" + streamSpec.stream + " has fields grouping without fields";
        return nullptr;
      }
      std::vector<int32_t> ids = subSpec.tasks;
      std::sort(ids.begin(), ids.end());
      for (int32_t id : ids) {
        const int32_t slot = table->slotOf(id);
        if (slot < 0 || table->slots_[slot].component != sub.component) {
          error = "subscriber " + subSpec.component + " of " + streamSpec.component + "/" + streamSpec.stream + " lists task " + std::to_string(id) +
                  (slot < 0 ? ", which is not a task of the topology" : ", which belongs to another component");
          return nullptr;
        }
        sub.slots.push_back(static_cast<uint32_t>(slot));
      }
      if (!sub.slots.empty()) {
        std::uniform_int_distribution<uint32_t> start(0, static_cast<uint32_t>(sub.slots.size() - 1));
        sub.nextBySource.resize(sources);
        for (uint32_t& next : sub.nextBySource) next = start(random);
      }
      if (sub.grouping == Grouping::kDirect || sub.grouping == Grouping::kCustom) {
        route.directSubscribers.push_back(static_cast<uint32_t>(route.subscribers.size()));
      }
      route.subscribers.push_back(std::move(sub));
    }
    table->streams_.push_back(std::move(route));
  }
  // Only bolts consume streams (PROTOCOL.md §4): a component subscribing to none is a spout.
  std::vector<bool> consumes(componentSlots.size(), false);
  for (const StreamRoute& route : table->streams_) {
    for (const Subscriber& sub : route.subscribers) consumes[sub.component] = true;
  }
  for (TaskSlot& slot : table->slots_) slot.spout = !consumes[slot.component];
  for (const StreamRoute& route : table->streams_) {
    auto& byStream = table->streamIndex_[std::string_view(route.componentName)];
    if (!byStream.emplace(std::string_view(route.streamName), route.index).second) {
      error = "stream " + route.componentName + "/" + route.streamName + " is listed twice";
      return nullptr;
    }
  }
  return table;
}

StreamRoute* RoutingTable::findStream(Span component, Span stream) {
  auto byComponent = streamIndex_.find(std::string_view(reinterpret_cast<const char*>(component.data), component.size));
  if (byComponent == streamIndex_.end()) return nullptr;
  auto it = byComponent->second.find(std::string_view(reinterpret_cast<const char*>(stream.data), stream.size));
  return it == byComponent->second.end() ? nullptr : &streams_[it->second];
}

}  // namespace egret
