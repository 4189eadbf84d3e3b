import type { Tuple } from '../../../api/tuple.js';
import { InstanceTuple } from './instance-tuple.js';

/**
 * The roots of an anchored emit (PROTOCOL.md §7): the union of its anchors' roots, each (task id, key) once. After
 * {@link collect}, the roots are `roots[from, to)` as (task id, key low, key high) triples, the form TupleSetWriter
 * takes. One anchor, the common case, lends its own acking record without a copy; several are merged into a buffer
 * reused across emits.
 */
export class AnchorRoots {
  roots: readonly number[] = [];
  from = 0;
  to = 0;
  private readonly union: number[] = [];

  /** Gathers the roots of `anchors`; false when they have none (the emit is then untracked). */
  collect(anchors: Tuple | readonly Tuple[]): boolean {
    if (!Array.isArray(anchors)) return this.lend(anchors as Tuple);
    const list = anchors as readonly Tuple[];
    if (list.length === 1) return this.lend(list[0]!);
    const union = this.union;
    let n = 0;
    for (const anchor of list) {
      const record = recordOf(anchor);
      if (record === null) continue;
      next: for (let i = 2; i < record.length; i += 3) {
        const task = record[i]!;
        const low = record[i + 1]!;
        const high = record[i + 2]!;
        for (let j = 0; j < n; j += 3) {
          if (union[j + 1] === low && union[j + 2] === high && union[j] === task) continue next;
        }
        union[n] = task;
        union[n + 1] = low;
        union[n + 2] = high;
        n += 3;
      }
    }
    this.roots = union;
    this.from = 0;
    this.to = n;
    return n > 0;
  }

  private lend(anchor: Tuple): boolean {
    const record = recordOf(anchor);
    if (record === null) return false;
    this.roots = record;
    this.from = 2;
    this.to = record.length;
    return true;
  }
}

/** The acking record of a tuple with roots, or null (no roots, or not a tuple this instance received). */
function recordOf(tuple: Tuple): readonly number[] | null {
  if (!(tuple instanceof InstanceTuple)) return null;
  const record = tuple.record;
  return record !== null && record.length > 2 ? record : null;
}
