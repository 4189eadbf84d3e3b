/**
 * Loads the compiled addon with node-gyp-build from the package root, where `npm install` builds it
 * (build/Release) or `npm run prebuild` left a prebuild (prebuilds/<platform>-<arch>/).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DataPathEvent, DataPathStats } from './data-path-types.js';

/** The package root: this file runs as dist/native/load-addon.js. */
export const PACKAGE_ROOT: string = fileURLToPath(new URL('../..', import.meta.url));

/** The options as the addon reads them: every value present, the drain interval in microseconds. */
export interface NativeDataPathOptions {
  readonly localEndpoint: string;
  readonly dataHost: string;
  readonly dataPort: number;
  readonly maxFrameBytes: number;
  readonly batchMaxBytes: number;
  readonly drainIntervalUs: number;
  readonly topologyName: string;
  readonly topologyId: string;
  readonly backPressureHighBytes: number;
  readonly backPressureLowBytes: number;
}

/** The addon's class (native/src/binding.cc); the facade in native-data-path.ts is its only user. */
export interface NativeDataPathHandle {
  start(): number;
  setRouting(routing: unknown): void;
  attachTask(connectionId: number, taskId: number): void;
  attachPeer(connectionId: number, stmgrId: string): void;
  setPeerHello(messageType: string, payload: Buffer, reconnectIntervalMs: number): void;
  send(connectionId: number, messageType: string, payload: Buffer, requestId?: Buffer): void;
  closeConnection(connectionId: number, reason: string): void;
  stats(): DataPathStats;
  close(): Promise<void>;
}

export interface NativeAddon {
  readonly DataPathHandle: new (options: NativeDataPathOptions, listener: (event: DataPathEvent) => void) => NativeDataPathHandle;
}

interface NodeGypBuild {
  (dir: string): NativeAddon;
  path(dir: string): string;
}

const nodeGypBuild = createRequire(import.meta.url)('node-gyp-build') as NodeGypBuild;
let addon: NativeAddon | undefined;

/** The addon, loaded once per process. Throws node-gyp-build's error when no build matches this platform. */
export function loadAddon(): NativeAddon {
  addon ??= nodeGypBuild(PACKAGE_ROOT);
  return addon;
}

/** The file loadAddon() loads: build/Release/egret_stmgr.node, or a prebuild (PREBUILDS_ONLY=1 forces one). */
export function addonPath(): string {
  return nodeGypBuild.path(PACKAGE_ROOT);
}
