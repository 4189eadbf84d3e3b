import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 20;
const AFTER_SIGKILL_MS = 5000;

/**
 * The live (non-zombie) members of process group `pgid`, from /proc. Signal 0 to the group cannot tell: it succeeds
 * while a zombie member waits for a parent that never reaps it, as under an init that does not. Where /proc is
 * missing, signal 0 is all there is, and the group counts as one unknown member while it answers.
 */
export function processGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return groupAnswers(pgid) ? [pgid] : [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // After the parenthesized command name: state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
  }
  return members;
}

/**
 * Stops every process of group `pgid` (a detached child and what it started): SIGTERM to the group, SIGKILL after
 * `graceMs`, then up to 5 s for them to go. Returns the pids still alive at the end.
 */
export async function stopProcessGroup(pgid: number, graceMs: number): Promise<number[]> {
  signalGroup(pgid, 'SIGTERM');
  if (await emptiesWithin(pgid, graceMs)) return [];
  signalGroup(pgid, 'SIGKILL');
  await emptiesWithin(pgid, AFTER_SIGKILL_MS);
  return processGroupMembers(pgid);
}

async function emptiesWithin(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processGroupMembers(pgid).length > 0) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
}

function groupAnswers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
