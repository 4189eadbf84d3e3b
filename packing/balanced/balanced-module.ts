import { ContainerModule } from 'inversify';
import { Packing } from '../../core/spi/packing.js';
import { Repacking } from '../../core/spi/repacking.js';
import { BalancedPacking } from './balanced-packing.js';
import { BalancedRepacking } from './balanced-repacking.js';

/** Binds {@link Packing} to the balanced packing; the loader binds its config token first. */
export const balancedPackingModule = new ContainerModule((options) => {
  options.bind(Packing).to(BalancedPacking).inSingletonScope();
});

/** Binds {@link Repacking} to the balanced repacking; the loader binds its config token first. */
export const balancedRepackingModule = new ContainerModule((options) => {
  options.bind(Repacking).to(BalancedRepacking).inSingletonScope();
});
