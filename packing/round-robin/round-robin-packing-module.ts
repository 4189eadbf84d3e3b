import { ContainerModule } from 'inversify';
import { Packing } from '../../core/spi/packing.js';
import { RoundRobinPacking } from './round-robin-packing.js';

/** Binds {@link Packing} to the round-robin algorithm; the loader binds its config token first. */
export const roundRobinPackingModule = new ContainerModule((options) => {
  options.bind(Packing).to(RoundRobinPacking).inSingletonScope();
});
