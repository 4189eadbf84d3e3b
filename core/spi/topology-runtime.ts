/** DI token of the {@link TopologyRuntime} of the topology a process works on. */
export const TopologyRuntime: unique symbol = Symbol.for('egret.spi.TopologyRuntime');

/**
 * Which topology a plugin is working for, bound by the process that hosts it (the CLI on submit and runtime
 * commands, the scheduler process, the executor) before any plugin is created. Plugins inject it rather than
 * taking these values as method arguments, so the contracts stay small.
 */
export interface TopologyRuntime {
  readonly topologyName: string;
  /** Unique per submission: the same name submitted twice gets two ids. */
  readonly topologyId: string;
  readonly cluster: string;
  readonly role: string;
  readonly environment: string;
  /** The OS user who submitted. */
  readonly submitUser: string;
  /**
   * The URI of the uploaded package, once there is one: set for launchers' children, schedulers and executors;
   * absent while submit is still packing and uploading.
   */
  readonly packageUri?: string;
}
