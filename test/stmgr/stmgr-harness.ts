import { join } from 'node:path';
import type { ProtoTManagerLocation } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import { defaultLocalEndpoint } from '../../runtime/common/runtime-ids.js';
import { type RuntimeProcess, RuntimeProcesses, waitUntil } from '../helpers/runtime-processes.js';
import { wordCountPackingPlan, wordCountTopology } from '../helpers/runtime-plans.js';
import { type RuntimeTestPackage, writeRuntimeTestPackage } from '../helpers/runtime-test-package.js';
import { tempDir } from '../helpers/temp-dir.js';
import { FakeInstance } from './fake-instance.js';

/** Starting a Node process with its modules, a state manager and the addon, on a busy 2-core machine. */
export const PROCESS_START_MS = 20_000;
/** Anything the processes do once running (registrations, plans, reconnects). */
export const PROMPTLY_MS = 15_000;

/** A word-count topology on two containers: a real topology manager, real stream managers, fake instances. */
export interface StMgrCluster {
  readonly pkg: RuntimeTestPackage;
  readonly plan: PackingPlan;
  readonly state: StateManager;
  readonly topology: { readonly name: string; readonly id: string };
  tmanager: RuntimeProcess;
  readonly stmgrs: Map<number, RuntimeProcess>;
  /** Connects a fake instance of task `taskId` to its container's stream manager (not yet registered). */
  connect(taskId: number): Promise<FakeInstance>;
  /** Connects and registers every task of the packing plan (or of `container`); fails unless each is OK. */
  registerAll(container?: number): Promise<Map<number, FakeInstance>>;
  /** The topology manager's location, once written. */
  location(): Promise<ProtoTManagerLocation>;
  /** Starts (again) the stream manager of a container and waits until it serves. */
  startStMgr(container: number): Promise<RuntimeProcess>;
  /** Starts (again) the topology manager. */
  startTManager(): RuntimeProcess;
  /** The local endpoint of a container's stream manager. */
  endpointOf(container: number): string;
}

/** How the stream managers of a test cluster listen for their instances. */
export interface StMgrClusterOptions {
  /** `default`: the stream manager's own (an abstract socket); `file`: a socket file each, given with --local-endpoint. */
  readonly endpoints?: 'file' | 'default';
  /** More keys of the package's config (runtime tuning, topology defaults). */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
}

/** Starts the processes and fakes of a test file, and kills them all after each test. */
export class StMgrHarness {
  private readonly processes = new RuntimeProcesses();
  private readonly instances: FakeInstance[] = [];

  async start(options: StMgrClusterOptions = {}): Promise<StMgrCluster> {
    const plan = wordCountPackingPlan();
    const pkg = await writeRuntimeTestPackage({
      topology: wordCountTopology('wc'),
      packingPlan: plan,
      config: { 'egret.stmgr.heartbeat.interval.ms': 500, 'egret.stmgr.reconnect.interval.ms': 200, 'egret.tmanager.stmgr.timeout.ms': 5000, ...options.config },
    });
    const state = await pkg.openState();
    const stmgrs = new Map<number, RuntimeProcess>();
    const socketDir = options.endpoints === 'file' ? tempDir() : '';
    const endpointOf = (container: number) => (options.endpoints === 'file' ? `unix:${join(socketDir, `stmgr-${container}.sock`)}` : defaultLocalEndpoint(pkg.topologyId, container));
    const taskOf = (taskId: number) => {
      for (const container of plan.containers) {
        const instance = container.instances.find((i) => i.taskId === taskId);
        if (instance) return { container: container.id, component: instance.component, taskId, componentIndex: instance.componentIndex };
      }
      throw new Error(`task ${taskId} is not in the packing plan`);
    };
    const cluster: StMgrCluster = {
      pkg,
      plan,
      state,
      topology: { name: pkg.topologyName, id: pkg.topologyId },
      tmanager: this.processes.start('egret-tmanager', ['--package-dir', pkg.dir]),
      stmgrs,
      connect: async (taskId) => {
        const task = taskOf(taskId);
        const instance = await FakeInstance.connect(endpointOf(task.container), task);
        this.instances.push(instance);
        return instance;
      },
      registerAll: async (only) => {
        const registered = new Map<number, FakeInstance>();
        for (const container of plan.containers.filter((c) => only === undefined || c.id === only)) {
          for (const { taskId } of container.instances) {
            const instance = await cluster.connect(taskId);
            const response = await instance.register(cluster.topology);
            if (response.status.status !== 1) throw new Error(`task ${taskId} refused: ${response.status.message ?? ''}`);
            registered.set(taskId, instance);
          }
        }
        return registered;
      },
      location: () => waitUntil('the topology manager location', () => state.find('tmanagers', pkg.topologyName), PROCESS_START_MS),
      startStMgr: async (container) => {
        const endpoint = options.endpoints === 'file' ? ['--local-endpoint', endpointOf(container)] : [];
        const stmgr = this.processes.start('egret-stmgr', ['--package-dir', pkg.dir, '--container', String(container), ...endpoint]);
        stmgrs.set(container, stmgr);
        await stmgr.waitForLog('serving', (l) => l.message === 'stream manager serving', PROCESS_START_MS);
        return stmgr;
      },
      startTManager: () => {
        cluster.tmanager = this.processes.start('egret-tmanager', ['--package-dir', pkg.dir]);
        return cluster.tmanager;
      },
      endpointOf,
    };
    await Promise.all(plan.containers.map((c) => cluster.startStMgr(c.id)));
    return cluster;
  }

  /** Closes every fake and kills every process (an `afterEach` hook). */
  async cleanUp(): Promise<void> {
    for (const instance of this.instances.splice(0)) instance.close();
    await this.processes.killAll();
  }
}
