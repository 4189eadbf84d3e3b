#!/usr/bin/env node
// Run before `npm test`: makes sure everything the tests need is installed and built, and fails with a
// clear message where it cannot: npm dependencies, system packages (ZooKeeper), the build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

// The ZooKeeper state manager is tested against a real server from Debian's `zookeeper` package (not `zookeeperd`,
// which would start a system service on port 2181); test/helpers/zookeeper-server.ts runs it from this jar. The
// ZooKeeper tests never skip: without the package they fail, so this installs it or stops here saying why.
const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
function zookeeperInstalled() {
  if (!existsSync(ZOOKEEPER_JAR)) return false;
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', 'zookeeper'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed');
  } catch (error) {
    // No dpkg (not Debian): the jar is all the tests use.
    return error.code === 'ENOENT';
  }
}
if (!zookeeperInstalled()) {
  const how = 'install it with `apt-get install -y zookeeper` (Debian/Ubuntu, as root), then run npm test again';
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0) {
    process.stderr.write(`test-setup: ZooKeeper (the Debian package zookeeper, with ${ZOOKEEPER_JAR}) is not installed and this user cannot install it: ${how}\n`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => execFileSync('apt-get', args, { cwd: root, stdio: 'inherit', env });
  process.stderr.write('test-setup: installing ZooKeeper (apt-get install -y zookeeper)\n');
  try {
    try {
      apt(['install', '-y', '--no-install-recommends', 'zookeeper']);
    } catch {
      // A fresh machine has no package lists yet.
      apt(['update']);
      apt(['install', '-y', '--no-install-recommends', 'zookeeper']);
    }
  } catch (error) {
    process.stderr.write(`test-setup: installing ZooKeeper failed (${error.message}); ${how}\n`);
    process.exit(1);
  }
  if (!zookeeperInstalled()) {
    process.stderr.write(`test-setup: apt-get installed the zookeeper package but ${ZOOKEEPER_JAR} is missing; ${how}\n`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'node_modules', '.bin', 'tsc'))) {
  step('installing npm dependencies (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
}
// The stream manager addon (native/): `npm install` builds it once (the `install` script, node-gyp-build); rebuild
// it here when its sources are newer than the binary, so tests never run a stale one. npm's own node-gyp does the
// work (nodedir comes from npm's config), through node-gyp-build's --build-from-source path.
const ADDON = join(root, 'build', 'Release', 'egret_stmgr.node');
function addonSources() {
  const src = join(root, 'native', 'src');
  return [join(root, 'binding.gyp'), join(root, 'native', 'binding.gyp'), ...readdirSync(src).map((f) => join(src, f))];
}
if (!existsSync(ADDON) || statSync(ADDON).mtimeMs < Math.max(...addonSources().map((f) => statSync(f).mtimeMs))) {
  process.stderr.write('test-setup: building the stream manager addon (npm run install, from source)\n');
  try {
    execFileSync('npm', ['run', '--silent', 'install'], { cwd: root, stdio: 'inherit', env: { ...process.env, npm_config_build_from_source: 'true' } });
  } catch (error) {
    process.stderr.write(`test-setup: building the addon failed (${error.message}); it needs g++, make, python3 and Node's headers (npm config nodedir)\n`);
    process.exit(1);
  }
}
step('building (scripts/build.mjs)', process.execPath, [join(root, 'scripts', 'build.mjs')]);
step('type-checking examples and the third-party plugin fixture', 'npm', ['run', '--silent', 'typecheck']);
