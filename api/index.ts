// The public API: what `import ... from 'egret'` gives a topology's author. Only re-exports here.

// Building a topology
export { TopologyBuilder } from './topology-builder.js';
export { ComponentDeclarer, SpoutDeclarer, type ByteAmount } from './component-declarer.js';
export { BoltDeclarer } from './bolt-declarer.js';

// The component contracts
export type { Spout, SpoutFactory } from './spout.js';
export type { Bolt, BoltFactory } from './bolt.js';
export { TICK_STREAM, SYSTEM_COMPONENT, type Tuple, type Values } from './tuple.js';
export type { TopologyContext } from './topology-context.js';
export type { SpoutOutputCollector, SpoutEmitOptions, BoltOutputCollector, BoltEmitOptions } from './output-collector.js';
export type { OutputFieldsDeclarer, StreamOptions } from './output-fields-declarer.js';
export type { CustomStreamGrouping } from './custom-grouping.js';
export { TUPLE_SERIALIZER_KEY, type TupleSerializer } from './serializer.js';

// The topology as data
export {
  DEFAULT_STREAM,
  GROUPING_TYPES,
  componentsOf,
  type Grouping,
  type GroupingType,
  type StreamDefinition,
  type ResourceRequest,
  type InputDefinition,
  type SpoutDefinition,
  type BoltDefinition,
  type ComponentDefinition,
  type TopologyDefinition,
} from './topology-definition.js';
export { validateTopology, findTopologyProblems } from './topology-validation.js';
export type { TopologyProblem } from './topology-problem.js';
export { TopologyError, type TopologyErrorCode } from './topology-error.js';

// Configuration
export type { ConfigValue, ConfigMap } from './config-value.js';
export {
  TopologyConfigKeys,
  KNOWN_TOPOLOGY_KEYS,
  RELIABILITY_MODES,
  readTopologyConfig,
  unknownTopologyKeys,
  type TopologyConfig,
  type ReliabilityMode,
  type FfdSortingStrategy,
} from './topology-config.js';
export { KiB, MiB, GiB, TiB, parseByteAmount, formatBytes, BYTE_AMOUNT_EXPECTATION } from './byte-amount.js';

// Spec files and topology modules
export { topologyFromSpec, topologyToSpec } from './topology-spec.js';
export type { TopologySpec, SpoutSpec, BoltSpec, ComponentSpec, InputSpec, StreamSpec } from './topology-spec-schema.js';
export {
  defineTopology,
  isTopologyDefinition,
  type TopologyModule,
  type TopologyModuleContext,
  type TopologyModuleExport,
  type TopologyModuleFunction,
} from './topology-module.js';
