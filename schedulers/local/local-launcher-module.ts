import { ContainerModule } from 'inversify';
import { Launcher } from '../../core/spi/launcher.js';
import { installedEntryPoint, LocalSchedulerCommand } from './local-commands.js';
import { LocalLauncher } from './local-launcher.js';

/** Binds {@link Launcher} to the local launcher, and its scheduler command to the installed `egret-scheduler` unless the host bound another. */
export const localLauncherModule = new ContainerModule((options) => {
  options.bind(Launcher).to(LocalLauncher).inSingletonScope();
  if (!options.isBound(LocalSchedulerCommand)) options.bind(LocalSchedulerCommand).toConstantValue(installedEntryPoint('egret-scheduler'));
});
