/**
 * Egret's plugin SDK (`import ... from 'egret/spi'`): the contracts a plugin implements, their DI tokens and error
 * classes, the value types they exchange, and the helpers to describe a plugin. Plugins take inversify and zod from
 * here too, so that they share Egret's copies.
 */
export { ContainerModule, inject, injectable } from 'inversify';
export { z } from 'zod';

export { EgretError, isEgretError } from '../errors.js';
export { createLogger } from '../logging.js';

export { Config, EgretConfig, type ConfigEntry } from '../config/config.js';
export { byteAmountSchema } from '../config/config-schema.js';
export {
  definePlugin,
  PLUGIN_FAMILIES,
  PLUGIN_NAME_PATTERN,
  PLUGIN_SELECTION_KEYS,
  type PluginConfigOf,
  type PluginConfigSchema,
  type PluginDescriptor,
  type PluginFamily,
} from '../plugins/plugin-descriptor.js';

export { Resource } from './resource.js';
export {
  componentCounts,
  createPackingPlan,
  instanceResources,
  instancesOf,
  InvalidPackingPlanError,
  maxContainerResources,
  totalRequired,
  type ContainerPlan,
  type InstancePlan,
  type PackingPlan,
} from './packing-plan.js';
export { TopologyRuntime } from './topology-runtime.js';
export { Packing, PackingError, type PackingErrorCode } from './packing.js';
export { parallelismDeltas, Repacking, RepackingError, type ParallelismChanges, type RepackingErrorCode } from './repacking.js';
export {
  isScalable,
  LIBRARY_MODE_ENDPOINT,
  Scheduler,
  SchedulerError,
  schedulerModeOf,
  type KillRequest,
  type RestartRequest,
  type Scalable,
  type SchedulerErrorCode,
  type SchedulerMode,
  type UpdateRequest,
} from './scheduler.js';
export { Launcher, LauncherError, type LauncherErrorCode, PluginsUseTls } from './launcher.js';
export { Uploader, UploaderError, type UploaderErrorCode } from './uploader.js';
export { Downloader, DownloaderError, type DownloaderErrorCode } from './downloader.js';
export { DownloaderRegistry } from '../download/downloader-registry.js';
export {
  STATE_LOCK_NAMES,
  STATE_NODE_KINDS,
  STATE_TOPOLOGY_NAME_PATTERN,
  StateManager,
  StateManagerError,
  type StateLock,
  type StateLockName,
  type StateManagerErrorCode,
  type StateNodeKind,
  type StateNodeTypes,
  type StateWatch,
  type StateWatchEvent,
  type StateWriteOptions,
} from './state-manager.js';

export type { ComponentDefinition, TopologyDefinition } from '../../api/topology-definition.js';
export type { ConfigMap, ConfigValue } from '../../api/config-value.js';
export * from '../proto/index.js';
