import { PluginRegistry } from '../core/plugins/plugin-registry.js';
import { schedulerPlugins } from '../schedulers/index.js';
import { stateManagerPlugins } from '../statemgrs/index.js';

/**
 * A registry holding the built-in state managers, schedulers and launchers only, for the scheduler process
 * (`egret-scheduler`): `statemgr` and `scheduler` are the families it selects (core/submit/scheduler-main.ts), and the
 * packing and uploader plugins' descriptors and config schemas were loaded there for nothing, before it could start
 * the executors. External plugins (`egret.plugins`) are registered beside these as in any process.
 */
export function builtInSchedulerProcessRegistry(): PluginRegistry {
  return PluginRegistry.of([...stateManagerPlugins, ...schedulerPlugins]);
}
