import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Which process holds a lock entry or owns an ephemeral node on the local file system: the record lets any other
 * process decide whether the owner is gone.
 */
export interface ProcessOwner {
  readonly pid: number;
  readonly host: string;
  /** When the process started (Linux: clock ticks after boot), so a recycled pid is not taken for the owner. */
  readonly started?: string;
}

/** The start time of a process from /proc, or undefined where /proc is not there (macOS) or the process is gone. */
function processStartTime(pid: number): { started: string; zombie: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after its closing ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0] ?? '';
    const started = fields[19];
    return started === undefined ? undefined : { started, zombie: state === 'Z' || state === 'X' };
  } catch {
    return undefined;
  }
}

let self: ProcessOwner | undefined;

/** This process, as recorded in the files it owns. */
export function currentProcessOwner(): ProcessOwner {
  if (!self) {
    const started = processStartTime(process.pid)?.started;
    self = { pid: process.pid, host: hostname(), ...(started === undefined ? {} : { started }) };
  }
  return self;
}

/**
 * False only when the owner is certainly gone: on this host, and its pid is free, a zombie, or now a different
 * process. An owner on another host (a root shared over NFS) cannot be checked from here and counts as alive.
 */
export function isOwnerAlive(owner: ProcessOwner): boolean {
  if (owner.host !== currentProcessOwner().host) return true;
  if (owner.pid === process.pid) return owner.started === undefined || owner.started === currentProcessOwner().started;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = processStartTime(owner.pid);
  if (now === undefined) return true;
  if (now.zombie) return false;
  return owner.started === undefined || owner.started === now.started;
}

/** Parses an owner record written by {@link formatOwner}; undefined for anything else (a torn or foreign file). */
export function parseOwner(text: string): ProcessOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<ProcessOwner> | null;
    if (!value || typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, host: value.host, ...(typeof value.started === 'string' ? { started: value.started } : {}) };
  } catch {
    return undefined;
  }
}

/** The owner record as stored, with `extra` fields beside it. */
export function formatOwner(owner: ProcessOwner, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ ...owner, ...extra })}\n`;
}
