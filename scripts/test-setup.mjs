#!/usr/bin/env node
// Run before `npm test`: makes sure everything the tests need is installed and built, and fails with a
// clear message where it cannot. Later issues add system packages (ZooKeeper) here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function step(what, command, args) {
  process.stderr.write(`test-setup: ${what}\n`);
  try {
    execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  } catch (error) {
    process.stderr.write(`test-setup: ${what} failed (${command} ${args.join(' ')}): ${error.message}\n`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'node_modules', '.bin', 'tsc'))) {
  step('installing npm dependencies (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
}
step('building (scripts/build.mjs)', process.execPath, [join(root, 'scripts', 'build.mjs')]);
step('type-checking examples and the third-party plugin fixture', 'npm', ['run', '--silent', 'typecheck']);
