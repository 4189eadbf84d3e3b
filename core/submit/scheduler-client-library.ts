import type { Config } from '../config/config.js';
import { createPluginContainer } from '../plugins/plugin-container.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { type KillRequest, type RestartRequest, Scheduler, type UpdateRequest } from '../spi/scheduler.js';
import { StateManager } from '../spi/state-manager.js';
import { TopologyRuntime } from '../spi/topology-runtime.js';
import type { SchedulerClient } from './scheduler-client.js';

/** What it takes to create a topology's scheduler plugin in this process. */
export interface LibrarySchedulerContext {
  /** The config selecting the scheduler and holding its keys (the cluster's, with the topology's variables). */
  readonly config: Config;
  readonly registry: PluginRegistry;
  readonly runtime: TopologyRuntime;
  /**
   * A state manager the caller has open, handed to the scheduler rather than a second one opened (and left open
   * by the client). Without it, the client opens the configured one for each call and closes it after.
   */
  readonly state?: StateManager;
}

/**
 * Reaches a topology's scheduler in library mode (Heron's LibrarySchedulerClient): for each call, a DI container
 * with the scheduler plugin the config selects and the topology's runtime, the one method called, and the
 * scheduler closed again. Also the way a kill reaches a service-mode topology whose scheduler process is gone
 * (scheduler-client-factory.ts): a scheduler created here must then find the topology's containers on its own (the
 * local scheduler does, by its pid files). Errors pass through as the plugin throws them (SchedulerError, or
 * PluginError when it cannot be loaded).
 */
export class LibrarySchedulerClient implements SchedulerClient {
  readonly mode = 'library' as const;

  constructor(private readonly context: LibrarySchedulerContext) {}

  kill(request: KillRequest): Promise<void> {
    return this.withScheduler((scheduler) => scheduler.onKill(request));
  }

  restart(request: RestartRequest): Promise<void> {
    return this.withScheduler((scheduler) => scheduler.onRestart(request));
  }

  update(request: UpdateRequest): Promise<void> {
    return this.withScheduler((scheduler) => scheduler.onUpdate(request));
  }

  async close(): Promise<void> {
    // Every call closes what it created.
  }

  private async withScheduler(call: (scheduler: Scheduler) => Promise<void>): Promise<void> {
    const { config, registry, runtime, state } = this.context;
    const container = await createPluginContainer({
      config,
      registry,
      families: state ? ['scheduler'] : ['statemgr', 'scheduler'],
      bind: (c) => {
        c.bind(TopologyRuntime).toConstantValue(runtime);
        if (state) c.bind(StateManager).toConstantValue(state);
      },
    });
    try {
      const scheduler = container.get<Scheduler>(Scheduler);
      try {
        await call(scheduler);
      } finally {
        await scheduler.close();
      }
    } finally {
      if (!state && container.isBound(StateManager)) await container.get<StateManager>(StateManager).close();
    }
  }
}
