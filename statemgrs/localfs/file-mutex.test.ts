import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { FileMutex } from './file-mutex.js';
import { currentProcessOwner, formatOwner } from './process-owner.js';

const dir = tempDir();

describe('FileMutex', () => {
  it('lets one holder in at a time among many contenders', async () => {
    const lockDir = join(dir, 'many');
    let inside = 0;
    let maxInside = 0;
    let entered = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const held = await new FileMutex(lockDir).acquire(10_000);
        assert.ok(held);
        inside++;
        entered++;
        maxInside = Math.max(maxInside, inside);
        await sleep(5);
        inside--;
        await held.release();
        await held.release();
      }),
    );
    assert.equal(entered, 6);
    assert.equal(maxInside, 1);
    assert.deepEqual(readdirSync(lockDir), [], 'every entry is removed on release');
  });

  it('gives up after the timeout, removing its own entry', async () => {
    const lockDir = join(dir, 'timeout');
    const held = await new FileMutex(lockDir).acquire(1000);
    const started = Date.now();
    assert.equal(await new FileMutex(lockDir).acquire(100), undefined);
    assert.ok(Date.now() - started >= 100);
    assert.equal(readdirSync(lockDir).length, 1);
    await held?.release();
  });

  it('removes the entries of dead processes, even one caught choosing its ticket', async () => {
    const lockDir = join(dir, 'dead');
    const pid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const dead = { ...currentProcessOwner(), pid };
    const first = await new FileMutex(lockDir).acquire(1000);
    await first?.release();
    writeFileSync(join(lockDir, `${pid}-holder`), formatOwner(dead, { id: `${pid}-holder`, choosing: false, ticket: 1 }));
    writeFileSync(join(lockDir, `${pid}-chooser`), formatOwner(dead, { id: `${pid}-chooser`, choosing: true, ticket: 0 }));
    const held = await new FileMutex(lockDir).acquire(1000);
    assert.ok(held, 'the dead entries must not block');
    assert.equal(readdirSync(lockDir).length, 1);
    await held.release();
  });
});
