import { ContainerModule } from 'inversify';
import { StateManager } from '../../core/spi/state-manager.js';
import { LocalFsStateManager } from './localfs-state-manager.js';

/** Binds {@link StateManager} to the localfs tree; the loader binds its config token first. */
export const localFsStateManagerModule = new ContainerModule((options) => {
  options.bind(StateManager).to(LocalFsStateManager).inSingletonScope();
});
