import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StateWatchEvent } from '../spi/state-manager.js';
import { NodeWatcher, type NodeVersion } from './node-watcher.js';

/** A watcher over a version the test sets, recording events and errors. */
function harness(callback?: (event: StateWatchEvent) => Promise<void>) {
  let version: NodeVersion;
  let failNext = false;
  const events: StateWatchEvent[] = [];
  const errors: unknown[] = [];
  const watcher = new NodeWatcher({
    probe: async () => {
      await sleep(1);
      if (failNext) {
        failNext = false;
        throw new Error('probe failed');
      }
      return version;
    },
    callback: callback ?? ((event) => void events.push(event)),
    onError: (error) => errors.push(error),
  });
  return {
    watcher,
    events,
    errors,
    set: (v: NodeVersion) => (version = v),
    failNextProbe: () => (failNext = true),
  };
}

async function settle(watcher: NodeWatcher): Promise<void> {
  await sleep(5);
  await watcher.settled();
}

describe('NodeWatcher', () => {
  it('reports transitions between observed versions, none for the first look or an unchanged version', async () => {
    const h = harness();
    h.set('v1');
    await h.watcher.start();
    h.watcher.poke();
    await settle(h.watcher);
    h.set('v2');
    h.watcher.poke();
    await settle(h.watcher);
    h.set(undefined);
    h.watcher.poke();
    await settle(h.watcher);
    h.set('v3');
    h.watcher.poke();
    await settle(h.watcher);
    assert.deepEqual(h.events, ['changed', 'deleted', 'created']);
  });

  it('collapses pokes during a probe into one more probe, and never overlaps callbacks', async () => {
    let active = 0;
    let maxActive = 0;
    const events: StateWatchEvent[] = [];
    const h = harness(async (event) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(20);
      events.push(event);
      active--;
    });
    await h.watcher.start();
    h.set('a');
    h.watcher.poke();
    h.set('b');
    h.watcher.poke();
    h.watcher.poke();
    await sleep(10);
    h.set(undefined);
    h.watcher.poke();
    await sleep(80);
    await h.watcher.settled();
    assert.equal(maxActive, 1);
    assert.equal(events[0], 'created');
    assert.equal(events.at(-1), 'deleted');
  });

  it('goes on after a failed probe or a throwing callback, and is silent once cancelled', async () => {
    let calls = 0;
    const h = harness(async () => {
      calls++;
      throw new Error('callback failed');
    });
    await h.watcher.start();
    h.failNextProbe();
    h.set('x');
    h.watcher.poke();
    await settle(h.watcher);
    h.watcher.poke();
    await settle(h.watcher);
    assert.equal(calls, 1);
    assert.equal(h.errors.length, 2);
    let hooks = 0;
    h.watcher.onCancel(() => hooks++);
    h.watcher.cancel();
    h.watcher.cancel();
    h.set('y');
    h.watcher.poke();
    await settle(h.watcher);
    assert.equal(calls, 1);
    assert.equal(hooks, 1);
  });
});
