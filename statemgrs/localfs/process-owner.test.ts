import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { currentProcessOwner, formatOwner, isOwnerAlive, parseOwner } from './process-owner.js';

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('process owners', () => {
  it('knows this process is alive and an exited one is not', () => {
    assert.equal(isOwnerAlive(currentProcessOwner()), true);
    assert.equal(isOwnerAlive({ ...currentProcessOwner(), pid: deadPid() }), false);
  });

  it('takes a live pid with another start time for a recycled pid, and cannot judge other hosts', () => {
    const self = currentProcessOwner();
    if (self.started !== undefined) assert.equal(isOwnerAlive({ ...self, started: `${self.started}0` }), false);
    assert.equal(isOwnerAlive({ pid: deadPid(), host: `${self.host}-elsewhere` }), true);
  });

  it('round-trips the record and rejects anything else', () => {
    const text = formatOwner(currentProcessOwner(), { node: 'abc' });
    assert.deepEqual(parseOwner(text), currentProcessOwner());
    for (const junk of ['', 'not json', 'null', '{"pid":"1","host":"h"}', '{"pid":1}']) assert.equal(parseOwner(junk), undefined, junk);
  });
});
