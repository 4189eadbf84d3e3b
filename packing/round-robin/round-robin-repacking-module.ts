import { ContainerModule } from 'inversify';
import { Repacking } from '../../core/spi/repacking.js';
import { RoundRobinRepacking } from './round-robin-repacking.js';

/** Binds {@link Repacking} to round-robin's repacking; the loader binds its config token first. */
export const roundRobinRepackingModule = new ContainerModule((options) => {
  options.bind(Repacking).to(RoundRobinRepacking).inSingletonScope();
});
