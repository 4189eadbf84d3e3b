import type { TopologyRuntime } from '../spi/topology-runtime.js';

/**
 * The file name a topology's package is stored under in its uploader's location: one name per topology, so that a
 * new upload replaces the previous package and a location shared by several topologies still keeps them apart.
 */
export function packageFileName(runtime: TopologyRuntime): string {
  return `${runtime.topologyName}.tar.gz`;
}
