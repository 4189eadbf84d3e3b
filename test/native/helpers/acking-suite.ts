/**
 * ATLEAST_ONCE through the real data path (PROTOCOL.md §7), run on one stream manager and on two peered over TCP:
 * fake instances play the spout and the bolts, acking and failing by hand, in chosen orders.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AckingCluster, COUNT_TASKS, SPLIT_TASKS, SPOUT_TASK, seeded, waitFor } from './acking-cluster.js';
import type { ReceivedTuple } from './tuples.js';

let nextRoot = 0x1000n;
const freshRoot = (): bigint => ++nextRoot * 0x9e3779b97f4a7c15n & 0x7fffffffffffffffn;

/** One step of a tree: a split processing its input, or a count acking one of its inputs. */
type Step = { readonly kind: 'split'; readonly task: number } | { readonly kind: 'count'; readonly task: number; readonly from: number };

export function ackingSuite(title: string, stmgrIds: readonly string[], placement: (task: number) => string): void {
  describe(title, () => {
    let cluster: AckingCluster;
    before(async () => {
      cluster = await AckingCluster.start(stmgrIds, placement);
    });
    after(() => cluster.close());

    const stats = () => cluster.smOf(SPOUT_TASK).dataPath.stats();
    const splitInput = async (task: number, root: bigint): Promise<ReceivedTuple> => {
      await waitFor(`split task ${task} to receive root ${root}`, () => cluster.inputsOf(task, root).length === 1);
      return cluster.inputsOf(task, root)[0]!;
    };
    // The split's emit is [input values]: counts tell its copies apart by the split task's id as source.
    const countInput = async (task: number, root: bigint, from: number): Promise<ReceivedTuple> => {
      await waitFor(`count task ${task} to receive root ${root} from ${from}`, () => cluster.inputsOf(task, root).some((t) => t.srcTaskId === from));
      return cluster.inputsOf(task, root).find((t) => t.srcTaskId === from)!;
    };

    for (const seed of [1, 2, 3, 4, 5, 6]) {
      it(`acks a root exactly when the last edge of its tree is acked, whatever the order (seed ${seed})`, async () => {
        const random = seeded(seed * 7919);
        const root = freshRoot();
        const ackedBefore = stats().acking.rootsAcked;
        cluster.emit(root);
        // Any order a real run could produce: a split's children exist once it has processed its input.
        const available: Step[] = SPLIT_TASKS.map((task) => ({ kind: 'split', task }));
        const done: Step[] = [];
        while (available.length > 0) {
          const step = available.splice(Math.floor(random() * available.length), 1)[0]!;
          const expectedControl = cluster.controlInAtSpout() + cluster.controlCost(step.task, step.kind === 'split');
          if (step.kind === 'split') {
            cluster.splitProcesses(step.task, await splitInput(step.task, root));
            for (const count of COUNT_TASKS) available.push({ kind: 'count', task: count, from: step.task });
          } else {
            cluster.ack(step.task, await countInput(step.task, root, step.from));
          }
          done.push(step);
          // Once the spout's stream manager has read this step's control tuples, the root is complete or not.
          await waitFor('the step to reach the spout’s stream manager', () => cluster.controlInAtSpout() >= expectedControl);
          const last = done.length === 6;
          if (!last) assert.equal(stats().acking.rootsAcked, ackedBefore, `acked early, after ${done.map((s) => `${s.kind}@${s.task}`).join(' ')}`);
        }
        await waitFor('the spout to hear of its root', () => cluster.acked().some((r) => r.key === root));
        assert.deepEqual(
          cluster.acked().filter((r) => r.key === root),
          [{ taskid: SPOUT_TASK, key: root }],
        );
        const after = stats().acking;
        assert.equal(after.rootsAcked, ackedBefore + 1);
        assert.equal(after.pendingRoots, 0);
      });
    }

    it('fails a root at once when one edge fails, and ignores what comes later for it', async () => {
      const root = freshRoot();
      const before = stats().acking;
      cluster.emit(root);
      cluster.splitProcesses(2, await splitInput(2, root));
      cluster.fail(4, await countInput(4, root, 2));
      await waitFor('the spout to hear of the failure', () => cluster.failed().some((r) => r.key === root));
      assert.deepEqual(stats().acking.pendingRoots, 0);
      // The rest of the tree completes: nothing more reaches the spout.
      const expectedControl = cluster.controlInAtSpout() + cluster.controlCost(3, true) + cluster.controlCost(5, false);
      cluster.splitProcesses(3, await splitInput(3, root));
      cluster.ack(5, await countInput(5, root, 2));
      await waitFor('the late control tuples to be read', () => cluster.controlInAtSpout() >= expectedControl);
      const after = stats().acking;
      assert.equal(after.rootsFailed, before.rootsFailed + 1);
      assert.equal(after.rootsAcked, before.rootsAcked);
      assert.equal(cluster.acked().some((r) => r.key === root), false);
      assert.equal(cluster.failed().filter((r) => r.key === root).length, 1);
    });

    it('gives every routed copy a fresh non-zero key, and leaves untracked tuples as written', async () => {
      const roots = Array.from({ length: 300 }, freshRoot);
      cluster.spout.send(SPOUT_TASK, 'spout', 'default', roots.map((root) => ({ values: [Buffer.from('k')], key: 0n, roots: [{ taskid: SPOUT_TASK, key: root }] })));
      cluster.spout.send(SPOUT_TASK, 'spout', 'default', [{ values: [Buffer.from('untracked')], key: 77n }]);
      for (const task of SPLIT_TASKS) await waitFor('every copy', () => cluster.instances.get(task)!.received.some((t) => t.values[0]!.toString() === 'untracked'));
      const copies = SPLIT_TASKS.flatMap((task) => roots.map((root) => cluster.inputsOf(task, root)[0]!));
      assert.equal(copies.length, 2 * roots.length);
      const keys = new Set(copies.map((t) => t.key));
      assert.equal(keys.size, copies.length, 'no two copies share a key');
      assert.equal(keys.has(0n), false);
      for (const copy of copies) assert.deepEqual(copy.rootIds.length, 1);
      for (const task of SPLIT_TASKS) assert.equal(cluster.instances.get(task)!.received.find((t) => t.values[0]!.toString() === 'untracked')!.key, 77n);
      // Finish these trees so later tests start clean.
      for (const task of SPLIT_TASKS) cluster.ack(task, ...roots.map((root) => cluster.inputsOf(task, root)[0]!));
      await waitFor('the spout to hear of every root', () => roots.every((root) => cluster.acked().some((r) => r.key === root)));
    });

    it('keeps thousands of roots pending at once and completes each exactly once, in a shuffled order', async () => {
      const roots = Array.from({ length: 3000 }, freshRoot);
      const before = stats().acking.rootsAcked;
      const receivedBefore = SPLIT_TASKS.map((task) => cluster.instances.get(task)!.received.length);
      for (let at = 0; at < roots.length; at += 500) {
        cluster.spout.send(SPOUT_TASK, 'spout', 'default', roots.slice(at, at + 500).map((root) => ({ values: [Buffer.from('m')], key: 0n, roots: [{ taskid: SPOUT_TASK, key: root }] })));
      }
      const byRoot = (task: number) => new Map(cluster.instances.get(task)!.received.map((t) => [t.rootIds[0]?.key, t]));
      await waitFor('every copy', () => SPLIT_TASKS.every((task, i) => cluster.instances.get(task)!.received.length >= receivedBefore[i]! + roots.length), 20_000);
      await waitFor('every root pending', () => stats().acking.pendingRoots === roots.length);
      const random = seeded(4242);
      const acks = SPLIT_TASKS.flatMap((task) => {
        const received = byRoot(task);
        return roots.map((root) => ({ task, input: received.get(root)! }));
      }).sort(() => random() - 0.5);
      for (let at = 0; at < acks.length; at += 250) {
        for (const task of SPLIT_TASKS) {
          const batch = acks.slice(at, at + 250).filter((a) => a.task === task);
          if (batch.length > 0) cluster.ack(task, ...batch.map((a) => a.input));
        }
      }
      await waitFor('every root to complete', () => stats().acking.rootsAcked === before + roots.length, 20_000);
      assert.equal(stats().acking.pendingRoots, 0);
      const wanted = new Set(roots);
      const heard = () => cluster.acked().filter((r) => wanted.has(r.key));
      await waitFor('the spout to hear of every root', () => heard().length >= roots.length);
      assert.equal(new Set(heard().map((r) => r.key)).size, roots.length);
      assert.equal(heard().length, roots.length, 'each root acked once');
    });

    it('acks at once a spout tuple with roots that no one subscribes to', async () => {
      const root = freshRoot();
      cluster.emit(root, 'unheard');
      await waitFor('the immediate ack', () => cluster.acked().some((r) => r.key === root));
      assert.equal(stats().acking.pendingRoots, 0);
    });

    it('keeps an edge’s emits ahead of its parent’s ack on their way to the spout: never acked before the last count acks', async () => {
      const roots = Array.from({ length: 40 }, freshRoot);
      for (const root of roots) cluster.emit(root);
      // The splits process everything at once; the counts hold their acks back.
      const before = cluster.controlInAtSpout();
      for (const task of SPLIT_TASKS) for (const root of roots) cluster.splitProcesses(task, await splitInput(task, root));
      const expected = before + roots.length * SPLIT_TASKS.reduce((n, task) => n + cluster.controlCost(task, true), 0);
      await waitFor('the splits’ emits and acks to reach the spout’s stream manager', () => cluster.controlInAtSpout() >= expected);
      assert.equal(stats().acking.pendingRoots, roots.length);
      assert.equal(roots.some((root) => cluster.acked().some((r) => r.key === root)), false, 'no root is complete while its counts hold their acks');
      const counts = COUNT_TASKS.flatMap((task) => SPLIT_TASKS.flatMap((from) => roots.map((root) => ({ task, root, from }))));
      const inputs = await Promise.all(counts.map(async (c) => ({ ...c, input: await countInput(c.task, c.root, c.from) })));
      const random = seeded(99);
      inputs.sort(() => random() - 0.5);
      for (const { task, input } of inputs) cluster.ack(task, input);
      await waitFor('every root to complete', () => roots.every((root) => cluster.acked().some((r) => r.key === root)));
      for (const root of roots) assert.equal(cluster.acked().filter((r) => r.key === root).length, 1);
    });

    it('forgets a root whose tree never completes once the message timeout has passed, telling the spout nothing', async () => {
      cluster.route({ messageTimeoutMs: 600 });
      const spoutConnection = () => stats().connections.find((c) => c.taskId === SPOUT_TASK)!;
      const controlOut = spoutConnection().controlTuplesOut;
      const expiredBefore = stats().acking.rootsExpired;
      const root = freshRoot();
      const start = Date.now();
      cluster.emit(root);
      await splitInput(2, root);
      await waitFor('the root to be pending', () => stats().acking.pendingRoots === 1);
      await waitFor('the root to expire', () => stats().acking.pendingRoots === 0, 5000);
      const lived = Date.now() - start;
      assert.ok(lived >= 600, `kept ${lived} ms, at least the 600 ms timeout`);
      assert.equal(stats().acking.rootsExpired, expiredBefore + 1);
      assert.equal(spoutConnection().controlTuplesOut, controlOut, 'nothing was sent to the spout');
      assert.equal(cluster.failed().some((r) => r.key === root), false);
    });

    it('keeps a root however long its tree takes while message timeouts are off (timeout 0), and acks it at the end', async () => {
      cluster.route({ messageTimeoutMs: 0 });
      const expiredBefore = stats().acking.rootsExpired;
      const root = freshRoot();
      cluster.emit(root);
      const splits = await Promise.all(SPLIT_TASKS.map(async (task) => [task, await splitInput(task, root)] as const));
      await waitFor('the root to be pending', () => stats().acking.pendingRoots === 1);
      // Not a wait for something to happen: the time in which a 600 ms timeout (the test above) forgets a root.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(stats().acking.pendingRoots, 1, 'the root was forgotten');
      for (const [task, input] of splits) cluster.splitProcesses(task, input);
      for (const count of COUNT_TASKS) for (const from of SPLIT_TASKS) cluster.ack(count, await countInput(count, root, from));
      await waitFor('the spout to hear of its root', () => cluster.acked().some((r) => r.key === root));
      assert.equal(stats().acking.rootsExpired, expiredBefore);
      cluster.route();
    });
  });
}
