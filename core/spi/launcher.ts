import { EgretError } from '../errors.js';
import type { PackingPlan } from './packing-plan.js';
import type { SchedulerMode } from './scheduler.js';

export type LauncherErrorCode =
  /** The scheduler (process or in-process) could not be started or did not schedule the topology. */
  | 'LAUNCHER_LAUNCH_FAILED'
  /** The launcher's environment is missing something it needs (a binary, a directory, credentials). */
  | 'LAUNCHER_ENVIRONMENT';

/** Thrown by {@link Launcher.launch}; submit then rolls back every step before it. */
export class LauncherError extends EgretError<LauncherErrorCode> {}

/** DI token of the {@link Launcher} plugin chosen by `egret.launcher` (default: the scheduler's own). */
export const Launcher: unique symbol = Symbol.for('egret.spi.Launcher');

/**
 * DI token of a boolean that every plugin container binds: whether the topology's processes may open TLS connections
 * through the plugins its config selects (core/plugins/plugins-use-tls.ts). A launcher that starts Egret's processes
 * itself starts them with `NODE_EXTRA_CA_CERTS` held aside when it is false (core/submit/extra-ca-certs.ts).
 */
export const PluginsUseTls: unique symbol = Symbol.for('egret.spi.PluginsUseTls');

/**
 * Starts a topology's scheduler: the last step of `egret submit`. In service mode it starts the scheduler process
 * (which schedules the containers and writes its location); in library mode it runs the {@link Scheduler}'s
 * onSchedule in-process and writes the scheduler location itself.
 */
export interface Launcher {
  /** How the scheduler it launches runs; submit records it in the execution state for later runtime commands. */
  readonly mode: SchedulerMode;
  /**
   * Called once, after the topology, packing plan and execution state are in the state manager and the package
   * is uploaded to `packageUri`. Resolves when the containers are requested (in service mode: once the scheduler
   * process has written its location). Throws {@link LauncherError}; on failure the launcher stops whatever it
   * started, and submit undoes the earlier steps.
   */
  launch(plan: PackingPlan, packageUri: string): Promise<void>;
  /** Releases what the launcher holds; a scheduler process it started keeps running. Safe to call twice. */
  close(): Promise<void>;
}
