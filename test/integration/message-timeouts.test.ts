import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completedAckingRun, missingIds, splitReports, SUITE_TIMEOUT_MS } from './acking-runs.js';

const SPOUTS = 2;
const MESSAGES = 400;
/** The split bolt neither acks nor fails the ids that are multiples of this, the first time it sees them. */
const DROP_EVERY = 10;
const TIMEOUT_SECS = 3;
const TIMEOUT_MS = TIMEOUT_SECS * 1000;
/**
 * A root fails once older than the timeout, looked for every timeout / 10. The spout stamps its emit later than the
 * runtime does (the runtime reads its clock once per slice of calls, 16 ms at most, and a busy machine may pause the
 * thread in between), hence the slack: a failure much earlier than the timeout still shows.
 */
const EARLY_SLACK_MS = 750;
/** Generous for a busy machine, and still below 1.5 timeouts past the timeout, where a broken expiry would show. */
const LATE_SLACK_MS = 3000;

/**
 * `topology.message.timeout.secs` end to end (two containers): the split bolt drops some sentences without acking
 * them; those roots fail at the spout once the timeout has passed (not before, not much after), no root fails
 * earlier, and the replays are acked, so every id is acked in the end.
 */
describe('message timeouts, end to end', { timeout: SUITE_TIMEOUT_MS }, () => {
  const run = completedAckingRun({
    containers: 2,
    spouts: SPOUTS,
    messages: MESSAGES,
    gated: true,
    config: { 'test.drop.every': DROP_EVERY, 'topology.message.timeout.secs': TIMEOUT_SECS },
  });
  const { output } = run;

  it('drops the first emit of every id that is a multiple of the drop interval', () => {
    const dropped = splitReports(output).flatMap((r) => r.dropped).sort();
    const expected = run.reports().flatMap((r) => Array.from({ length: MESSAGES / DROP_EVERY }, (_, i) => `${r.task}:${i * DROP_EVERY}`)).sort();
    assert.deepEqual(dropped, expected);
  });

  it('fails each dropped root after the message timeout, and no root before it', (t) => {
    let others = 0;
    for (const report of run.reports()) {
      const failures = new Map<number, number[]>();
      for (const [id, ageMs] of report.failed) failures.set(id, [...(failures.get(id) ?? []), ageMs]);
      for (let id = 0; id < MESSAGES; id += DROP_EVERY) {
        const [age] = failures.get(id) ?? [];
        assert.ok(age !== undefined, `task ${report.task} id ${id} was dropped and never failed`);
        assert.ok(age >= TIMEOUT_MS - EARLY_SLACK_MS, `task ${report.task} id ${id} failed after ${age} ms, before the ${TIMEOUT_MS} ms timeout`);
        assert.ok(age <= TIMEOUT_MS + LATE_SLACK_MS, `task ${report.task} id ${id} failed only after ${age} ms`);
      }
      // Nothing fails a tuple explicitly here: any other failure is a timeout too (a slow moment on a busy machine,
      // allowed), never an early one.
      for (const [id, ages] of failures) {
        for (const age of ages) assert.ok(age >= TIMEOUT_MS - EARLY_SLACK_MS, `task ${report.task} id ${id} failed after ${age} ms`);
        others += ages.length - (id % DROP_EVERY === 0 ? 1 : 0);
      }
    }
    t.diagnostic(`${others} failures besides the first of each dropped root`);
  });

  it('replays the failed ids, and acks every id in the end', () => {
    for (const report of run.reports()) {
      assert.deepEqual(missingIds(report.acked, MESSAGES), [], `task ${report.task}`);
      assert.equal(report.incarnation, 1, `task ${report.task} restarted`);
      assert.ok(report.replays >= MESSAGES / DROP_EVERY, `task ${report.task} replayed ${report.replays} ids`);
      assert.equal(report.emitted, MESSAGES + report.replays);
    }
  });
});
