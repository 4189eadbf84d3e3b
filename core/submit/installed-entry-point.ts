import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The processes of a running topology, each an entry point in bin/. */
export type RuntimeEntryPoint = 'egret-scheduler' | 'egret-executor' | 'egret-tmanager' | 'egret-stmgr' | 'egret-metricsmgr' | 'egret-instance';

/** A program and the arguments that come before the ones its starter adds. */
export interface EntryPointCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Set (to anything but `0` or empty), Egret runs from the unbundled modules of dist/ instead of the bundles of
 * dist/bundle/ (scripts/bundle-entry-points.mjs): the `egret` command itself, and every process a topology starts,
 * since children inherit the environment. For stack traces mapped to the TypeScript sources, and as a way out should
 * a bundle ever behave differently from the modules it was made of.
 */
export const UNBUNDLED_ENV = 'EGRET_UNBUNDLED';

/** True when `env` asks for unbundled entry points ({@link UNBUNDLED_ENV}). */
export function unbundledRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[UNBUNDLED_ENV];
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * How to start entry point `name` of this installation, with the Node running this process: its bundle,
 * dist/bundle/<name>.js (scripts/bundle-entry-points.mjs; a process then starts in a third of the CPU time), when
 * the build made one and `unbundled` is false; else dist/bin/<name>.js with source maps on. Bundles run without
 * `--enable-source-maps`: parsing the bundle's map costs every process tens of milliseconds at start, and their
 * stack traces keep the functions' names (set {@link UNBUNDLED_ENV} for TypeScript positions). The path is
 * resolved from this module's place in dist/, so a plugin can start an installed process without importing bin/.
 */
export function installedEntryPoint(name: RuntimeEntryPoint, unbundled = unbundledRequested()): EntryPointCommand {
  const bundle = fileURLToPath(new URL(`../../bundle/${name}.js`, import.meta.url));
  if (!unbundled && existsSync(bundle)) return { command: process.execPath, args: [bundle] };
  return { command: process.execPath, args: ['--enable-source-maps', fileURLToPath(new URL(`../../bin/${name}.js`, import.meta.url))] };
}
