import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigValue } from '../../api/config-value.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { builtInRegistry } from '../../bin/built-in-plugins.js';
import { currentUser } from '../../core/config/config-variables.js';
import type { Config } from '../../core/config/config.js';
import { buildTopologyPackage } from '../../core/package/package-builder.js';
import { packingPlanToProto, ProtoExecutionState, topologyToProto } from '../../core/proto/index.js';
import { Packing } from '../../core/spi/packing.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import { StateManager } from '../../core/spi/state-manager.js';
import type { TopologyRuntime } from '../../core/spi/topology-runtime.js';
import { pluginContainerFor, prepareTopology } from '../../core/submit/dry-run.js';
import { REPO_ROOT } from './run-egret.js';

/** What a harness runs: a topology module, packed and configured like `egret submit` would. */
export interface HarnessTopologyOptions {
  readonly topologyFile: string;
  readonly topologyArgs?: readonly string[];
  /** `topology.stmgrs`: the number of containers round-robin packs into (besides container 0). */
  readonly containers?: number;
  /** `egret.packing`; default round-robin. */
  readonly packing?: string;
  /** Config overrides, applied last as `--config-property` would (the state manager keys are the harness's). */
  readonly config?: Readonly<Record<string, ConfigValue>>;
}

/** A topology whose package is built and whose state is written, with nothing running yet. */
export interface HarnessTopology {
  readonly topology: TopologyDefinition;
  readonly runtime: TopologyRuntime;
  readonly config: Config;
  readonly plan: PackingPlan;
  readonly packageFile: string;
  readonly packageFileUri: string;
  readonly stateRoot: string;
  /** The open state manager the harness wrote with (closed by the harness's stop). */
  readonly state: StateManager;
}

/**
 * Everything `egret submit` does before launching, without a scheduler: loads the module against the shipped
 * `local` cluster config (with the state in `<root>/state`), packs it with the real packing plugin, builds the
 * package into `<root>/topology.tar.gz`, and writes the topology, packing plan and execution state nodes.
 */
export async function prepareHarnessTopology(root: string, options: HarnessTopologyOptions): Promise<HarnessTopology> {
  const stateRoot = join(root, 'state');
  mkdirSync(stateRoot, { recursive: true });
  const values: Record<string, ConfigValue> = {
    ...(options.containers === undefined ? {} : { 'topology.stmgrs': options.containers }),
    ...(options.packing === undefined ? {} : { 'egret.packing': options.packing }),
    ...options.config,
    'egret.statemgr': 'localfs',
    'egret.statemgr.localfs.root': stateRoot,
    // The harness's tests wait on state changes; a short poll keeps those waits short.
    'egret.statemgr.localfs.poll.interval.ms': 100,
  };
  const prepared = await prepareTopology({
    target: { cluster: 'local', role: currentUser(), environment: 'default' },
    topologyFile: options.topologyFile,
    topologyArgs: [...(options.topologyArgs ?? [])],
    configPath: join(REPO_ROOT, 'conf'),
    properties: Object.entries(values).map(([key, value]) => `${key}=${JSON.stringify(value)}`),
  });
  const registry = builtInRegistry();
  const plugins = await pluginContainerFor(prepared, registry, ['packing', 'statemgr']);
  const plan = plugins.get<Packing>(Packing).pack(prepared.topology);
  const packageFile = join(root, 'topology.tar.gz');
  await buildTopologyPackage({
    topologyFile: options.topologyFile,
    topology: prepared.topology,
    runtime: prepared.runtime,
    config: prepared.config.toMap(),
    topologyArgs: options.topologyArgs ?? [],
    output: packageFile,
  });
  const state = plugins.get<StateManager>(StateManager);
  const { runtime } = prepared;
  await state.create('topologies', runtime.topologyName, topologyToProto(prepared.topology, { id: runtime.topologyId }));
  await state.create('packingplans', runtime.topologyName, packingPlanToProto(plan));
  await state.create(
    'executionstate',
    runtime.topologyName,
    ProtoExecutionState.create({
      topologyName: runtime.topologyName,
      topologyId: runtime.topologyId,
      submissionTime: Math.floor(Date.now() / 1000),
      submissionUser: runtime.submitUser,
      cluster: runtime.cluster,
      environ: runtime.environment,
      role: runtime.role,
    }),
  );
  return { topology: prepared.topology, runtime, config: prepared.config, plan, packageFile, packageFileUri: pathToFileURL(packageFile).href, stateRoot, state };
}
