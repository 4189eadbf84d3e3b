import { ContainerModule } from 'inversify';
import { Scheduler } from '../../core/spi/scheduler.js';
import { installedEntryPoint, LocalExecutorCommand } from './local-commands.js';
import { LocalExecutorEvents, LocalScheduler } from './local-scheduler.js';

/**
 * Binds {@link Scheduler} to the local scheduler, and its executor command and event observer to their defaults
 * (the installed `egret-executor`, no observer) unless the host bound its own before loading the module.
 */
export const localSchedulerModule = new ContainerModule((options) => {
  options.bind(Scheduler).to(LocalScheduler).inSingletonScope();
  if (!options.isBound(LocalExecutorCommand)) options.bind(LocalExecutorCommand).toConstantValue(installedEntryPoint('egret-executor'));
  if (!options.isBound(LocalExecutorEvents)) options.bind(LocalExecutorEvents).toConstantValue(() => undefined);
});
