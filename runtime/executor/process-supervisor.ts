import type { Logger } from 'winston';
import type { ProcessCommands, ProcessSpec } from './container-processes.js';
import type { ProcessFiles } from './process-files.js';
import type { RestartBackoffOptions } from './restart-backoff.js';
import { type ProcessEvent, SupervisedProcess } from './supervised-process.js';

/** What a {@link ProcessSupervisor} starts its processes with. */
export interface ProcessSupervisorOptions {
  /** How to start each kind of process. */
  readonly commands: ProcessCommands;
  readonly files: ProcessFiles;
  readonly backoff: RestartBackoffOptions;
  /** How long a process gets to exit after SIGTERM before SIGKILL. */
  readonly stopGraceMs: number;
  readonly logger: Logger;
  readonly onEvent?: (event: ProcessEvent) => void;
}

/** What {@link ProcessSupervisor.apply} changed. */
export interface AppliedProcesses {
  readonly started: readonly string[];
  readonly stopped: readonly string[];
}

/**
 * The set of processes one executor keeps running, by name. `apply` makes it match a wanted set (a new packing
 * plan adds or removes instances); `stopAll` ends it for good.
 */
export class ProcessSupervisor {
  private readonly processes = new Map<string, SupervisedProcess>();
  /** Processes on their way out (removed from the plan) and their stops: stopAll waits for them too. */
  private readonly retiring = new Map<SupervisedProcess, Promise<void>>();
  private closed = false;

  constructor(private readonly options: ProcessSupervisorOptions) {}

  /** The names of the supervised processes, sorted. */
  get names(): string[] {
    return [...this.processes.keys()].sort();
  }

  /** The live pid of a supervised process, undefined while it is down or unknown. */
  pidOf(name: string): number | undefined {
    return this.processes.get(name)?.pid;
  }

  /**
   * Stops the processes `wanted` does not name (waiting for them to exit) and starts those it names that are not
   * running yet; processes in both keep running untouched. Does nothing after {@link stopAll}.
   */
  async apply(wanted: ReadonlyMap<string, ProcessSpec>): Promise<AppliedProcesses> {
    if (this.closed) return { started: [], stopped: [] };
    const stopped = [...this.processes.keys()].filter((name) => !wanted.has(name));
    await Promise.all(
      stopped.map(async (name) => {
        const process = this.processes.get(name) as SupervisedProcess;
        this.processes.delete(name);
        const stopped = process.stop(this.options.stopGraceMs);
        this.retiring.set(process, stopped);
        await stopped;
        this.retiring.delete(process);
      }),
    );
    const started: string[] = [];
    for (const [name, spec] of wanted) {
      if (this.closed || this.processes.has(name)) continue;
      const process = new SupervisedProcess({
        spec,
        command: this.options.commands[spec.kind],
        files: this.options.files,
        backoff: this.options.backoff,
        logger: this.options.logger,
        ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
      });
      this.processes.set(name, process);
      process.start();
      started.push(name);
    }
    return { started, stopped };
  }

  /** Stops every process (SIGTERM, then SIGKILL after the grace period) and refuses further `apply`s. */
  async stopAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...[...this.processes.values()].map((process) => process.stop(this.options.stopGraceMs)), ...this.retiring.values()]);
    this.processes.clear();
  }

  /** SIGKILLs every process at once, synchronously: the last act of an executor that is exiting. */
  killAllNow(): void {
    this.closed = true;
    for (const process of [...this.processes.values(), ...this.retiring.keys()]) process.killNow();
  }
}
