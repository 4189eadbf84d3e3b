import type { ConfigMap, ConfigValue } from '../../api/config-value.js';
import type {
  BoltDefinition,
  Grouping,
  GroupingType,
  InputDefinition,
  ResourceRequest,
  SpoutDefinition,
  StreamDefinition,
  TopologyDefinition,
} from '../../api/topology-definition.js';
import { configFromProto, configToProto, keyValueToProto } from './config-codec.js';
import { heron } from './generated/egret-proto.js';
import { ProtoCodecError } from './proto-codec-error.js';

import api = heron.proto.api;

/** Component config keys the codec writes from the definition's own fields (Heron's names). */
export const ComponentConfigKeys = {
  PARALLELISM: 'topology.component.parallelism',
  CPU: 'topology.component.cpu',
  RAM: 'topology.component.ram',
  DISK: 'topology.component.disk',
} as const;

const RESERVED_KEYS: ReadonlySet<string> = new Set(Object.values(ComponentConfigKeys));

export interface TopologyToProtoOptions {
  /** The topology id (unique per submission). */
  readonly id: string;
  /** Default RUNNING. */
  readonly state?: 'RUNNING' | 'PAUSED';
}

const GROUPING_TO_PROTO: Readonly<Record<GroupingType, api.Grouping>> = {
  shuffle: api.Grouping.SHUFFLE,
  fields: api.Grouping.FIELDS,
  all: api.Grouping.ALL,
  global: api.Grouping.LOWEST,
  none: api.Grouping.NONE,
  direct: api.Grouping.DIRECT,
  custom: api.Grouping.CUSTOM,
};

const GROUPING_FROM_PROTO: ReadonlyMap<number, GroupingType> = new Map(
  Object.entries(GROUPING_TO_PROTO).map(([type, gtype]) => [gtype, type as GroupingType]),
);

/** The grouping an InputStream's `gtype` names (Heron's LOWEST is `global`); undefined for a value Heron does not define. */
export function groupingTypeOf(gtype: number): GroupingType | undefined {
  return GROUPING_FROM_PROTO.get(gtype);
}

/**
 * The Heron `Topology` message of a topology: component config carries the parallelism and resource requests
 * under Heron's `topology.component.*` keys. Factories and custom grouping objects are code, and stay out.
 * Throws {@link ProtoCodecError} (PROTO_UNENCODABLE) for a config value JSON cannot carry, or a component config
 * that sets one of the keys the codec writes itself.
 */
export function topologyToProto(topology: TopologyDefinition, options: TopologyToProtoOptions): api.Topology {
  return api.Topology.create({
    id: options.id,
    name: topology.name,
    spouts: topology.spouts.map((spout) => ({ comp: componentToProto(spout), outputs: spout.outputs.map((s) => outputToProto(spout.name, s)) })),
    bolts: topology.bolts.map((bolt) => ({
      comp: componentToProto(bolt),
      inputs: bolt.inputs.map(inputToProto),
      outputs: bolt.outputs.map((s) => outputToProto(bolt.name, s)),
    })),
    state: options.state === 'PAUSED' ? api.TopologyState.PAUSED : api.TopologyState.RUNNING,
    topologyConfig: configToProto(topology.config, 'topology config'),
  });
}

function componentToProto(component: SpoutDefinition | BoltDefinition): api.Component.$Properties {
  const where = `component '${component.name}'`;
  for (const key of Object.keys(component.config)) {
    if (RESERVED_KEYS.has(key)) {
      throw new ProtoCodecError(`${where}: config key '${key}' is written from the component's parallelism and resources; set those instead`, {
        code: 'PROTO_UNENCODABLE',
      });
    }
  }
  const config = configToProto(component.config, where);
  const extra: Array<[string, number | undefined]> = [
    [ComponentConfigKeys.PARALLELISM, component.parallelism],
    [ComponentConfigKeys.CPU, component.resources.cpu],
    [ComponentConfigKeys.RAM, component.resources.ram],
    [ComponentConfigKeys.DISK, component.resources.disk],
  ];
  for (const [key, value] of extra) if (value !== undefined) config.kvs!.push(keyValueToProto(key, value, where));
  return { name: component.name, config };
}

function outputToProto(component: string, stream: StreamDefinition): api.OutputStream.$Properties {
  return { stream: { id: stream.id, componentName: component }, schema: schemaOf(stream.fields), direct: stream.direct };
}

function inputToProto(input: InputDefinition): api.InputStream.$Properties {
  const proto: api.InputStream.$Properties = {
    stream: { id: input.stream, componentName: input.component },
    gtype: GROUPING_TO_PROTO[input.grouping.type],
  };
  if (input.grouping.type === 'fields') proto.groupingFields = schemaOf(input.grouping.fields);
  return proto;
}

