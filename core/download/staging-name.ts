import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Names for the files a transfer keeps beside its target while it works: `partial` holds bytes on their way in,
 * `previous` keeps the package an upload replaced until the upload is confirmed. The name records the host and pid
 * of the process that made it, so a later process can tell the leftovers of a killed one from the work of a live
 * one: `.<target>.<host>.<pid>.<8 hex>.<kind>`. The leading dot keeps them out of `ls` and out of globs.
 */
export type StagingKind = 'partial' | 'previous';

/** A parsed staging name. */
export interface StagingName {
  readonly target: string;
  readonly host: string;
  readonly pid: number;
  readonly kind: StagingKind;
}

/** Leftovers from another host are removed once this old, since whether their process lives cannot be checked. */
export const FOREIGN_STAGING_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** A fresh staging name for `target` (a base name, not a path) owned by this process. */
export function stagingName(target: string, kind: StagingKind): string {
  return `.${target}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`;
}

/** The parts of `name` when it is a staging name of `target`, else undefined. */
export function parseStagingName(name: string, target: string): StagingName | undefined {
  const prefix = `.${target}.`;
  if (!name.startsWith(prefix)) return undefined;
  // The host may hold dots, the target too; anchoring the fixed fields at the end keeps the split unambiguous.
  const match = /^(.+)\.(\d+)\.[0-9a-f]{8}\.(partial|previous)$/.exec(name.slice(prefix.length));
  if (!match) return undefined;
  return { target, host: match[1] as string, pid: Number(match[2]), kind: match[3] as StagingKind };
}

/** True when process `pid` exists on this host (a process we may not signal still exists). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the staging entry `name` of `target` belongs to no running transfer: its process on this host is gone,
 * or it comes from another host and was last modified more than {@link FOREIGN_STAGING_MAX_AGE_MS} ago.
 */
export function isAbandonedStaging(name: string, target: string, modifiedMs: number, now = Date.now()): boolean {
  const parsed = parseStagingName(name, target);
  if (!parsed) return false;
  if (parsed.host === hostname()) return parsed.pid !== process.pid && !isProcessAlive(parsed.pid);
  return now - modifiedMs > FOREIGN_STAGING_MAX_AGE_MS;
}
