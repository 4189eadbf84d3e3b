import type { ConfigValue } from '../../api/config-value.js';
import type { ProtoTManagerLocation } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { StateManager } from '../../core/spi/state-manager.js';
import { type RuntimeProcess, RuntimeProcesses, waitUntil } from '../helpers/runtime-processes.js';
import { type RuntimeTestPackage, writeRuntimeTestPackage } from '../helpers/runtime-test-package.js';
import { wordCountPackingPlan, wordCountTopology } from '../helpers/runtime-plans.js';
import { FakeStMgr } from './fake-stmgr.js';

/** Starting a Node process with its modules and a state manager, on a busy 2-core machine. */
export const PROCESS_START_MS = 20_000;
/** Anything the topology manager does once running. */
export const PROMPTLY_MS = 10_000;

/** A topology manager process on a test package, with what the tests need at hand. */
export interface TManagerSetup {
  readonly pkg: RuntimeTestPackage;
  readonly plan: PackingPlan;
  readonly state: StateManager;
  readonly tmanager: RuntimeProcess;
  location: ProtoTManagerLocation;
  /** Connects a fake stream manager to the current location. */
  connect(): Promise<FakeStMgr>;
  /** Connects and registers container `container`'s stream manager with its instances; fails unless OK. */
  registered(container: number, options?: { dataPort?: number; pid?: number }): Promise<FakeStMgr>;
  /** An HTTP request to the controller (a JSON object, or a list for `/exceptions`). */
  controller(path: string, method?: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** How a test package differs from the default. */
export interface TManagerPackageOptions {
  /** config.json keys. */
  readonly config?: Record<string, ConfigValue>;
  /** The topology's own config. */
  readonly topologyConfig?: Record<string, ConfigValue>;
  /** The state it was submitted in. */
  readonly state?: 'RUNNING' | 'PAUSED';
}

/** Starts and stops topology manager processes and the fake stream managers of a test file. */
export class TManagerHarness {
  private readonly processes = new RuntimeProcesses();
  private readonly fakes: FakeStMgr[] = [];

  /** Writes a word-count package on two containers and starts a topology manager on it. */
  async start(options: TManagerPackageOptions = {}): Promise<TManagerSetup> {
    const { pkg, plan } = await this.writePackage(options);
    const state = await pkg.openState();
    const tmanager = this.startProcess(pkg);
    const setup: TManagerSetup = {
      pkg,
      plan,
      state,
      tmanager,
      location: await this.locationOf({ state, name: pkg.topologyName }, tmanager),
      connect: async () => this.track(await FakeStMgr.connect(setup.location.serverPort, setup.location.host)),
      registered: async (container, registerOptions = {}) => {
        const fake = await setup.connect();
        const response = await fake.register(container, { plan, topologyId: pkg.topologyId, ...registerOptions });
        if (response.status.status !== 1) throw new Error(`registration of stmgr-${container} refused: ${response.status.message ?? ''}`);
        return fake;
      },
      controller: async (path, method = 'GET') => {
        const response = await fetch(`http://${setup.location.host}:${setup.location.controllerPort}${path}`, { method });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
    };
    return setup;
  }

  /** Starts another topology manager process on the same package (after a kill) and waits for its new location. */
  async restart(setup: TManagerSetup): Promise<RuntimeProcess> {
    const previous = setup.location;
    const tmanager = this.startProcess(setup.pkg);
    setup.location = await this.locationOf({ state: setup.state, name: setup.pkg.topologyName, differentFrom: previous }, tmanager);
    (setup as { tmanager: RuntimeProcess }).tmanager = tmanager;
    return tmanager;
  }

  /** Writes a word-count package on two containers (tasks 1, 3, 5 in container 1; 2, 4 in container 2). */
  async writePackage(options: TManagerPackageOptions = {}): Promise<{ pkg: RuntimeTestPackage; plan: PackingPlan }> {
    const plan = wordCountPackingPlan();
    const pkg = await writeRuntimeTestPackage({
      topology: wordCountTopology('wc', options.topologyConfig ?? {}),
      packingPlan: plan,
      config: options.config ?? {},
      state: options.state ?? 'RUNNING',
    });
    return { pkg, plan };
  }

  startProcess(pkg: RuntimeTestPackage): RuntimeProcess {
    return this.processes.start('egret-tmanager', ['--package-dir', pkg.dir]);
  }

  /** Kills every process and closes every fake (an `afterEach` hook). */
  async cleanUp(): Promise<void> {
    for (const fake of this.fakes.splice(0)) fake.close();
    await this.processes.killAll();
  }

  private track(fake: FakeStMgr): FakeStMgr {
    this.fakes.push(fake);
    return fake;
  }

  private async locationOf(target: { state: StateManager; name: string; differentFrom?: ProtoTManagerLocation }, tmanager: RuntimeProcess): Promise<ProtoTManagerLocation> {
    try {
      return await waitUntil(
        'the topology manager’s location in state',
        async () => {
          if (tmanager.hasExited) throw new Error(`the topology manager exited (${await tmanager.exit()})`);
          const location = await target.state.find('tmanagers', target.name);
          return location && location.serverPort !== target.differentFrom?.serverPort ? location : undefined;
        },
        PROCESS_START_MS,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${tmanager.describeOutput()}`);
    }
  }
}

