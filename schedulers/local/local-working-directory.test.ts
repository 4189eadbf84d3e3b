import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LocalWorkingDirectory } from './local-working-directory.js';

describe('LocalWorkingDirectory', () => {
  it('reads the executors\' pid files and skips what is not one', () => {
    const dir = new LocalWorkingDirectory(join(tempDir(), 'work'));
    dir.prepare();
    dir.writePid('executor-0', 100);
    dir.writePid('executor-12', 112);
    dir.writePid('scheduler', 99);
    writeFileSync(dir.pidPath('executor-3'), 'not a pid\n');
    writeFileSync(dir.pidPath('executor-x'), '7\n');
    assert.deepEqual([...dir.executorPids()].sort(([a], [b]) => a - b), [[0, 100], [12, 112]]);
    assert.equal(dir.readPid('scheduler'), 99);
  });

  it('removes a pid file only while it names the pid it was told', () => {
    const dir = new LocalWorkingDirectory(join(tempDir(), 'work'));
    dir.prepare();
    dir.writePid('executor-1', 200);
    dir.removePid('executor-1', 199);
    assert.equal(dir.readPid('executor-1'), 200, 'a restart rewrote it: not the old pid\'s to remove');
    dir.removePid('executor-1', 200);
    assert.equal(dir.readPid('executor-1'), undefined);
  });

  it('lists the containers that have a directory, and their children\'s pid files', () => {
    const dir = new LocalWorkingDirectory(join(tempDir(), 'work'));
    for (const name of ['container-2', 'container-0', 'container-x', 'logs']) mkdirSync(join(dir.root, name), { recursive: true });
    mkdirSync(join(dir.containerDir(2), 'pids'));
    writeFileSync(join(dir.containerDir(2), 'pids', 'stmgr-2.pid'), '300\n');
    assert.deepEqual(dir.containerDirs(), [0, 2]);
    assert.deepEqual([...dir.childPids(2)], [['stmgr-2', 300]]);
    assert.deepEqual([...dir.childPids(0)], []);
  });
});
