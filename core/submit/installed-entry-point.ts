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
 * The Node options every process of a topology runs with. `--no-memory-reducer`: V8's memory reducer runs full
 * garbage collections on an isolate that has gone quiet, to give memory back, with helper threads on every core. A
 * topology's processes are long-lived and mostly quiet outside the tuple path (the instances' main threads, the
 * stream managers' JavaScript side, the topology manager, the metrics managers, the executors), so each did such
 * collections some seconds after starting, tens of milliseconds of both cores at a time, and every one stalled the
 * tuples in flight: complete latency's p99 at 365 000 acked tuples/s was 39.1 ms with it and 29.4 ms without (median
 * of 5 interleaved runs of bench:throughput's half-rate topology). The heaps keep the size they grew to instead:
 * word count on 2 containers, 14 processes, held 1 108 MiB of RSS 25 s after start with the reducer and 1 170 MiB
 * without it (two runs each), about 4.5 MiB a process.
 */
export const RUNTIME_NODE_OPTIONS: readonly string[] = ['--no-memory-reducer'];

/**
 * How to start entry point `name` of this installation, with the Node running this process: its bundle,
 * dist/bundle/<name>.js (scripts/bundle-entry-points.mjs; a process then starts in a third of the CPU time), when
 * the build made one and `unbundled` is false; else dist/bin/<name>.js with source maps on. Bundles run without
 * `--enable-source-maps`: parsing the bundle's map costs every process tens of milliseconds at start, and their
 * stack traces keep the functions' names (set {@link UNBUNDLED_ENV} for TypeScript positions). The path is
 * resolved from this module's place in dist/, so a plugin can start an installed process without importing bin/.
 * Node runs with {@link RUNTIME_NODE_OPTIONS} either way.
 */
export function installedEntryPoint(name: RuntimeEntryPoint, unbundled = unbundledRequested()): EntryPointCommand {
  const bundle = fileURLToPath(new URL(`../../bundle/${name}.js`, import.meta.url));
  if (!unbundled && existsSync(bundle)) return { command: process.execPath, args: [...RUNTIME_NODE_OPTIONS, bundle] };
  return { command: process.execPath, args: [...RUNTIME_NODE_OPTIONS, '--enable-source-maps', fileURLToPath(new URL(`../../bin/${name}.js`, import.meta.url))] };
}
