import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigValue } from '../../api/config-value.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { builtInRegistry } from '../../bin/built-in-plugins.js';
import { packingPlanToProto, ProtoExecutionState, ProtoTopology, topologyToProto } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import { openPackageStateManager, readRuntimePackage } from '../../runtime/common/runtime-package.js';
import { tempDir } from './temp-dir.js';

/** An unpacked topology package (runtime/README.md layout) and the state tree it names. */
export interface RuntimeTestPackage {
  readonly dir: string;
  readonly topologyName: string;
  readonly topologyId: string;
  /** Opens a state manager on the package's tree, as the runtime processes do (closed by {@link closeRuntimeTestStates}). */
  openState(): Promise<StateManager>;
}

export interface RuntimeTestPackageOptions {
  readonly topology: TopologyDefinition;
  readonly packingPlan: PackingPlan;
  readonly topologyId?: string;
  /** Keys added to config.json; without `egret.statemgr`, a localfs tree in a temporary directory. */
  readonly config?: Readonly<Record<string, ConfigValue>>;
  /** The state it was submitted in. */
  readonly state?: 'RUNNING' | 'PAUSED';
}

const opened: StateManager[] = [];

/**
 * Writes a package directory (egret-package.json, config.json, topology.defn, a placeholder topology.mjs: the
 * layout core/package reads) and submits it the way `egret submit` leaves the state tree: the topology, packing
 * plan and execution state nodes. For tests of the processes that only read these (the topology manager, the
 * stream manager's control plane); user code is never loaded.
 */
export async function writeRuntimeTestPackage(options: RuntimeTestPackageOptions): Promise<RuntimeTestPackage> {
  const base = tempDir();
  const dir = join(base, 'package');
  mkdirSync(dir, { recursive: true });
  const name = options.topology.name;
  const topologyId = options.topologyId ?? `${name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const manifest = { format: 1, topologyName: name, topologyId, cluster: 'local', role: 'tester', environment: 'default', egretVersion: '0.1.0', module: 'topology.mjs' };
  const stateConfig =
    options.config?.['egret.statemgr'] === undefined ? { 'egret.statemgr': 'localfs', 'egret.statemgr.localfs.root': join(base, 'state'), 'egret.statemgr.localfs.poll.interval.ms': 100 } : {};
  const config = { ...stateConfig, ...options.config };
  const topology = topologyToProto(options.topology, { id: topologyId, state: options.state ?? 'RUNNING' });
  writeFileSync(join(dir, 'egret-package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(dir, 'topology.defn'), ProtoTopology.encode(topology).finish());
  writeFileSync(join(dir, 'topology.mjs'), '// The runtime tests of the topology and stream managers never load user code.\nexport default undefined;\n');

  const openState = async (): Promise<StateManager> => {
    const state = await openPackageStateManager(await readRuntimePackage(dir), builtInRegistry());
    opened.push(state);
    return state;
  };
  const state = await openState();
  await state.create('topologies', name, topology);
  await state.create('packingplans', name, packingPlanToProto({ ...options.packingPlan, id: topologyId }));
  await state.create(
    'executionstate',
    name,
    ProtoExecutionState.create({ topologyName: name, topologyId, cluster: 'local', environ: 'default', role: 'tester', submissionTime: Date.now(), submissionUser: 'tester' }),
  );
  return { dir, topologyName: name, topologyId, openState };
}

/** Closes every state manager the packages opened (an `after` hook). */
export async function closeRuntimeTestStates(): Promise<void> {
  await Promise.all(opened.splice(0).map((state) => state.close()));
}
