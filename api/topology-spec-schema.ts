import type { z } from 'zod';
import { type Zod, zod } from './zod.js';
import { BYTE_AMOUNT_EXPECTATION, parseByteAmount } from './byte-amount.js';
import type { ConfigMap } from './config-value.js';
import { GROUPING_TYPES, type GroupingType } from './topology-definition.js';
import { describeValue } from './topology-problem.js';

/** A stream in a spec: its fields, or its fields and whether it is direct. */
export type StreamSpec = readonly string[] | { readonly fields: readonly string[]; readonly direct?: boolean };

/** A bolt's subscription in a spec. `stream` defaults to `default`, `grouping` to `shuffle`. */
export interface InputSpec {
  readonly component: string;
  readonly stream?: string;
  readonly grouping?: GroupingType;
  /** Required by, and only allowed with, the `fields` grouping. */
  readonly fields?: readonly string[];
}

/** What spouts and bolts have in common in a spec. */
export interface ComponentSpec {
  readonly name: string;
  /** Tasks; defaults to 1. */
  readonly parallelism?: number;
  /** Cores per task. */
  readonly cpu?: number;
  /** Bytes per task, or a size such as `'2GiB'`. */
  readonly ram?: number | string;
  /** Bytes per task, or a size such as `'10GiB'`. */
  readonly disk?: number | string;
  /** Stream id to fields (or to `{ fields, direct }`). */
  readonly outputs?: Readonly<Record<string, StreamSpec>>;
  readonly config?: ConfigMap;
}

export type SpoutSpec = ComponentSpec;

export interface BoltSpec extends ComponentSpec {
  readonly inputs?: readonly InputSpec[];
}

/**
 * The declarative form of a topology, as a JSON or YAML file states it. It describes the shape of a topology
 * (for packing, inspection and tools) but carries no code, so it cannot be run.
 */
export interface TopologySpec {
  readonly name: string;
  readonly spouts: readonly SpoutSpec[];
  readonly bolts?: readonly BoltSpec[];
  readonly config?: ConfigMap;
}

// The schemas check shapes and types only; the rules of the model (names, ranges, references) are checked by
// validateTopology, so that the builder and spec files report them in the same words.

/** Builds the schemas; {@link specSchemas} does it once, on first use, so that importing the API loads no zod. */
function buildSchemas(z: Zod) {
  const fieldList = z.array(z.string());

  const byteAmount = z.union([z.number(), z.string()]).transform((value, context) => {
    const bytes = parseByteAmount(value);
    if (bytes === undefined) {
      context.addIssue({ code: 'custom', message: `expected ${BYTE_AMOUNT_EXPECTATION}, got ${describeValue(value)}` });
      return z.NEVER;
    }
    return bytes;
  });

  const configMap = z.record(z.string(), z.json());

  const streamSpec = z.union([fieldList, z.strictObject({ fields: fieldList, direct: z.boolean().optional() })]);

  const componentShape = {
    name: z.string(),
    parallelism: z.number().optional(),
    cpu: z.number().optional(),
    ram: byteAmount.optional(),
    disk: byteAmount.optional(),
    outputs: z.record(z.string(), streamSpec).optional(),
    config: configMap.optional(),
  };

  const input = z
    .strictObject({
      component: z.string(),
      stream: z.string().optional(),
      grouping: z.enum(GROUPING_TYPES as [GroupingType, ...GroupingType[]]).optional(),
      fields: fieldList.optional(),
    })
    .superRefine((input, context) => {
      if (input.grouping === 'fields' && input.fields === undefined) {
        context.addIssue({ code: 'custom', path: ['fields'], message: "a fields grouping needs 'fields', the fields to group by" });
      }
      if (input.grouping !== 'fields' && input.fields !== undefined) {
        context.addIssue({ code: 'custom', path: ['fields'], message: `only a fields grouping takes 'fields' (this input's grouping is ${input.grouping ?? 'shuffle, the default'})` });
      }
    });

  const spout = z.strictObject(componentShape);

  const bolt = z.strictObject({ ...componentShape, inputs: z.array(input).optional() });

  const topology = z.strictObject({
    name: z.string(),
    spouts: z.array(spout),
    bolts: z.array(bolt).optional(),
    config: configMap.optional(),
  });
  return { input, spout, bolt, topology };
}

type SpecSchemas = ReturnType<typeof buildSchemas>;
let schemas: SpecSchemas | undefined;

/** The schemas of a spec file's topology, its spouts, bolts and inputs. */
export function specSchemas(): SpecSchemas {
  return (schemas ??= buildSchemas(zod()));
}

export const streamObjectKeys: readonly string[] = ['fields', 'direct'];

export type ParsedTopologySpec = z.output<SpecSchemas['topology']>;
export type ParsedSpoutSpec = z.output<SpecSchemas['spout']>;
export type ParsedBoltSpec = z.output<SpecSchemas['bolt']>;

/** The keys allowed in the object at `path` of a spec, for "unknown key" messages; undefined if not an object. */
export function keysAllowedAt(path: readonly PropertyKey[]): readonly string[] | undefined {
  const [section, , member] = path;
  const { topology, spout, bolt, input } = specSchemas();
  if (path.length === 0) return Object.keys(topology.shape);
  if (path.length === 2 && section === 'spouts') return Object.keys(spout.shape);
  if (path.length === 2 && section === 'bolts') return Object.keys(bolt.shape);
  if (path.length === 4 && section === 'bolts' && member === 'inputs') return Object.keys(input.shape);
  if (path.length === 4 && member === 'outputs') return streamObjectKeys;
  return undefined;
}
