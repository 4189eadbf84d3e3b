import { ContainerModule } from 'inversify';
import { StateManager } from '../../core/spi/state-manager.js';
import { ZooKeeperStateManager } from './zookeeper-state-manager.js';

/** Binds {@link StateManager} to the ZooKeeper tree; the loader binds its config token first. */
export const zooKeeperStateManagerModule = new ContainerModule((options) => {
  options.bind(StateManager).to(ZooKeeperStateManager).inSingletonScope();
});
