import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The environment variables that tell, from /proc/<pid>/environ, which process of which topology a pid is. They are
 * the ones runtime/executor gives its children (runtime/executor/README.md), so every process of a local topology
 * carries its name and the working directory whose pid file names it: the scheduler (set by the launcher), each
 * executor (set by the scheduler), each executor's child (set by the executor).
 */
export const PROCESS_IDENTITY_ENV = {
  name: 'EGRET_PROCESS_NAME',
  workingDir: 'EGRET_WORKING_DIR',
} as const;

/** The name the scheduler process goes by in its pid file and environment. */
export const SCHEDULER_PROCESS_NAME = 'scheduler';

const EXECUTOR_PREFIX = 'executor-';

/**
 * A local topology's working directory (`egret.scheduler.local.working.directory`):
 *
 * ```
 * logs/scheduler.log          the scheduler process's stdout and stderr (the launcher opens it)
 * logs/executor-<c>.log       executor c's stdout and stderr, appended across restarts, with a marker line per start and exit
 * pids/scheduler.pid          the scheduler process (written by the launcher)
 * pids/executor-<c>.pid       executor c while it runs (written by the scheduler)
 * container-<c>/              executor c's own working directory: package/, logs/, pids/ of its children
 * package/                    the package as the scheduler process unpacked it
 * ```
 *
 * The pid files let any later process (a library-mode kill after the scheduler process died) find every process of
 * the topology; each is trusted only after {@link PROCESS_IDENTITY_ENV} confirms it.
 */
export class LocalWorkingDirectory {
  readonly root: string;
  readonly logsDir: string;
  readonly pidsDir: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.logsDir = join(this.root, 'logs');
    this.pidsDir = join(this.root, 'pids');
  }

  /** Creates `logs/` and `pids/` (and the root). */
  prepare(): void {
    mkdirSync(this.logsDir, { recursive: true });
    mkdirSync(this.pidsDir, { recursive: true });
  }

  /** `executor-<c>`: the executor's name in its pid file, its log and its environment. */
  static executorName(container: number): string {
    return `${EXECUTOR_PREFIX}${container}`;
  }

  /** Executor c's working directory. */
  containerDir(container: number): string {
    return join(this.root, `container-${container}`);
  }

  logPath(name: string): string {
    return join(this.logsDir, `${name}.log`);
  }

  pidPath(name: string): string {
    return join(this.pidsDir, `${name}.pid`);
  }

  /** The environment entries that identify process `name` of this directory. */
  identityEnv(name: string): Record<string, string> {
    return { [PROCESS_IDENTITY_ENV.name]: name, [PROCESS_IDENTITY_ENV.workingDir]: this.root };
  }

  /** Appends a line to `name`'s log, marked as the scheduler's rather than the process's own output. */
  mark(name: string, text: string): void {
    try {
      appendFileSync(this.logPath(name), `[egret-scheduler ${new Date().toISOString()}] ${text}\n`);
    } catch {
      // A log line is not worth failing a start or a stop for (the directory may be gone after a kill).
    }
  }

  /** Records `name`'s pid; written aside and renamed, so that a reader never sees half a number. */
  writePid(name: string, pid: number): void {
    const path = this.pidPath(name);
    const staging = `${path}.${process.pid}.tmp`;
    writeFileSync(staging, `${pid}\n`);
    renameSync(staging, path);
  }

  /** Removes `name`'s pid file; with `pid`, only while it still names that pid (a restart may have rewritten it). */
  removePid(name: string, pid?: number): void {
    if (pid !== undefined && this.readPid(name) !== pid) return;
    rmSync(this.pidPath(name), { force: true });
  }

  /** The pid `name`'s pid file holds, or undefined (absent, unreadable, not a pid). */
  readPid(name: string): number | undefined {
    return readPidFile(this.pidPath(name));
  }

  /** The executors' pid files, as container → pid. */
  executorPids(): Map<number, number> {
    const pids = new Map<number, number>();
    for (const [name, pid] of readPidDir(this.pidsDir)) {
      const container = name.startsWith(EXECUTOR_PREFIX) ? Number(name.slice(EXECUTOR_PREFIX.length)) : Number.NaN;
      if (Number.isSafeInteger(container) && container >= 0) pids.set(container, pid);
    }
    return pids;
  }

  /** The containers that have a working directory here (the executors that ever ran), sorted. */
  containerDirs(): number[] {
    let entries: string[];
    try {
      entries = readdirSync(this.root);
    } catch {
      return [];
    }
    return entries
      .map((entry) => /^container-(\d+)$/.exec(entry)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The pid files executor c keeps for its children (runtime/executor's `pids/<name>.pid`), as name → pid. */
  childPids(container: number): Map<string, number> {
    return readPidDir(join(this.containerDir(container), 'pids'));
  }
}

function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function readPidDir(dir: string): Map<string, number> {
  const pids = new Map<string, number>();
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return pids;
  }
  for (const file of files) {
    if (!file.endsWith('.pid')) continue;
    const pid = readPidFile(join(dir, file));
    if (pid !== undefined) pids.set(file.slice(0, -'.pid'.length), pid);
  }
  return pids;
}
