import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where an executor keeps what people and tests look at, under its working directory: `logs/<name>.log` (the
 * process's stdout and stderr, appended across restarts, with a marker line per start and per exit) and
 * `pids/<name>.pid` (the pid of the live process; absent while it is down). A test finds a process to SIGKILL
 * there; an executor restarted in the same directory finds the leftovers of its predecessor there.
 */
export class ProcessFiles {
  readonly logsDir: string;
  readonly pidsDir: string;

  constructor(readonly workingDir: string) {
    this.logsDir = join(workingDir, 'logs');
    this.pidsDir = join(workingDir, 'pids');
  }

  /** Creates the directories. */
  prepare(): void {
    mkdirSync(this.logsDir, { recursive: true });
    mkdirSync(this.pidsDir, { recursive: true });
  }

  /** `logs/<name>.log`. */
  logPath(name: string): string {
    return join(this.logsDir, `${name}.log`);
  }

  /** `pids/<name>.pid`. */
  pidPath(name: string): string {
    return join(this.pidsDir, `${name}.pid`);
  }

  /** Appends a marker line, told apart from the process's own output by its prefix. */
  mark(name: string, text: string): void {
    appendFileSync(this.logPath(name), `[egret-executor ${new Date().toISOString()}] ${text}\n`);
  }

  /** Records the live pid; written under another name and renamed, so a reader never sees half a number. */
  writePid(name: string, pid: number): void {
    const path = this.pidPath(name);
    writeFileSync(`${path}.${process.pid}.tmp`, `${pid}\n`);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }

  /** Forgets the pid of a process that is down. */
  removePid(name: string): void {
    rmSync(this.pidPath(name), { force: true });
  }

  /** The pid files there are, as name → pid (unreadable or malformed ones are skipped). */
  readPids(): Map<string, number> {
    const pids = new Map<string, number>();
    let files: string[];
    try {
      files = readdirSync(this.pidsDir);
    } catch {
      return pids;
    }
    for (const file of files.filter((f) => f.endsWith('.pid'))) {
      try {
        const pid = Number(readFileSync(join(this.pidsDir, file), 'utf8').trim());
        if (Number.isSafeInteger(pid) && pid > 0) pids.set(file.slice(0, -'.pid'.length), pid);
      } catch {
        // Removed between the listing and the read: that process is gone.
      }
    }
    return pids;
  }
}
