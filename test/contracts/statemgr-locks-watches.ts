import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StateWatchEvent } from '../../core/spi/state-manager.js';
import type { ContractContext } from './statemgr-context.js';
import { waitFor } from './statemgr-harness.js';
import { sampleNode } from './statemgr-samples.js';

/** A generous bound for "promptly" on a loaded 2-core machine: events and lock hand-overs within it. */
const PROMPTLY_MS = 5000;

/** Events collected by a watch callback, with helpers to wait for them. */
function recorder(): { events: StateWatchEvent[]; callback: (event: StateWatchEvent) => void; waitForCount: (n: number) => Promise<void> } {
  const events: StateWatchEvent[] = [];
  return {
    events,
    callback: (event) => void events.push(event),
    waitForCount: (n) => waitFor(`${n} watch events (have ${events.join(', ')})`, () => events.length >= n, PROMPTLY_MS),
  };
}

export function lockAndWatchContract(context: ContractContext): void {
  describe('watches', () => {
    it('reports created, changed and deleted, in order, for writes by another state manager', async () => {
      const watching = await context.open();
      const writer = await context.open();
      const seen = recorder();
      const watch = await watching.watch('packingplans', 'w', seen.callback);
      await writer.create('packingplans', 'w', sampleNode('packingplans', 'w', 1));
      await seen.waitForCount(1);
      await writer.set('packingplans', 'w', sampleNode('packingplans', 'w', 2));
      await seen.waitForCount(2);
      await writer.delete('packingplans', 'w');
      await seen.waitForCount(3);
      assert.deepEqual(seen.events, ['created', 'changed', 'deleted']);

      watch.cancel();
      watch.cancel();
      await writer.set('packingplans', 'w', sampleNode('packingplans', 'w', 3));
      // A cancelled watch must stay silent: give a stray event the time a live one takes to arrive.
      const quiet = recorder();
      const control = await watching.watch('packingplans', 'w', quiet.callback);
      await writer.delete('packingplans', 'w');
      await quiet.waitForCount(1);
      control.cancel();
      assert.deepEqual(seen.events, ['created', 'changed', 'deleted']);
    });

    it('reports the writes of another process to a watch in that process, in order', async () => {
      const state = await context.open();
      const child = context.child({ action: 'watch', kind: 'executionstate', topology: 'remote' });
      await child.waitForLine(/^watching$/, PROMPTLY_MS * 2);
      await state.create('executionstate', 'remote', sampleNode('executionstate', 'remote', 1));
      await child.waitForLine(/^event created$/, PROMPTLY_MS);
      await state.set('executionstate', 'remote', sampleNode('executionstate', 'remote', 2));
      await child.waitForLine(/^event changed$/, PROMPTLY_MS);
      await state.delete('executionstate', 'remote');
      await child.waitForLine(/^event deleted$/, PROMPTLY_MS);
      assert.deepEqual(child.lines.filter((line) => line.startsWith('event ')), ['event created', 'event changed', 'event deleted']);
    });

    it('never overlaps callbacks, even slow asynchronous ones', async () => {
      const state = await context.open();
      let active = 0;
      let maxActive = 0;
      const events: StateWatchEvent[] = [];
      await state.watch('schedulers', 'slow', (async (event: StateWatchEvent) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(150);
        events.push(event);
        active--;
      }) as (event: StateWatchEvent) => void);
      await state.create('schedulers', 'slow', sampleNode('schedulers', 'slow', 1));
      await waitFor('the first callback to start', () => active === 1, PROMPTLY_MS);
      for (let seq = 2; seq < 6; seq++) await state.set('schedulers', 'slow', sampleNode('schedulers', 'slow', seq));
      await state.delete('schedulers', 'slow');
      await waitFor('the deletion to be reported', () => events.at(-1) === 'deleted', PROMPTLY_MS);
      assert.equal(maxActive, 1);
      assert.equal(events[0], 'created');
    });
  });

  describe('locks', () => {
    it('gives a lock to one holder at a time; a second try times out with STATE_LOCK_TIMEOUT', async () => {
      const first = await context.open();
      const second = await context.open();
      const lock = await first.tryLock('t', 'updateTopology', 1000);
      const started = Date.now();
      await assert.rejects(second.tryLock('t', 'updateTopology', 400), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'STATE_LOCK_TIMEOUT');
        assert.match(String((error as Error).message), /updateTopology.*'t'/);
        return true;
      });
      const waited = Date.now() - started;
      assert.ok(waited >= 350 && waited < 400 + PROMPTLY_MS, `waited ${waited} ms for a 400 ms timeout`);
      await lock.unlock();
      await lock.unlock();
      const again = await second.tryLock('t', 'updateTopology', 1000);
      await again.unlock();
    });

    it('hands the lock to a waiter when the holder unlocks, and keeps topologies apart', async () => {
      const first = await context.open();
      const second = await context.open();
      const lock = await first.tryLock('t', 'updateTopology', 1000);
      const other = await second.tryLock('other', 'updateTopology', 1000);
      let acquired = false;
      const waiting = second.tryLock('t', 'updateTopology', PROMPTLY_MS * 2).then((held) => {
        acquired = true;
        return held;
      });
      await sleep(200);
      assert.equal(acquired, false, 'the waiter must not get a held lock');
      await lock.unlock();
      const held = await waiting;
      await held.unlock();
      await other.unlock();
    });

    it('passes the lock on when its holder is killed with SIGKILL', async () => {
      const state = await context.open();
      const holder = context.child({ action: 'hold-lock', topology: 'crash' });
      await holder.waitForLine(/^locked$/, PROMPTLY_MS * 2);
      await assert.rejects(state.tryLock('crash', 'updateTopology', 200), (error: unknown) => (error as { code?: string }).code === 'STATE_LOCK_TIMEOUT');
      await holder.kill('SIGKILL');
      const lock = await state.tryLock('crash', 'updateTopology', context.target.releaseAfterDeathMs + PROMPTLY_MS);
      await lock.unlock();
    });

    it('deleteLocks frees a topology’s locks (kill clears them for the next submit)', async () => {
      const first = await context.open();
      const second = await context.open();
      await first.tryLock('killed', 'updateTopology', 1000);
      await second.deleteLocks('killed');
      await second.deleteLocks('never-locked');
      const lock = await second.tryLock('killed', 'updateTopology', PROMPTLY_MS);
      await lock.unlock();
    });
  });
}
