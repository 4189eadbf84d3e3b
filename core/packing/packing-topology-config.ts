import { readTopologyConfig, type TopologyConfig } from '../../api/topology-config.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { messageOf } from '../errors.js';
import { PackingError } from '../spi/packing.js';

/**
 * Reads the typed `topology.*` keys of a topology's effective config for a packing algorithm.
 * Throws PACKING_INVALID_CONFIG {@link PackingError} (wrapping the TopologyError that names each bad key), so that
 * `Packing.pack` keeps to its one error class.
 */
export function readPackingTopologyConfig(topology: TopologyDefinition): TopologyConfig {
  try {
    return readTopologyConfig(topology.config);
  } catch (error) {
    throw new PackingError(`cannot pack topology '${topology.name}': ${messageOf(error)}`, { code: 'PACKING_INVALID_CONFIG', cause: error });
  }
}
