import { MiB } from '../../api/byte-amount.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { createPackingPlan, type PackingPlan } from '../../core/spi/packing-plan.js';
import { Resource } from '../../core/spi/resource.js';

/** One instance of a packing plan, in short: component, task id, component index. */
export type PlacedTask = readonly [component: string, taskId: number, componentIndex: number];

/**
 * A packing plan from container id → tasks, for tests of the runtime processes (which read placement, never
 * resources): every instance asks for 1 core and 64 MiB.
 */
export function packingPlanOf(id: string, containers: Readonly<Record<number, readonly PlacedTask[]>>): PackingPlan {
  const each = new Resource(1, 64 * MiB, 64 * MiB);
  return createPackingPlan(
    id,
    Object.entries(containers).map(([container, tasks]) => ({
      id: Number(container),
      instances: tasks.map(([component, taskId, componentIndex]) => ({ component, taskId, componentIndex, resources: each })),
      required: new Resource(tasks.length + 1, (tasks.length + 1) * 64 * MiB, (tasks.length + 1) * 64 * MiB),
    })),
  );
}

/**
 * A topology as plain data for the runtime tests: `words` (spout ×2, streams `default` [word, count] and
 * `control` [command]) → `counter` (bolt ×2, fields on count then word; all on `control`) → `sink` (bolt ×1,
 * global on counter's `default` [word, total]).
 */
export function wordCountTopology(name = 'wc', config: TopologyDefinition['config'] = {}): TopologyDefinition {
  return {
    name,
    config,
    spouts: [
      {
        kind: 'spout',
        name: 'words',
        parallelism: 2,
        resources: {},
        config: {},
        outputs: [
          { id: 'default', fields: ['word', 'count'], direct: false },
          { id: 'control', fields: ['command'], direct: false },
        ],
      },
    ],
    bolts: [
      {
        kind: 'bolt',
        name: 'counter',
        parallelism: 2,
        resources: {},
        config: {},
        inputs: [
          { component: 'words', stream: 'default', grouping: { type: 'fields', fields: ['count', 'word'] } },
          { component: 'words', stream: 'control', grouping: { type: 'all' } },
        ],
        outputs: [{ id: 'default', fields: ['word', 'total'], direct: false }],
      },
      {
        kind: 'bolt',
        name: 'sink',
        parallelism: 1,
        resources: {},
        config: {},
        inputs: [{ component: 'counter', stream: 'default', grouping: { type: 'global' } }],
        outputs: [],
      },
    ],
  };
}

/** {@link wordCountTopology} on two containers: tasks 1–2 words, 3–4 counter, 5 sink. */
export function wordCountPackingPlan(id = 'wc-1'): PackingPlan {
  return packingPlanOf(id, {
    1: [
      ['words', 1, 0],
      ['counter', 3, 0],
      ['sink', 5, 0],
    ],
    2: [
      ['words', 2, 1],
      ['counter', 4, 1],
    ],
  });
}
