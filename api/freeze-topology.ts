import type { ConfigMap, ConfigValue } from './config-value.js';
import type { BoltDefinition, ComponentDefinition, InputDefinition, SpoutDefinition, StreamDefinition, TopologyDefinition } from './topology-definition.js';

/**
 * A deeply frozen copy of a topology: every array, record and config value is copied and frozen, so later
 * changes to what the builder or the spec was given cannot reach the definition. Factories and custom grouping
 * implementations are kept by reference and not frozen: they are user objects that may keep state.
 */
export function freezeTopology(topology: TopologyDefinition): TopologyDefinition {
  return Object.freeze({
    name: topology.name,
    spouts: Object.freeze(topology.spouts.map(freezeSpout)),
    bolts: Object.freeze(topology.bolts.map(freezeBolt)),
    config: freezeConfig(topology.config),
  });
}

function freezeSpout(spout: SpoutDefinition): SpoutDefinition {
  return Object.freeze({ ...freezeCommon(spout), kind: 'spout' as const, ...(spout.factory ? { factory: spout.factory } : {}) });
}

function freezeBolt(bolt: BoltDefinition): BoltDefinition {
  return Object.freeze({
    ...freezeCommon(bolt),
    kind: 'bolt' as const,
    inputs: Object.freeze(bolt.inputs.map(freezeInput)),
    ...(bolt.factory ? { factory: bolt.factory } : {}),
  });
}

function freezeCommon(component: ComponentDefinition): Omit<ComponentDefinition, 'kind' | 'factory'> {
  const { cpu, ram, disk } = component.resources;
  return {
    name: component.name,
    parallelism: component.parallelism,
    resources: Object.freeze({
      ...(cpu === undefined ? {} : { cpu }),
      ...(ram === undefined ? {} : { ram }),
      ...(disk === undefined ? {} : { disk }),
    }),
    outputs: Object.freeze(component.outputs.map(freezeStream)),
    config: freezeConfig(component.config),
  };
}

function freezeStream(stream: StreamDefinition): StreamDefinition {
  // A non-list `fields` (from JavaScript) is kept as it is for validation to report.
  const fields = Array.isArray(stream.fields) ? Object.freeze([...stream.fields]) : stream.fields;
  return Object.freeze({ id: stream.id, fields, direct: stream.direct });
}

function freezeInput(input: InputDefinition): InputDefinition {
  const { grouping: given } = input;
  const grouping = given.type === 'fields' && Array.isArray(given.fields) ? { type: 'fields' as const, fields: Object.freeze([...given.fields]) } : { ...given };
  return Object.freeze({ component: input.component, stream: input.stream, grouping: Object.freeze(grouping) });
}

/** A frozen deep copy of a config map. */
export function freezeConfig(config: ConfigMap): ConfigMap {
  return freezeValue(config) as ConfigMap;
}

function freezeValue(value: ConfigValue): ConfigValue {
  if (Array.isArray(value)) return Object.freeze(value.map(freezeValue));
  if (value !== null && typeof value === 'object') {
    return Object.freeze(Object.fromEntries(Object.entries(value).map(([key, item]) => [key, freezeValue(item)])));
  }
  return value;
}
