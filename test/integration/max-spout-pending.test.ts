import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completedAckingRun, missingIds, SUITE_TIMEOUT_MS } from './acking-runs.js';

const SPOUTS = 2;
const MESSAGES = 1500;
const MAX_PENDING = 8;

/**
 * `topology.max.spout.pending` end to end (one container, two spout tasks), checked from the spout's side: the spout counts the ids
 * it emitted and has not yet seen acked or failed, at every nextTuple and after every emit. It emits as fast as it
 * may, so it reaches the bound; it never passes it, and nextTuple is never called at it.
 */
describe('max spout pending, end to end', { timeout: SUITE_TIMEOUT_MS }, () => {
  const run = completedAckingRun({
    containers: 1,
    spouts: SPOUTS,
    messages: MESSAGES,
    gated: true,
    config: { 'test.splitters': 1, 'test.counters': 1, 'topology.max.spout.pending': MAX_PENDING },
  });

  it('acks every id', () => {
    for (const report of run.reports()) assert.deepEqual(missingIds(report.acked, MESSAGES), [], `task ${report.task}`);
  });

  it(`keeps at most ${MAX_PENDING} ids in flight per spout task, and reaches that bound`, () => {
    for (const report of run.reports()) assert.equal(report.maxInFlight, MAX_PENDING, `task ${report.task}`);
  });

  it('never calls nextTuple while the bound is reached', () => {
    for (const report of run.reports()) assert.ok(report.maxInFlightAtNextTuple < MAX_PENDING, `task ${report.task}: nextTuple called with ${report.maxInFlightAtNextTuple} in flight`);
  });
});
