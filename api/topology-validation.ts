import type { ConfigMap } from './config-value.js';
import { checkInputs } from './input-validation.js';
import { readTopologyConfig } from './topology-config.js';
import type { ComponentDefinition, TopologyDefinition } from './topology-definition.js';
import { TopologyError } from './topology-error.js';
import { describeValue, nameProblem, type ReportProblem, type TopologyProblem } from './topology-problem.js';

/**
 * Checks a topology against the rules of the model and returns one message per problem, each naming the
 * component (and stream, field or config key) and the rule; empty when the topology is valid. Never throws for
 * a problem of the topology. `TopologyBuilder.build` and `topologyFromSpec` throw
 * `TopologyError.invalid(name, problems)` when this is not empty.
 */
export function validateTopology(topology: TopologyDefinition): string[] {
  return findTopologyProblems(topology).map((problem) => problem.message);
}

/** {@link validateTopology} with where each problem is, as a path into the spec form. */
export function findTopologyProblems(topology: TopologyDefinition): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const report: ReportProblem = (path, message) => problems.push({ path, message });

  const topologyName = nameProblem(topology.name, 'topology name');
  if (topologyName !== undefined) report(['name'], topologyName);
  if (topology.spouts.length === 0) report(['spouts'], 'a topology needs at least one spout');

  const byName = new Map<string, ComponentDefinition>();
  const located: Array<[ComponentDefinition, readonly (string | number)[]]> = [
    ...topology.spouts.map((spout, i): [ComponentDefinition, (string | number)[]] => [spout, ['spouts', i]]),
    ...topology.bolts.map((bolt, i): [ComponentDefinition, (string | number)[]] => [bolt, ['bolts', i]]),
  ];
  for (const [component, path] of located) {
    const label = `${component.kind} '${component.name}'`;
    const name = nameProblem(component.name, 'component name', 'system components');
    if (name !== undefined) report([...path, 'name'], `${label}: ${name}`);
    const other = byName.get(component.name);
    if (other === undefined) byName.set(component.name, component);
    else report([...path, 'name'], `${label}: the name is already used by ${other === component ? 'the same component' : `a ${other.kind}`}; component names must be unique across spouts and bolts`);
    checkComponent(component, label, path, report);
  }
  topology.bolts.forEach((bolt, i) => checkInputs(bolt, ['bolts', i], byName, report));
  checkConfig(topology.config, 'topology config', ['config'], report);
  return problems;
}

function checkComponent(component: ComponentDefinition, label: string, path: readonly (string | number)[], report: ReportProblem): void {
  const { parallelism } = component;
  if (!(Number.isSafeInteger(parallelism) && parallelism >= 1)) {
    report([...path, 'parallelism'], `${label}: parallelism must be a whole number >= 1, got ${describeValue(parallelism)}`);
  }
  const { cpu, ram, disk } = component.resources;
  if (cpu !== undefined && !(typeof cpu === 'number' && Number.isFinite(cpu) && cpu > 0)) {
    report([...path, 'cpu'], `${label}: cpu must be a number of cores > 0, got ${describeValue(cpu)}`);
  }
  for (const [resource, bytes] of [['ram', ram], ['disk', disk]] as const) {
    if (bytes !== undefined && !(Number.isSafeInteger(bytes) && bytes >= 0)) {
      report([...path, resource], `${label}: ${resource} must be a whole number of bytes >= 0, got ${describeValue(bytes)}`);
    }
  }
  checkOutputs(component, label, path, report);
  checkConfig(component.config, `${label} config`, [...path, 'config'], report);
}

function checkOutputs(component: ComponentDefinition, label: string, path: readonly (string | number)[], report: ReportProblem): void {
  const streams = new Set<string>();
  for (const stream of component.outputs) {
    const at = [...path, 'outputs', stream.id];
    const idProblem = nameProblem(stream.id, 'stream id', 'system streams');
    if (idProblem !== undefined) report(at, `${label}: ${idProblem}`);
    if (streams.has(stream.id)) report(at, `${label}: stream '${stream.id}' is declared more than once`);
    streams.add(stream.id);
    if (!Array.isArray(stream.fields)) {
      report(at, `${label}: stream '${stream.id}': fields must be a list of names, got ${describeValue(stream.fields)}`);
      continue;
    }
    const fields = new Set<string>();
    stream.fields.forEach((field: unknown, i) => {
      if (typeof field !== 'string' || field === '') {
        report([...at, i], `${label}: stream '${stream.id}': field ${i + 1} must be a non-empty string, got ${describeValue(field)}`);
      } else if (fields.has(field)) {
        report([...at, i], `${label}: stream '${stream.id}': field '${field}' is declared more than once`);
      } else {
        fields.add(field);
      }
    });
  }
}

/** Bad values of the known `topology.*` keys become problems; unknown keys are left to `unknownTopologyKeys`. */
function checkConfig(config: ConfigMap, source: string, path: readonly (string | number)[], report: ReportProblem): void {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    report(path, `${source} must be a map of keys to values, got ${describeValue(config)}`);
    return;
  }
  try {
    readTopologyConfig(config, () => source);
  } catch (error) {
    if (!(error instanceof TopologyError && error.code === 'TOPOLOGY_CONFIG_INVALID')) throw error;
    for (const problem of error.problems) report(path, problem);
  }
}
