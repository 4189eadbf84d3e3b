import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LauncherError } from '../../core/spi/launcher.js';
import { processGroupMembers } from '../../schedulers/local/process-group.js';
import { isAlive } from '../../schedulers/local/process-termination.js';
import { tempDir, writeFiles } from '../helpers/temp-dir.js';
import { prepareLocalTopology } from './launched-topology.js';

describe('LocalLauncher', () => {
  it('reports a scheduler process that exits before writing its location, quoting the end of its log', async () => {
    const local = await prepareLocalTopology();
    const launcher = await local.launcher();
    const missing = 'file:///nonexistent/egret/tiny.tar.gz';
    await assert.rejects(launcher.launch(local.topology.plan, missing), (error: unknown) => {
      assert.ok(error instanceof LauncherError);
      assert.equal(error.code, 'LAUNCHER_LAUNCH_FAILED');
      assert.match(error.message, /the scheduler process exited with code 1 before writing its location/);
      assert.match(error.message, /the end of its log \(.*logs\/scheduler\.log\):\n/);
      assert.match(error.message, /fetching the topology package file:\/\/\/nonexistent\/egret\/tiny\.tar\.gz failed/);
      return true;
    });
    assert.equal(local.schedulerPid(), undefined, 'its pid file is removed');
    assert.equal(await local.location(), undefined);
  });

  it('stops the whole process group of a scheduler that never writes its location', async () => {
    const local = await prepareLocalTopology({ 'egret.scheduler.local.launch.timeout.ms': 1500, 'egret.scheduler.local.kill.grace.ms': 500 });
    // A scheduler that starts a helper of its own, ignores SIGTERM and says nothing.
    const script = join(tempDir(), 'silent-scheduler.mjs');
    writeFiles(script.slice(0, script.lastIndexOf('/')), {
      'silent-scheduler.mjs': [
        "import { spawn } from 'node:child_process';",
        "const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
        "process.on('SIGTERM', () => console.log('SIGTERM ignored'));",
        "console.log('silent scheduler ' + process.pid + ' helper ' + helper.pid);",
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    });
    const launcher = await local.launcher({ command: process.execPath, args: [script] });
    let pgid: number | undefined;
    await assert.rejects(launcher.launch(local.topology.plan, local.topology.packageFileUri), (error: unknown) => {
      assert.ok(error instanceof LauncherError);
      assert.match(error.message, /did not write its location within 1500 ms/);
      const match = /silent scheduler (\d+) helper (\d+)/.exec(error.message);
      assert.ok(match, `the log's end is quoted: ${error.message}`);
      pgid = Number(match[1]);
      assert.equal(isAlive(Number(match[1])), false, 'the scheduler is gone');
      assert.equal(isAlive(Number(match[2])), false, 'its helper is gone');
      return true;
    });
    assert.deepEqual(processGroupMembers(pgid as number), []);
  });
});
