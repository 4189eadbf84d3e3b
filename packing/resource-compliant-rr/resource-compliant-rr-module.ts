import { ContainerModule } from 'inversify';
import { Packing } from '../../core/spi/packing.js';
import { Repacking } from '../../core/spi/repacking.js';
import { ResourceCompliantRrPacking } from './resource-compliant-rr-packing.js';
import { ResourceCompliantRrRepacking } from './resource-compliant-rr-repacking.js';

/** Binds {@link Packing} to resource-compliant round-robin; the loader binds its config token first. */
export const resourceCompliantRrPackingModule = new ContainerModule((options) => {
  options.bind(Packing).to(ResourceCompliantRrPacking).inSingletonScope();
});

/** Binds {@link Repacking} to resource-compliant round-robin's repacking; the loader binds its config token first. */
export const resourceCompliantRrRepackingModule = new ContainerModule((options) => {
  options.bind(Repacking).to(ResourceCompliantRrRepacking).inSingletonScope();
});
