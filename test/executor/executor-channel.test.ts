import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';

const CHANNEL = fileURLToPath(new URL('../../runtime/common/executor-channel.js', import.meta.url));

/** A child whose module is still loading (a top-level await) when its parent closes the channel. */
function lateChild(dir: string): string {
  const file = join(dir, 'late-child.mjs');
  writeFileSync(
    file,
    `import { onExecutorGone } from ${JSON.stringify(CHANNEL)};
await new Promise((resolve) => setTimeout(resolve, 500));
onExecutorGone(() => { process.stdout.write('gone\\n'); process.exit(0); });
setTimeout(() => { process.stdout.write('never told\\n'); process.exit(3); }, 20000);
`,
  );
  return file;
}

describe('onExecutorGone', () => {
  it('tells a child whose channel closed while its module was still loading (when Node’s own event is long gone)', async () => {
    const child = spawn(process.execPath, [lateChild(tempDir())], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.disconnect();
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(output, 'gone\n');
    assert.equal(code, 0);
  });

  it('does nothing in a process started without a channel', async () => {
    const dir = tempDir();
    const file = join(dir, 'no-channel.mjs');
    writeFileSync(file, `import { onExecutorGone } from ${JSON.stringify(CHANNEL)};\nonExecutorGone(() => process.exit(5));\nsetTimeout(() => process.exit(0), 300);\n`);
    const child = spawn(process.execPath, [file], { stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