function schemaOf(fields: readonly string[]): api.StreamSchema.$Properties {
  return { keys: fields.map((key) => ({ key, type: api.Type.OBJECT })) };
}

/**
 * The topology a Heron `Topology` message describes, without factories (a message names no code): it can be
 * packed and inspected, not run. The reverse of {@link topologyToProto}. Throws {@link ProtoCodecError}
 * (PROTO_MALFORMED) naming the component and key for an unknown grouping, a missing or invalid parallelism or
 * resource, or a config value that is not valid JSON.
 */
export function topologyFromProto(proto: api.Topology.$Properties): TopologyDefinition {
  return {
    name: proto.name,
    spouts: (proto.spouts ?? []).map((spout): SpoutDefinition => ({
      kind: 'spout',
      ...componentFromProto(spout.comp),
      outputs: (spout.outputs ?? []).map(outputFromProto),
    })),
    bolts: (proto.bolts ?? []).map((bolt): BoltDefinition => {
      const where = `component '${bolt.comp.name}'`;
      return {
        kind: 'bolt',
        ...componentFromProto(bolt.comp),
        inputs: (bolt.inputs ?? []).map((input) => inputFromProto(input, where)),
        outputs: (bolt.outputs ?? []).map(outputFromProto),
      };
    }),
    config: configFromProto(proto.topologyConfig, 'topology config'),
  };
}

interface ComponentFields {
  readonly name: string;
  readonly parallelism: number;
  readonly resources: ResourceRequest;
  readonly config: ConfigMap;
}

function componentFromProto(comp: api.Component.$Properties): ComponentFields {
  const where = `component '${comp.name}'`;
  const config = configFromProto(comp.config, where);
  const take = (key: string, valid: (n: number) => boolean, expected: string): number | undefined => {
    if (!Object.hasOwn(config, key)) return undefined;
    const raw = config[key];
    delete config[key];
    const value = numberOf(raw);
    if (value === undefined || !valid(value)) {
      throw new ProtoCodecError(`${where}: config key '${key}' must be ${expected}, not ${JSON.stringify(raw)}`, { code: 'PROTO_MALFORMED' });
    }
    return value;
  };
  const parallelism = take(ComponentConfigKeys.PARALLELISM, (n) => Number.isSafeInteger(n) && n >= 1, 'a whole number >= 1');
  if (parallelism === undefined) {
    throw new ProtoCodecError(`${where}: config key '${ComponentConfigKeys.PARALLELISM}' is missing`, { code: 'PROTO_MALFORMED' });
  }
  const cpu = take(ComponentConfigKeys.CPU, (n) => Number.isFinite(n) && n > 0, 'a number of cores > 0');
  const ram = take(ComponentConfigKeys.RAM, (n) => Number.isSafeInteger(n) && n >= 0, 'a whole number of bytes');
  const disk = take(ComponentConfigKeys.DISK, (n) => Number.isSafeInteger(n) && n >= 0, 'a whole number of bytes');
  const resources: { cpu?: number; ram?: number; disk?: number } = {};
  if (cpu !== undefined) resources.cpu = cpu;
  if (ram !== undefined) resources.ram = ram;
  if (disk !== undefined) resources.disk = disk;
  return { name: comp.name, parallelism, resources, config };
}

/** A number, or a numeric string as Heron's own writers store numbers. */
function numberOf(value: ConfigValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function outputFromProto(output: api.OutputStream.$Properties): StreamDefinition {
  return { id: output.stream.id, fields: fieldsOf(output.schema), direct: output.direct === true };
}

function inputFromProto(input: api.InputStream.$Properties, where: string): InputDefinition {
  const stream = `${where}: input '${input.stream.componentName}/${input.stream.id}'`;
  return { component: input.stream.componentName, stream: input.stream.id, grouping: groupingFromProto(input, stream) };
}

function groupingFromProto(input: api.InputStream.$Properties, where: string): Grouping {
  switch (input.gtype) {
    case api.Grouping.SHUFFLE:
      return { type: 'shuffle' };
    case api.Grouping.FIELDS:
      if (input.groupingFields == null) throw new ProtoCodecError(`${where}: fields grouping without grouping_fields`, { code: 'PROTO_MALFORMED' });
      return { type: 'fields', fields: fieldsOf(input.groupingFields) };
    case api.Grouping.ALL:
      return { type: 'all' };
    case api.Grouping.LOWEST:
      return { type: 'global' };
    case api.Grouping.NONE:
      return { type: 'none' };
    case api.Grouping.DIRECT:
      return { type: 'direct' };
    case api.Grouping.CUSTOM:
      return { type: 'custom' };
    default:
      throw new ProtoCodecError(`${where}: unknown grouping ${String(input.gtype)}`, { code: 'PROTO_MALFORMED' });
  }
}

function fieldsOf(schema: api.StreamSchema.$Properties): string[] {
  return (schema.keys ?? []).map((k) => k.key);
}
