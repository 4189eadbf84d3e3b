import type { ConfigMap } from './config-value.js';
import type { TopologyDefinition } from './topology-definition.js';

/** What `egret submit` gives a topology module's default-export function. */
export interface TopologyModuleContext {
  /** The words after the topology file on the `egret submit` command line. */
  readonly args: readonly string[];
  /** The effective cluster config, with the submit command's overrides applied. */
  readonly config: ConfigMap;
}

/**
 * A topology module's default export in its function form: called once by `egret submit` (and once in every
 * task process when the topology runs), it returns the topology, usually from `TopologyBuilder.build`. What it
 * throws fails the submit (or the task) with its message.
 */
export type TopologyModuleFunction = (context: TopologyModuleContext) => TopologyDefinition | Promise<TopologyDefinition>;

/** What a topology module may export as default: a built topology, or a function returning one. */
export type TopologyModuleExport = TopologyDefinition | TopologyModuleFunction;

/** The shape of a topology module (a file given to `egret submit`). */
export interface TopologyModule {
  readonly default: TopologyModuleExport;
}

/**
 * Returns `fn` unchanged. Its only use is typing: `export default defineTopology(({ args }) => ...)` gives the
 * parameter its type without an annotation.
 */
export function defineTopology(fn: TopologyModuleFunction): TopologyModuleFunction {
  return fn;
}

/**
 * True when `value` has the shape of a {@link TopologyDefinition}. Structural on purpose: a topology module may
 * have been bundled with its own copy of Egret, so nothing can be checked by identity. It does not validate the
 * rules of the model; use `validateTopology` for that.
 */
export function isTopologyDefinition(value: unknown): value is TopologyDefinition {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.config)) return false;
  const { spouts, bolts } = value;
  return Array.isArray(spouts) && Array.isArray(bolts) && spouts.every((spout) => isComponent(spout, 'spout')) && bolts.every((bolt) => isComponent(bolt, 'bolt') && Array.isArray(bolt.inputs));
}

function isComponent(value: unknown, kind: 'spout' | 'bolt'): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    value.kind === kind &&
    typeof value.name === 'string' &&
    typeof value.parallelism === 'number' &&
    isRecord(value.resources) &&
    Array.isArray(value.outputs) &&
    isRecord(value.config) &&
    (value.factory === undefined || typeof value.factory === 'function')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
