import { formatPath, type SpecProblem, specProblems } from './spec-issues.js';
import { freezeTopology } from './freeze-topology.js';
import {
  type BoltSpec,
  type ParsedBoltSpec,
  type ParsedSpoutSpec,
  type SpoutSpec,
  type StreamSpec,
  specSchemas,
  type TopologySpec,
} from './topology-spec-schema.js';
import {
  type BoltDefinition,
  type ComponentDefinition,
  DEFAULT_STREAM,
  type Grouping,
  type InputDefinition,
  type SpoutDefinition,
  type StreamDefinition,
  type TopologyDefinition,
} from './topology-definition.js';
import { TopologyError } from './topology-error.js';
import { findTopologyProblems } from './topology-validation.js';

/**
 * Reads a topology from its declarative form (the parsed text of a JSON or YAML file; see {@link TopologySpec}).
 * Checks the shape first (unknown keys and wrong types), then the rules of the model with `validateTopology`.
 * Returns a deeply frozen definition whose components have no factories: it can be packed and inspected, not run.
 * Throws a TOPOLOGY_INVALID {@link TopologyError} whose problems each start with `source` and the path in it,
 * such as `topology.yaml: bolts[0].inptus: unknown key (did you mean 'inputs'?); expected one of ...`.
 */
export function topologyFromSpec(spec: unknown, source: string): TopologyDefinition {
  const parsed = specSchemas().topology.safeParse(spec, { reportInput: true });
  if (!parsed.success) throw invalidSpec(spec, source, specProblems(parsed.error.issues));
  const { name, spouts, bolts = [], config = {} } = parsed.data;
  const topology: TopologyDefinition = {
    name,
    spouts: spouts.map((spout): SpoutDefinition => ({ ...componentFromSpec(spout), kind: 'spout' })),
    bolts: bolts.map(boltFromSpec),
    config,
  };
  const problems = findTopologyProblems(topology);
  if (problems.length > 0) throw invalidSpec(spec, source, problems);
  return freezeTopology(topology);
}

/**
 * The declarative form of a topology: the inverse of {@link topologyFromSpec}, for tools that write spec files.
 * Every default is spelled out (parallelism, stream, grouping); factories and custom grouping code are dropped.
 */
export function topologyToSpec(topology: TopologyDefinition): TopologySpec {
  return {
    name: topology.name,
    spouts: topology.spouts.map((spout): SpoutSpec => componentToSpec(spout)),
    bolts: topology.bolts.map(
      (bolt): BoltSpec => ({
        ...componentToSpec(bolt),
        inputs: bolt.inputs.map((input) => ({
          component: input.component,
          stream: input.stream,
          grouping: input.grouping.type,
          ...(input.grouping.type === 'fields' ? { fields: [...input.grouping.fields] } : {}),
        })),
      }),
    ),
    config: topology.config,
  };
}

function componentFromSpec(spec: ParsedSpoutSpec): Omit<SpoutDefinition, 'kind' | 'factory'> {
  const outputs = Object.entries(spec.outputs ?? {}).map(
    ([id, stream]): StreamDefinition => (Array.isArray(stream) ? { id, fields: stream, direct: false } : { id, fields: stream.fields, direct: stream.direct ?? false }),
  );
  return {
    name: spec.name,
    parallelism: spec.parallelism ?? 1,
    resources: {
      ...(spec.cpu === undefined ? {} : { cpu: spec.cpu }),
      ...(spec.ram === undefined ? {} : { ram: spec.ram }),
      ...(spec.disk === undefined ? {} : { disk: spec.disk }),
    },
    outputs,
    config: spec.config ?? {},
  };
}

function boltFromSpec(spec: ParsedBoltSpec): BoltDefinition {
  const inputs = (spec.inputs ?? []).map((input): InputDefinition => {
    const type = input.grouping ?? 'shuffle';
    // The schema guarantees `fields` for a fields grouping.
    const grouping: Grouping = type === 'fields' ? { type, fields: input.fields ?? [] } : { type };
    return { component: input.component, stream: input.stream ?? DEFAULT_STREAM, grouping };
  });
  return { ...componentFromSpec(spec), kind: 'bolt', inputs };
}

function componentToSpec(component: ComponentDefinition): SpoutSpec {
  const { cpu, ram, disk } = component.resources;
  const outputs: Record<string, StreamSpec> = {};
  for (const stream of component.outputs) outputs[stream.id] = stream.direct ? { fields: [...stream.fields], direct: true } : [...stream.fields];
  return {
    name: component.name,
    parallelism: component.parallelism,
    ...(cpu === undefined ? {} : { cpu }),
    ...(ram === undefined ? {} : { ram }),
    ...(disk === undefined ? {} : { disk }),
    outputs,
    ...(Object.keys(component.config).length === 0 ? {} : { config: component.config }),
  };
}

function invalidSpec(spec: unknown, source: string, problems: readonly SpecProblem[]): TopologyError {
  const lines = problems.map(({ path, message }) => (path.length === 0 ? `${source}: ${message}` : `${source}: ${formatPath(path)}: ${message}`));
  const name = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>).name : undefined;
  if (typeof name === 'string' && name !== '') return TopologyError.invalid(name, lines);
  const heading = `the topology in ${source} is invalid`;
  const message = lines.length === 1 ? `${heading}: ${lines[0]}` : `${heading}:\n${lines.map((line) => `  - ${line}`).join('\n')}`;
  return new TopologyError(message, { code: 'TOPOLOGY_INVALID', problems: lines });
}
