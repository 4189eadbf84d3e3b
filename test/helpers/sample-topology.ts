import type { TopologyDefinition } from '../../api/topology-definition.js';

/** A small valid topology as plain data: spout ×2 → bolt ×2 (fields grouping on `word`). */
export function sampleTopology(config: TopologyDefinition['config'] = {}): TopologyDefinition {
  return {
    name: 'sample',
    config,
    spouts: [{ kind: 'spout', name: 'spout', parallelism: 2, resources: {}, outputs: [{ id: 'default', fields: ['word'], direct: false }], config: {} }],
    bolts: [
      {
        kind: 'bolt',
        name: 'bolt',
        parallelism: 2,
        resources: {},
        outputs: [],
        config: {},
        inputs: [{ component: 'spout', stream: 'default', grouping: { type: 'fields', fields: ['word'] } }],
      },
    ],
  };
}
