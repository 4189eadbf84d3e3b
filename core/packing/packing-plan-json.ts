import { z } from 'zod';
import { EgretError } from '../errors.js';
import { PLUGIN_NAME_PATTERN } from '../plugins/plugin-descriptor.js';
import { createPackingPlan, InvalidPackingPlanError, type ContainerPlan, type PackingPlan } from '../spi/packing-plan.js';
import { Resource } from '../spi/resource.js';

/** A resource in the JSON form: cores, and bytes as whole numbers. */
export interface ResourceJson {
  readonly cpu: number;
  readonly ram: number;
  readonly disk: number;
}

/** An instance in the JSON form; see InstancePlan. */
export interface InstancePlanJson {
  readonly component: string;
  readonly taskId: number;
  readonly componentIndex: number;
  readonly resources: ResourceJson;
}

/** A container in the JSON form; see ContainerPlan. */
export interface ContainerPlanJson {
  readonly id: number;
  readonly required: ResourceJson;
  /** Only when the scheduler has granted something else than `required`. */
  readonly scheduled?: ResourceJson;
  /** Sorted by task id. */
  readonly instances: readonly InstancePlanJson[];
}

/**
 * A packing plan as JSON: what `egret submit --dry-run --dry-run-format json` and `egret pack` print and what
 * `egret repack --plan` reads back. Containers sorted by id. The plan id is not part of it: the topology names it.
 */
export interface PackingPlanJson {
  /** The packing plugin that made the plan, e.g. `round-robin`. */
  readonly algorithm: string;
  readonly containers: readonly ContainerPlanJson[];
}

export type PackingPlanJsonErrorCode =
  /** The document is not a packing plan: wrong shape, or a plan that breaks an invariant (a task id twice...). */
  'PACKING_PLAN_JSON_INVALID';

/** Thrown by {@link packingPlanFromJson}; `problems` holds one line per fault, each naming its path. */
export class PackingPlanJsonError extends EgretError<PackingPlanJsonErrorCode> {
  constructor(
    message: string,
    readonly problems: readonly string[],
    cause?: unknown,
  ) {
    super(message, { code: 'PACKING_PLAN_JSON_INVALID', cause });
  }
}

/** The JSON form of `plan`, made by `algorithm`. Key order is fixed, so the printed form is stable. */
export function packingPlanToJson(plan: PackingPlan, algorithm: string): PackingPlanJson {
  const containers = [...plan.containers].sort((a, b) => a.id - b.id).map(
    (container): ContainerPlanJson => ({
      id: container.id,
      required: container.required.toJSON(),
      ...(container.scheduled ? { scheduled: container.scheduled.toJSON() } : {}),
      instances: [...container.instances]
        .sort((a, b) => a.taskId - b.taskId)
        .map((i) => ({ component: i.component, taskId: i.taskId, componentIndex: i.componentIndex, resources: i.resources.toJSON() })),
    }),
  );
  return { algorithm, containers };
}

const expect = (what: string) => ({ error: `expected ${what}` });
const wholeAtLeast = (min: number) => z.number(expect(`a whole number >= ${min}`)).int(expect(`a whole number >= ${min}`)).min(min, expect(`a whole number >= ${min}`));
const bytes = z.number(expect('a whole number of bytes >= 0')).int(expect('a whole number of bytes >= 0')).nonnegative(expect('a whole number of bytes >= 0'));

/** A strict object whose stray keys are reported with the keys it does accept. */
function strictObject<Shape extends z.core.$ZodLooseShape>(what: string, shape: Shape) {
  const accepted = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')} (${what} has ${accepted})`
        : `expected ${what}, an object with ${accepted}`,
  });
}

const resourceSchema = strictObject('a resource', {
  cpu: z.number(expect('a number of cores >= 0')).nonnegative(expect('a number of cores >= 0')),
  ram: bytes,
  disk: bytes,
});

const planSchema = strictObject('a packing plan', {
  algorithm: z.string(expect('a packing algorithm name')).regex(PLUGIN_NAME_PATTERN, expect("a kebab-case packing algorithm name such as 'round-robin'")),
  containers: z
    .array(
      strictObject('a container', {
        id: wholeAtLeast(1),
        required: resourceSchema,
        scheduled: resourceSchema.optional(),
        instances: z.array(
          strictObject('an instance', {
            component: z.string(expect('a component name')).min(1, expect('a component name')),
            taskId: wholeAtLeast(1),
            componentIndex: wholeAtLeast(0),
            resources: resourceSchema,
          }),
          expect('an array of instances'),
        ),
      }),
      expect('an array of containers'),
    )
    .min(1, expect('at least one container')),
});

/**
 * Reads a packing plan back from its JSON form (`json` is the parsed document; `source` names where it came from,
 * e.g. the file, for messages), giving it the id `planId`. Returns the plan, sorted, and the algorithm it names.
 * Throws {@link PackingPlanJsonError} listing every fault by path (`containers[0].instances[1].taskId: expected a
 * whole number >= 1`), or the broken invariant (a task id twice, a component index twice, a container id twice).
 */
export function packingPlanFromJson(json: unknown, source: string, planId: string): { plan: PackingPlan; algorithm: string } {
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new PackingPlanJsonError(`${source}: not a packing plan:${listed(problems)}`, problems);
  }
  const containers = parsed.data.containers.map(
    (c): ContainerPlan => ({
      id: c.id,
      required: toResource(c.required),
      ...(c.scheduled ? { scheduled: toResource(c.scheduled) } : {}),
      instances: c.instances.map((i) => ({ component: i.component, taskId: i.taskId, componentIndex: i.componentIndex, resources: toResource(i.resources) })),
    }),
  );
  try {
    return { plan: createPackingPlan(planId, containers), algorithm: parsed.data.algorithm };
  } catch (error) {
    if (!(error instanceof InvalidPackingPlanError)) throw error;
    throw new PackingPlanJsonError(`${source}: not a valid packing plan: ${error.message}`, [error.message], error);
  }
}

function toResource(json: ResourceJson): Resource {
  return new Resource(json.cpu, json.ram, json.disk);
}

/** `containers[0].instances[1].taskId`; the document itself is `(document)`. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

function listed(problems: readonly string[]): string {
  return problems.length === 1 ? ` ${problems[0]}` : `\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}
