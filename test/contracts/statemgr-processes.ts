import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StateWatchEvent } from '../../core/spi/state-manager.js';
import { stateNodeToJson } from '../../core/state/state-node-codec.js';
import type { ContractContext } from './statemgr-context.js';
import { waitFor } from './statemgr-harness.js';
import { sampleNode } from './statemgr-samples.js';

const PROMPTLY_MS = 5000;
/** Starting a child process (Node, the plugin's modules, a connection) on a busy 2-core machine. */
const CHILD_START_MS = 15_000;

export function processContract(context: ContractContext): void {
  describe('ephemeral nodes', () => {
    it('outlive neither their owner process (SIGKILL) nor its session; a watch reports the deletion', async () => {
      const state = await context.open();
      const owner = context.child({ action: 'hold-ephemeral', kind: 'tmanagers', topology: 'eph', seq: 4 });
      await owner.waitForLine(/^ready$/, CHILD_START_MS);
      assert.deepEqual(stateNodeToJson('tmanagers', await state.get('tmanagers', 'eph')), stateNodeToJson('tmanagers', sampleNode('tmanagers', 'eph', 4)));
      const events: StateWatchEvent[] = [];
      await state.watch('tmanagers', 'eph', (event) => void events.push(event));
      await owner.kill('SIGKILL');
      const deadline = context.target.releaseAfterDeathMs + PROMPTLY_MS;
      await waitFor('the dead owner’s ephemeral node to disappear', async () => (await state.find('tmanagers', 'eph')) === undefined, deadline);
      await waitFor('the watch to report the deletion', () => events.includes('deleted'), PROMPTLY_MS);
      await assert.rejects(state.get('tmanagers', 'eph'), (error: unknown) => (error as { code?: string }).code === 'STATE_NO_NODE');
      await state.create('tmanagers', 'eph', sampleNode('tmanagers', 'eph', 5), { ephemeral: true });
    });

    it('are removed by close(); persistent nodes stay, and a persistent write makes a node persistent', async () => {
      const owner = await context.open();
      const other = await context.open();
      await owner.set('tmanagers', 'mixed', sampleNode('tmanagers', 'mixed'), { ephemeral: true });
      await owner.set('metricscaches', 'mixed', sampleNode('metricscaches', 'mixed'), { ephemeral: true });
      await owner.set('metricscaches', 'mixed', sampleNode('metricscaches', 'mixed', 1));
      await owner.create('packingplans', 'mixed', sampleNode('packingplans', 'mixed'));
      assert.notEqual(await other.find('tmanagers', 'mixed'), undefined);
      await owner.close();
      await waitFor('the closed owner’s ephemeral node to disappear', async () => (await other.find('tmanagers', 'mixed')) === undefined, PROMPTLY_MS);
      assert.notEqual(await other.find('packingplans', 'mixed'), undefined);
      assert.deepEqual(stateNodeToJson('metricscaches', await other.get('metricscaches', 'mixed')), stateNodeToJson('metricscaches', sampleNode('metricscaches', 'mixed', 1)));
    });

    it('can be replaced by another process’s write, which the first owner’s close leaves alone', async () => {
      const first = await context.open();
      const second = await context.open();
      await first.set('schedulers', 'moved', sampleNode('schedulers', 'moved', 1), { ephemeral: true });
      await second.set('schedulers', 'moved', sampleNode('schedulers', 'moved', 2));
      await first.close();
      assert.deepEqual(stateNodeToJson('schedulers', await second.get('schedulers', 'moved')), stateNodeToJson('schedulers', sampleNode('schedulers', 'moved', 2)));
    });
  });

  describe('concurrent processes', () => {
    it('lets exactly one of several processes racing to create the same topology win', async () => {
      for (const round of [1, 2]) {
        const topology = `race-${round}`;
        const racers = [1, 2, 3].map((seq) => context.child({ action: 'create', kind: 'topologies', topology, seq }));
        const outcomes = await Promise.all(racers.map((racer) => racer.waitForLine(/^(won|exists)$/, CHILD_START_MS)));
        assert.deepEqual(outcomes.filter((o) => o === 'won').length, 1, `round ${round}: ${outcomes.join(', ')}`);
        const winner = outcomes.indexOf('won') + 1;
        const state = await context.open();
        assert.deepEqual(stateNodeToJson('topologies', await state.get('topologies', topology)), stateNodeToJson('topologies', sampleNode('topologies', topology, winner)));
      }
    });

    it('never leaves a torn node when a writer is killed with SIGKILL mid-write; the next writer carries on', async () => {
      const state = await context.open();
      const writer = context.child({ action: 'write-loop', kind: 'packingplans', topology: 'torn' });
      await writer.waitForLine(/^wrote 3$/, CHILD_START_MS);
      await writer.kill('SIGKILL');
      const last = await state.get('packingplans', 'torn');
      const written = writer.lines.filter((line) => line.startsWith('wrote ')).length;
      const seq = Number(/^torn-(\d+)-/.exec(String(last.id))?.[1]);
      // The node holds a whole message: the last reported write, or the one in flight when the kill came.
      assert.ok(seq === written - 1 || seq === written, `node holds write ${seq}; the writer reported ${written} writes`);
      assert.deepEqual(stateNodeToJson('packingplans', last), stateNodeToJson('packingplans', sampleNode('packingplans', 'torn', seq, 256 * 1024)));
      const started = Date.now();
      await state.set('packingplans', 'torn', sampleNode('packingplans', 'torn', 100));
      assert.ok(Date.now() - started < PROMPTLY_MS, 'a killed writer must not block the next one');
      assert.deepEqual(stateNodeToJson('packingplans', await state.get('packingplans', 'torn')), stateNodeToJson('packingplans', sampleNode('packingplans', 'torn', 100)));
      assert.deepEqual(await state.listTopologies(), []);
    });
  });
}
