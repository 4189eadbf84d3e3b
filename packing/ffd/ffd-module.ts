import { ContainerModule } from 'inversify';
import { Packing } from '../../core/spi/packing.js';
import { Repacking } from '../../core/spi/repacking.js';
import { FfdPacking } from './ffd-packing.js';
import { FfdRepacking } from './ffd-repacking.js';

/** Binds {@link Packing} to first-fit decreasing; the loader binds its config token first. */
export const ffdPackingModule = new ContainerModule((options) => {
  options.bind(Packing).to(FfdPacking).inSingletonScope();
});

/** Binds {@link Repacking} to ffd's repacking; the loader binds its config token first. */
export const ffdRepackingModule = new ContainerModule((options) => {
  options.bind(Repacking).to(FfdRepacking).inSingletonScope();
});
