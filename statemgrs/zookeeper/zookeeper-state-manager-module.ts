import { ContainerModule } from 'inversify';
import { StateManager } from '../../core/spi/state-manager.js';

/**
 * Binds {@link StateManager} to the ZooKeeper tree; the loader binds its config token first. The implementation,
 * and with it the ZooKeeper client, is imported only when the plugin is loaded: every process registers the
 * built-in plugins, and on a cluster with another state manager the client would cost each of them its load time.
 */
export const zooKeeperStateManagerModule = new ContainerModule(async (options) => {
  const { ZooKeeperStateManager } = await import('./zookeeper-state-manager.js');
  options.bind(StateManager).to(ZooKeeperStateManager).inSingletonScope();
});
