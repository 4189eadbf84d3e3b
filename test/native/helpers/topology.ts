/** A test topology exercising every grouping, and the DataPathRouting of it for a given placement. */
import type { DataPathGrouping, DataPathRouting } from '../../../native/index.js';

export interface TestBolt {
  readonly component: string;
  readonly grouping: DataPathGrouping;
  readonly tasks: readonly number[];
  readonly fieldIndices?: readonly number[];
}

/** Spout `words` (tasks 1 and 2) emits [word, n] on `default`; one bolt per grouping subscribes to it. */
export const SPOUT = { component: 'words', tasks: [1, 2] } as const;
export const BOLTS: readonly TestBolt[] = [
  { component: 'shuffler', grouping: 'shuffle', tasks: [3, 4, 5] },
  { component: 'counter', grouping: 'fields', tasks: [6, 7, 8], fieldIndices: [0] },
  { component: 'everyone', grouping: 'all', tasks: [9, 10] },
  { component: 'lowest', grouping: 'global', tasks: [12, 11] },
  { component: 'anyone', grouping: 'none', tasks: [13, 14] },
  { component: 'chosen', grouping: 'direct', tasks: [15, 16] },
  { component: 'picked', grouping: 'custom', tasks: [17, 18] },
];

/** Every task id of the test topology. */
export const ALL_TASKS: readonly number[] = [...SPOUT.tasks, ...BOLTS.flatMap((b) => b.tasks)];

/**
 * The routing seen by `stmgrId`, with tasks placed by `placement` (task → stmgr id, default everything on
 * stmgr-1) and the given peers.
 */
export function testRouting(stmgrId: string, placement: (task: number) => string = () => 'stmgr-1', peers: DataPathRouting['peers'] = []): DataPathRouting {
  const componentOf = (task: number): string => (SPOUT.tasks.includes(task as 1 | 2) ? SPOUT.component : BOLTS.find((b) => b.tasks.includes(task))!.component);
  return {
    stmgrId,
    tasks: ALL_TASKS.map((taskId) => ({ taskId, component: componentOf(taskId), stmgrId: placement(taskId) })),
    peers: peers.filter((p) => p.stmgrId !== stmgrId),
    streams: [
      {
        component: SPOUT.component,
        stream: 'default',
        subscribers: BOLTS.map((b) => ({ component: b.component, grouping: b.grouping, fieldIndices: b.fieldIndices ?? [], tasks: [...b.tasks].sort((x, y) => x - y) })),
      },
      // Declared, with no subscriber: tuples on it go nowhere and are not drops.
      { component: SPOUT.component, stream: 'unheard', subscribers: [] },
    ],
  };
}

/** The word of tuple `i`: a small vocabulary, so fields grouping sees repeats. */
export function word(i: number): string {
  return `word-${(i * 7919) % 97}`;
}
