import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

/**
 * A real "disk full" for tests: a tmpfs of a few KiB, mounted in a private mount namespace (`unshare --mount`) so
 * that it exists only for one child process and vanishes with it, leaving the machine's mounts alone. Needs root
 * (CI and the dev machines run as root); elsewhere {@link smallTmpfsUnavailable} says why the test is skipped.
 */

let probed: string | false | undefined;

/** Why a small tmpfs cannot be mounted here, or false when it can. */
export function smallTmpfsUnavailable(): string | false {
  if (probed === undefined) {
    const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=4k tmpfs /tmp'], { encoding: 'utf8' });
    probed = result.status === 0 ? false : `cannot mount a tmpfs in a private mount namespace here (needs root): ${(result.stderr || String(result.error)).trim()}`;
  }
  return probed;
}

/**
 * Runs `node <script> <args...>` with a tmpfs of `sizeBytes` mounted at `mountPoint` (an existing, empty
 * directory), in a mount namespace of its own.
 */
export function spawnWithSmallTmpfs(mountPoint: string, sizeBytes: number, script: string, args: readonly string[]): ChildProcess {
  const shell = 'mount -t tmpfs -o "size=$1" tmpfs "$2" && shift 2 && exec "$@"';
  return spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', shell, 'sh', String(sizeBytes), mountPoint, process.execPath, script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
