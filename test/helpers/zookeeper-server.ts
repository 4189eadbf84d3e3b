import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real ZooKeeper for tests: Debian's `zookeeper` package (scripts/test-setup.mjs installs it), one standalone
 * server per call on a free 127.0.0.1 port in a temporary directory, with `tickTime=500` so that sessions can be
 * as short as 1 s. The server is ready when the `srvr` command reports `Mode: standalone` (`ruok` answers
 * `imok` before the server serves requests). Every server started here is killed by pid when the test file ends,
 * even when a test fails or the process exits abruptly.
 */

export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const TICK_MS = 500;
const READY_TIMEOUT_MS = 30_000;

/** The servers still running: each JVM's pid and the shell that guards it (see launch). */
const running = new Set<{ guard: ChildProcess; pid: number }>();
process.on('exit', () => {
  for (const { guard, pid } of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
    guard.kill('SIGKILL');
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed JVM stays a zombie until its shell reaps it.
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export interface ZooKeeperServer {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly connectionString: string;
  readonly dir: string;
  /** The server JVM's pid (changes on restart). */
  readonly pid: number;
  /** Stops the server (SIGKILL: what a crash looks like to clients) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port; `wipe` starts from an empty data directory (every session gone). */
  start(options?: { wipe?: boolean }): Promise<void>;
  /** Runs ZooKeeper's own CLI with `commands` on stdin, one a line; returns its output. Throws when it fails. */
  cli(commands: readonly string[]): string;
}

/** A free loopback port (it may be taken again before the server binds it: starting retries). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Sends a four-letter command and returns the whole answer ('' when the connection fails). */
export function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(word));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(answer));
  });
}

function ensureInstalled(): void {
  if (!existsSync(ZOOKEEPER_JAR)) {
    throw new Error(`ZooKeeper is not installed (${ZOOKEEPER_JAR} is missing): run \`node scripts/test-setup.mjs\` (it installs Debian's zookeeper package), or \`apt-get install -y zookeeper\``);
  }
}

/** Starts a standalone server; call {@link ZooKeeperServer.stop} or let the test file's end kill it. */
export async function startZooKeeper(): Promise<ZooKeeperServer> {
  ensureInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'egret-zk-'));
  let port = await freePort();
  let child: { guard: ChildProcess; pid: number } | undefined;

  const launch = async (): Promise<void> => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'zoo.cfg'),
      [
        `tickTime=${TICK_MS}`,
        `dataDir=${join(dir, 'data')}`,
        `clientPort=${port}`,
        'clientPortAddress=127.0.0.1',
        'maxClientCnxns=0',
        'admin.enableServer=false',
        '4lw.commands.whitelist=srvr',
      ].join('\n') + '\n',
    );
    // A shell between us and the JVM holds our end of a pipe: when this process dies, even by SIGKILL, the pipe
    // closes, `cat` returns and the shell kills the server, so no test run leaves a ZooKeeper behind.
    const java = ['java', '-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', ZOOKEEPER_JAR, `-Dzookeeper.log.dir=${dir}`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(dir, 'zoo.cfg')];
    const guard = spawn('/bin/sh', ['-c', '"$@" >>"$ZK_LOG" 2>&1 & echo $!; cat >/dev/null; kill -9 $! 2>/dev/null; wait', 'zookeeper', ...java], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ZK_LOG: join(dir, 'zk.out') },
    });
    const jvmPid = await new Promise<number>((resolve, reject) => {
      guard.stdout!.once('data', (chunk: Buffer) => resolve(Number.parseInt(chunk.toString(), 10)));
      guard.once('error', reject);
      guard.once('exit', () => reject(new Error('the shell starting ZooKeeper exited')));
    });
    const jvm = { guard, pid: jvmPid };
    child = jvm;
    running.add(jvm);
    guard.once('exit', () => running.delete(jvm));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!isAlive(jvm.pid)) {
        await kill();
        throw new Error(`ZooKeeper exited while starting; its output:\n${readFileSync(join(dir, 'zk.out'), 'utf8')}`);
      }
      if ((await fourLetterWord(port, 'srvr')).includes('Mode: standalone')) return;
      await sleep(50);
    }
    await kill();
    throw new Error(`ZooKeeper did not answer srvr on port ${port} within ${READY_TIMEOUT_MS} ms; its output:\n${readFileSync(join(dir, 'zk.out'), 'utf8')}`);
  };

  const kill = async (): Promise<void> => {
    const jvm = child;
    child = undefined;
    if (!jvm) return;
    try {
      process.kill(jvm.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
    if (jvm.guard.exitCode === null && jvm.guard.signalCode === null) {
      const exited = new Promise((resolve) => jvm.guard.once('exit', resolve));
      // The shell reaps the JVM once its stdin closes, then exits.
      jvm.guard.stdin!.end();
      await exited;
    }
  };

  // Another process may grab the port between freePort() and the JVM's bind: try a few ports.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }

  const server: ZooKeeperServer = {
    get port() {
      return port;
    },
    get connectionString() {
      return `127.0.0.1:${port}`;
    },
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    stop: kill,
    async start(options = {}) {
      await kill();
      if (options.wipe) rmSync(join(dir, 'data'), { recursive: true, force: true });
      await launch();
    },
    cli(commands) {
      const result = spawnSync('java', ['-Xmx64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', ZOOKEEPER_JAR, 'org.apache.zookeeper.ZooKeeperMain', '-server', server.connectionString], {
        input: `${[...commands, 'quit'].join('\n')}\n`,
        encoding: 'utf8',
        timeout: 30_000,
      });
      if (result.error || result.status !== 0) throw new Error(`zkCli failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stdout}${result.stderr}`);
      return result.stdout;
    },
  };
  return server;
}

/**
 * Starts one server for the test file (in a `before` hook) and stops it and removes its directory in `after`.
 * Returns a getter, valid inside tests.
 */
export function useZooKeeper(): () => ZooKeeperServer {
  let server: ZooKeeperServer | undefined;
  before(async () => {
    server = await startZooKeeper();
  });
  after(async () => {
    await server?.stop();
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });
  return () => {
    if (!server) throw new Error('the ZooKeeper server is not running (useZooKeeper() starts it in a before hook)');
    return server;
  };
}
