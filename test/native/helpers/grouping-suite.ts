/**
 * One suite for every grouping (PROTOCOL.md §4), run on one stream manager and on two peered over TCP: fake
 * instances over the real sockets, the real addon in between.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DataPathStats } from '../../../native/index.js';
import { FakeInstance } from './fake-instance.js';
import { STRMGR_HELLO_RESPONSE, startStreamManager, type TestStreamManager } from './stream-manager.js';
import { BOLTS, SPOUT, testRouting, word } from './topology.js';
import { fieldsHash, type TestTuple } from './tuples.js';
import { waitFor } from './wait-for.js';

const PER_SPOUT = 3000;

/** Tuple i of spout task `src`: [word, "src:i"]; direct destinations cycle over both tasks of each direct bolt. */
function tupleOf(src: number, i: number): TestTuple {
  return {
    values: [Buffer.from(word(i)), Buffer.from(`${src}:${i}`)],
    destTaskIds: [i % 2 === 0 ? 15 : 16, i % 3 === 0 ? 17 : 18],
    key: BigInt(i) * 0x1_0000_0001n,
    roots: i % 5 === 0 ? [{ taskid: src, key: 42n }] : [],
  };
}

/** Runs the suite with tasks placed on `stmgrIds` by `placement`. */
export function groupingSuite(title: string, stmgrIds: readonly string[], placement: (task: number) => string): void {
  describe(title, () => {
    const sms = new Map<string, TestStreamManager>();
    const bolts = new Map<number, FakeInstance>();
    const spouts: FakeInstance[] = [];
    const statsOf = (): DataPathStats[] => [...sms.values()].map((sm) => sm.dataPath.stats());
    const sum = (pick: (stats: DataPathStats) => number): number => statsOf().reduce((n, s) => n + pick(s), 0);

    before(async () => {
      for (const id of stmgrIds) sms.set(id, await startStreamManager(id, { batchMaxBytes: 4096 }));
      const peers = [...sms.entries()].map(([stmgrId, sm]) => ({ stmgrId, host: '127.0.0.1', port: sm.dataPort }));
      for (const [id, sm] of sms) sm.dataPath.setRouting(testRouting(id, placement, peers));
      // Tuples for a peer not yet connected are dropped (ATMOST_ONCE): wait for every hello to be answered.
      for (const sm of sms.values()) {
        await waitFor('the peers to answer the hello', () => sm.events.filter((e) => e.type === 'control' && e.messageType === STRMGR_HELLO_RESPONSE).length === stmgrIds.length - 1);
      }
      const endpointOf = (task: number): string => sms.get(placement(task))!.endpoint;
      for (const bolt of BOLTS) {
        for (const task of bolt.tasks) bolts.set(task, await FakeInstance.register(endpointOf(task), task, bolt.component));
      }
      for (const task of SPOUT.tasks) spouts.push(await FakeInstance.register(endpointOf(task), task, SPOUT.component));
      for (const [index, spout] of spouts.entries()) {
        const src = SPOUT.tasks[index]!;
        // Frames of 100 tuples, as an instance batches its emits.
        for (let start = 0; start < PER_SPOUT; start += 100) {
          spout.send(src, SPOUT.component, 'default', Array.from({ length: 100 }, (_, k) => tupleOf(src, start + k)));
        }
        // An invalid destination per tuple of this frame: a shuffle task and an unknown task.
        spout.send(src, SPOUT.component, 'default', [{ values: [Buffer.from('x'), Buffer.from('y')], destTaskIds: [3, 99] }]);
      }
      const expected = (task: number): number => {
        const bolt = BOLTS.find((b) => b.tasks.includes(task))!;
        if (bolt.grouping === 'all') return 2 * PER_SPOUT + 2;
        if (bolt.grouping === 'global') return task === 11 ? 2 * PER_SPOUT + 2 : 0;
        return -1;
      };
      const total = (component: string): number => BOLTS.find((b) => b.component === component)!.tasks.reduce((n, t) => n + bolts.get(t)!.received.length, 0);
      await waitFor('every tuple to arrive', () =>
        [...bolts.entries()].every(([task, bolt]) => expected(task) < 0 || bolt.received.length === expected(task)) &&
        ['shuffler', 'counter', 'anyone'].every((c) => total(c) === 2 * PER_SPOUT + 2) &&
        total('chosen') === 2 * PER_SPOUT && total('picked') === 2 * PER_SPOUT,
      );
    });

    after(async () => {
      for (const instance of [...bolts.values(), ...spouts]) instance.close();
      for (const sm of sms.values()) await sm.close();
    });

    const received = (task: number) => bolts.get(task)!.received;

    it('shuffle and none: round robin per source task, so each task gets a third (or half) of each source', () => {
      for (const component of ['shuffler', 'anyone']) {
        const tasks = BOLTS.find((b) => b.component === component)!.tasks;
        for (const src of SPOUT.tasks) {
          const counts = tasks.map((t) => received(t).filter((r) => r.srcTaskId === src).length);
          assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${component} from ${src}: ${counts.join(', ')}`);
        }
      }
    });

    it('fields: short keys differing in one character spread evenly (the hash mixes its low bits)', () => {
      for (const n of [2, 3, 4]) {
        const counts = new Array<number>(n).fill(0);
        for (let i = 0; i < 2000; i++) counts[Number(fieldsHash([Buffer.from(`w-${i}`)]) % BigInt(n))]! += 1;
        for (const count of counts) assert.ok(count > (2000 / n) * 0.8 && count < (2000 / n) * 1.2, `${n} tasks: ${counts.join(', ')}`);
      }
    });

    it('fields: every tuple at tasks[hash(fields) mod n], so each word at exactly one task', () => {
      const tasks = [6, 7, 8];
      const owner = new Map<string, number>();
      for (const task of tasks) {
        for (const tuple of received(task)) {
          const expected = tasks[Number(fieldsHash([tuple.values[0]!]) % 3n)];
          assert.equal(task, expected, `word ${tuple.values[0]!.toString()}`);
          const word = tuple.values[0]!.toString();
          assert.equal(owner.get(word) ?? task, task);
          owner.set(word, task);
        }
      }
      assert.ok(new Set(owner.values()).size > 1, 'the words spread over more than one task');
    });

    it('all: every task gets every tuple; global: the lowest task id gets them all', () => {
      assert.equal(received(9).length, 2 * PER_SPOUT + 2);
      assert.equal(received(10).length, 2 * PER_SPOUT + 2);
      assert.equal(received(11).length, 2 * PER_SPOUT + 2);
      assert.equal(received(12).length, 0);
    });

    it('direct and custom: the tasks named by dest_task_ids, and nothing else', () => {
      for (const [task, pick] of [[15, (i: number) => i % 2 === 0], [16, (i: number) => i % 2 !== 0], [17, (i: number) => i % 3 === 0], [18, (i: number) => i % 3 !== 0]] as const) {
        const expected = 2 * Array.from({ length: PER_SPOUT }, (_, i) => i).filter(pick).length;
        assert.equal(received(task).length, expected, `task ${task}`);
        for (const tuple of received(task)) assert.ok(pick(Number(tuple.values[1]!.toString().split(':')[1])), `task ${task} got ${tuple.values[1]!.toString()}`);
      }
    });

    it('invalid destinations are dropped and counted', () => {
      assert.equal(sum((s) => s.tuplesDropped['bad-destination']!), 4);
      assert.equal(sum((s) => Object.values(s.tuplesDropped).reduce((a, b) => a + b, 0)), 4);
    });

    it('tuples arrive as the source wrote them: values, key and roots, in order per source', () => {
      const tuples = received(9);
      for (const src of SPOUT.tasks) {
        const fromSrc = tuples.filter((t) => t.srcTaskId === src && t.values[1]!.toString() !== 'y');
        assert.equal(fromSrc.length, PER_SPOUT);
        fromSrc.forEach((tuple, i) => {
          assert.equal(tuple.values[1]!.toString(), `${src}:${i}`);
          assert.equal(tuple.values[0]!.toString(), word(i));
          assert.equal(tuple.key, BigInt(i) * 0x1_0000_0001n);
          assert.equal(tuple.roots, i % 5 === 0 ? 1 : 0);
          assert.equal(tuple.component, SPOUT.component);
          assert.equal(tuple.stream, 'default');
        });
      }
    });

    it('counts tuples routed, per connection and per stream manager', () => {
      // Copies: 3 one-of-n subscribers + 2 (all) + 1 (global) + 2 (direct and custom) per tuple, and the last frame's.
      assert.equal(sum((s) => s.tuplesRouted), 2 * (PER_SPOUT * 8 + 6));
      const connections = statsOf().flatMap((s) => s.connections);
      for (const src of SPOUT.tasks) {
        const connection = connections.find((c) => c.taskId === src)!;
        assert.equal(connection.kind, 'instance');
        assert.equal(connection.tuplesIn, PER_SPOUT + 1);
        assert.equal(connection.batchesIn, PER_SPOUT / 100 + 1);
      }
      const all = connections.find((c) => c.taskId === 9)!;
      assert.equal(all.tuplesOut, 2 * PER_SPOUT + 2);
      assert.ok(all.batchesOut >= 2 && all.batchesOut < all.tuplesOut / 10, `batches out: ${all.batchesOut}`);
      assert.ok(all.bytesOut > 0 && all.queuedBytes === 0);
      // What one stream manager sent a peer is what the peer received from it.
      const sent = connections.filter((c) => c.kind === 'peer-out').reduce((n, c) => n + c.tuplesOut, 0);
      const got = connections.filter((c) => c.kind === 'peer-in').reduce((n, c) => n + c.tuplesIn, 0);
      assert.equal(sent, got);
      if (stmgrIds.length > 1) assert.ok(sent > 0, 'tuples crossed between stream managers');
    });
  });
}
