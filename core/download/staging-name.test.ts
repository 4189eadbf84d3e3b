import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { FOREIGN_STAGING_MAX_AGE_MS, isAbandonedStaging, parseStagingName, stagingName } from './staging-name.js';

describe('staging names (downloads and uploads in progress)', () => {
  it('records target, host, pid and kind, and parses back even with dots in the target and the host', () => {
    const name = stagingName('word.count.tar.gz', 'partial');
    assert.deepEqual(parseStagingName(name, 'word.count.tar.gz'), { target: 'word.count.tar.gz', host: hostname(), pid: process.pid, kind: 'partial' });
    assert.deepEqual(parseStagingName('.p.tar.gz.node-1.example.com.42.0a1b2c3d.previous', 'p.tar.gz'), { target: 'p.tar.gz', host: 'node-1.example.com', pid: 42, kind: 'previous' });
    assert.equal(parseStagingName(name, 'other.tar.gz'), undefined);
    assert.equal(parseStagingName('p.tar.gz', 'p.tar.gz'), undefined);
  });

  it('calls abandoned what a dead process on this host left, never what a live one (or this one) is writing', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const now = Date.now();
    assert.equal(isAbandonedStaging(`.p.${hostname()}.${dead}.0a1b2c3d.partial`, 'p', now), true);
    assert.equal(isAbandonedStaging(`.p.${hostname()}.${process.pid}.0a1b2c3d.partial`, 'p', now), false);
    assert.equal(isAbandonedStaging(`.p.${hostname()}.${process.ppid}.0a1b2c3d.previous`, 'p', now), false);
    assert.equal(isAbandonedStaging('p', 'p', 0), false);
  });

  it('calls abandoned what another host left only once it is older than a day', () => {
    const now = Date.now();
    const foreign = '.p.some-other-host.1.0a1b2c3d.partial';
    assert.equal(isAbandonedStaging(foreign, 'p', now - 1000, now), false);
    assert.equal(isAbandonedStaging(foreign, 'p', now - FOREIGN_STAGING_MAX_AGE_MS - 1, now), true);
  });
});
