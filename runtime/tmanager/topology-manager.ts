import type { Logger } from 'winston';
import type { Config } from '../../core/config/config.js';
import type { RuntimeConfig } from '../../core/config/runtime-config.js';
import { messageOf } from '../../core/errors.js';
import { heron, packingPlanFromProto, ProtoPackingPlan, type ProtoPhysicalPlan, ProtoTManagerLocation, type ProtoTopology } from '../../core/proto/index.js';
import type { StateManager, StateWatch } from '../../core/spi/state-manager.js';
import { MessageTypes } from '../common/message-types.js';
import { buildPhysicalPlan, initialTopologyState, type LiveTopologyState } from './physical-plan-builder.js';
import { MetricsCache, type MetricsCacheOptions } from './metrics-cache.js';
import { buildMetricsView } from './metrics-view.js';
import { SerialQueue } from './serial-queue.js';
import { type AbsentStMgr, describeStMgr, StMgrRegistry } from './stmgr-registry.js';
import { listenForStMgrs, type StMgrConnection, type StMgrServer } from './stmgr-server.js';
import { startController, type TManagerController } from './tmanager-controller.js';
import { establishLocation, guardLocation } from './tmanager-location.js';
import { readStartState } from './tmanager-startup.js';

import system = heron.proto.system;
import tmanager = heron.proto.tmanager;

/** What a topology manager needs; the entry point reads it from the package. */
export interface TopologyManagerOptions {
  readonly state: StateManager;
  readonly topologyName: string;
  readonly topologyId: string;
  /** The package's effective config (for the reliability mode when the topology does not set it). */
  readonly config: Config;
  readonly runtime: RuntimeConfig;
  /** The address to listen on and publish. */
  readonly host: string;
  readonly logger: Logger;
  /** Called when this process must stop: another topology manager took its place. */
  readonly onFatal: (reason: string) => void;
  /** How long to wait for a previous topology manager's location to vanish (default 60 s). */
  readonly locationRetryForMs?: number;
  readonly locationRetryIntervalMs?: number;
  /** The metrics cache's bounds (tests shorten them). */
  readonly metricsCache?: MetricsCacheOptions;
}

/** How often old metrics history is purged (Heron: every 60 s). */
const METRICS_PURGE_INTERVAL_MS = 60_000;

/**
 * The topology manager of one running topology (container 0). It waits for the stream manager of every container
 * of the packing plan to register, stitches the physical plan, writes it to `pplans/<topology>` and pushes it to
 * every stream manager; it republishes when a stream manager that went away registers again, when the packing plan
 * changes, and when the controller activates or deactivates the topology. Plan work runs one job at a time.
 */
export class TopologyManager {
  private readonly queue: SerialQueue;
  private readonly watches: StateWatch[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private readonly metrics: MetricsCache;
  private server: StMgrServer | undefined;
  private controller: TManagerController | undefined;
  private plan: ProtoPhysicalPlan | undefined;
  private publishQueued = false;
  private readonly publishReasons: string[] = [];
  private stopped = false;
  private published: ProtoTManagerLocation | undefined;

  private constructor(
    private readonly options: TopologyManagerOptions,
    private topology: ProtoTopology,
    private liveState: LiveTopologyState,
    private readonly registry: StMgrRegistry<StMgrConnection>,
    private packingPlanBytes: Uint8Array,
  ) {
    this.queue = new SerialQueue((error) => options.logger.error('plan work failed', { error: messageOf(error) }));
    this.metrics = new MetricsCache(options.metricsCache);
  }

  /**
   * Reads the topology's state, listens for stream managers and the controller, and publishes its location.
   * Throws a TManagerError (TMANAGER_STATE_INVALID, TMANAGER_UNSUPPORTED, TMANAGER_LOCATION_TAKEN) or the state
   * manager's errors; nothing is left listening then.
   */
  static async start(options: TopologyManagerOptions): Promise<TopologyManager> {
    const start = await readStartState(options.state, options, options.config);
    const liveState = initialTopologyState(start.topology, start.previousPlan);
    const manager = new TopologyManager(options, start.topology, liveState, new StMgrRegistry(start.packingPlan), start.packingPlanBytes);
    try {
      await manager.listen();
    } catch (error) {
      await manager.stop();
      throw error;
    }
    return manager;
  }

  /** The location published in `tmanagers/<topology>`. */
  get location(): ProtoTManagerLocation {
    if (!this.published) throw new Error('the topology manager has not started listening');
    return this.published;
  }

  /** The plan last published, if any. */
  get physicalPlan(): ProtoPhysicalPlan | undefined {
    return this.plan;
  }

  /** Stops serving: closes connections and servers, cancels watches. The caller closes the state manager. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearInterval(this.purgeTimer);
    for (const watch of this.watches) watch.cancel();
    await Promise.all([this.server?.close(), this.controller?.close()]);
    await this.queue.idle();
  }

  private async listen(): Promise<void> {
    const { options } = this;
    const { logger, host } = options;
    this.server = await listenForStMgrs(
      host,
      {
        onRegister: (connection, request, requestId) => this.onRegister(connection, request, requestId),
        onHeartbeat: (connection, request, requestId) => this.onHeartbeat(connection, request, requestId),
        onMetrics: (_connection, message) => this.onMetrics(message),
        onClose: (connection, reason) => this.onClose(connection, reason),
      },
      logger,
    );
    this.controller = await startController(
      host,
      {
        topologyName: options.topologyName,
        topologyId: options.topologyId,
        setState: (state) => this.setState(state),
        physicalPlan: () => this.plan,
        absent: () => this.registry.absent(),
        metrics: (intervalMs) => buildMetricsView(this.metrics, { topology: options.topologyName, topologyId: options.topologyId }, Date.now(), intervalMs),
        exceptions: (component) => this.metrics.exceptions(component),
      },
      logger,
    );
    const location = ProtoTManagerLocation.create({
      topologyName: options.topologyName,
      topologyId: options.topologyId,
      host,
      serverPort: this.server.port,
      controllerPort: this.controller.port,
    });
    this.published = location;
    const timeoutMs = options.runtime['egret.tmanager.stmgr.timeout.ms'];
    this.heartbeatTimer = setInterval(() => this.expireSilent(timeoutMs), Math.max(10, Math.min(1000, timeoutMs / 4)));
    this.heartbeatTimer.unref();
    const purgeEvery = Math.min(METRICS_PURGE_INTERVAL_MS, this.metrics.bucketMs);
    this.purgeTimer = setInterval(() => this.metrics.purge(Date.now()), purgeEvery);
    this.purgeTimer.unref();
    await establishLocation(options.state, location, {
      retryIntervalMs: options.locationRetryIntervalMs ?? 1000,
      retryForMs: options.locationRetryForMs ?? 60_000,
      logger,
    });
    this.watches.push(await guardLocation(options.state, location, options.onFatal, logger));
    this.watches.push(await options.state.watch('packingplans', options.topologyName, (event) => this.queue.run(() => this.followPackingPlan(event))));
    logger.info('topology manager serving', {
      host,
      serverPort: location.serverPort,
      controllerPort: location.controllerPort,
      state: this.liveState,
      waitingFor: this.registry.absent().map((a) => a.id),
    });
  }

  private onRegister(connection: StMgrConnection, request: tmanager.StMgrRegisterRequest, requestId: Buffer): void {
    const { logger } = this.options;
    const outcome = this.registry.register(request, connection, Date.now());
    if (!outcome.accepted) {
      logger.warn('stream manager registration refused', { stmgr: request.stmgr.id, remote: connection.remote, status: system.StatusCode[outcome.status], reason: outcome.message });
      connection.send(MessageTypes.STMGR_REGISTER_RESPONSE, tmanager.StMgrRegisterResponse.encode({ status: { status: outcome.status, message: outcome.message } }).finish(), requestId);
      return;
    }
    outcome.replaced?.close(`${request.stmgr.id} registered again on a new connection`);
    logger.info('stream manager registered', { stmgr: request.stmgr.id, remote: connection.remote, record: describeStMgr(request.stmgr), instances: request.instances.length });
    connection.send(MessageTypes.STMGR_REGISTER_RESPONSE, tmanager.StMgrRegisterResponse.encode({ status: { status: system.StatusCode.OK } }).finish(), requestId);
    this.schedulePublish(`${request.stmgr.id} registered`);
  }

  private onHeartbeat(connection: StMgrConnection, _request: tmanager.StMgrHeartbeatRequest, requestId: Buffer): void {
    const known = this.registry.heartbeat(connection, Date.now());
    const status = known ? { status: system.StatusCode.OK } : { status: system.StatusCode.NOTOK, message: 'no stream manager is registered on this connection; register first' };
    connection.send(MessageTypes.STMGR_HEARTBEAT_RESPONSE, tmanager.StMgrHeartbeatResponse.encode({ status }).finish(), requestId);
  }

  private onMetrics(message: tmanager.PublishMetrics): void {
    const { skipped } = this.metrics.ingest(message, Date.now());
    if (skipped > 0) this.options.logger.debug('metrics skipped: not numbers, or counters going down', { skipped });
  }

  private onClose(connection: StMgrConnection, reason: string): void {
    if (connection.kind === 'metricsmgr') {
      if (!this.stopped) this.options.logger.debug('metrics manager disconnected', { remote: connection.remote, reason });
      return;
    }
    const gone = this.registry.remove(connection);
    if (gone && !this.stopped) {
      this.options.logger.warn('stream manager disconnected; waiting for it to register again', { stmgr: gone.stmgr.id, remote: connection.remote, reason });
    }
  }

  private expireSilent(timeoutMs: number): void {
    for (const silent of this.registry.expire(Date.now(), timeoutMs)) {
      this.options.logger.warn('stream manager timed out; waiting for it to register again', { stmgr: silent.stmgr.id, silentForMs: Date.now() - silent.lastHeardMs });
      silent.connection.close(`no heartbeat for ${timeoutMs} ms`);
    }
  }

  /** Queues one publication for every reason given before it starts. */
  private schedulePublish(reason: string): void {
    this.publishReasons.push(reason);
    if (this.publishQueued) return;
    this.publishQueued = true;
    this.queue.run(async () => {
      this.publishQueued = false;
      await this.publish(this.publishReasons.splice(0));
    });
  }

  /** Builds, stores and pushes the plan if every stream manager is there. Runs inside the queue. */
  private async publish(reasons: readonly string[]): Promise<void> {
    if (this.stopped) return;
    const { logger } = this.options;
    const absent = this.registry.absent();
    if (absent.length > 0) {
      logger.info('waiting for stream managers before publishing a plan', { reasons, absent });
      return;
    }
    const registrations = this.registry.registrations();
    const plan = buildPhysicalPlan({
      topology: this.topology,
      state: this.liveState,
      stmgrs: registrations.map((r) => r.stmgr),
      instances: registrations.flatMap((r) => r.instances),
    });
    await this.distribute(plan, reasons);
  }

  /** Stores a plan and sends it to every registered stream manager. */
  private async distribute(plan: ProtoPhysicalPlan, reasons: readonly string[]): Promise<void> {
    const { logger, state, topologyName } = this.options;
    this.plan = plan;
    try {
      await state.set('pplans', topologyName, plan);
    } catch (error) {
      // The stream managers still get it: a stale node hurts tools, a withheld plan stops the topology.
      logger.error('writing the physical plan to the state manager failed', { error: messageOf(error) });
    }
    const payload = heron.proto.stmgr.NewPhysicalPlanMessage.encode({ newPplan: plan }).finish();
    const registrations = this.registry.registrations();
    for (const registration of registrations) registration.connection.send(MessageTypes.NEW_PHYSICAL_PLAN, payload);
    logger.info('physical plan published', {
      reasons,
      state: this.liveState,
      stmgrs: plan.stmgrs.map((s) => `${s.id}@${s.hostName}:${s.dataPort}`),
      instances: plan.instances.length,
      sentTo: registrations.map((r) => r.stmgr.id),
    });
  }

  /** The controller's activate / deactivate. */
  private setState(target: LiveTopologyState): Promise<{ changed: boolean }> {
    return this.queue.call(async () => {
      if (this.liveState === target) return { changed: false };
      const { state, topologyName } = this.options;
      const protoState = target === 'PAUSED' ? heron.proto.api.TopologyState.PAUSED : heron.proto.api.TopologyState.RUNNING;
      const node = await state.get('topologies', topologyName);
      node.state = protoState;
      await state.set('topologies', topologyName, node);
      this.liveState = target;
      this.topology.state = protoState;
      const reason = target === 'RUNNING' ? 'activated' : 'deactivated';
      if (this.registry.isComplete()) await this.publish([reason]);
      else if (this.plan) {
        // Some stream manager is away: the others must still hear of it (spouts stop or resume now).
        const plan = system.PhysicalPlan.decode(system.PhysicalPlan.encode(this.plan).finish());
        plan.topology.state = protoState;
        await this.distribute(plan, [reason]);
      }
      return { changed: true };
    });
  }

  /** A packing plan written by an update changes the stream managers and instances to wait for. */
  private async followPackingPlan(event: string): Promise<void> {
    const { state, topologyName, topologyId, logger } = this.options;
    if (event === 'deleted' || this.stopped) return;
    const proto = await state.find('packingplans', topologyName);
    if (!proto) return;
    const bytes = ProtoPackingPlan.encode(proto).finish();
    if (Buffer.from(bytes).equals(Buffer.from(this.packingPlanBytes))) return;
    const packingPlan = packingPlanFromProto(proto);
    // An update changes parallelism in the topology too; the live state stays this process's.
    const topology = await state.find('topologies', topologyName);
    if (topology && topology.id === topologyId) {
      topology.state = this.topology.state;
      this.topology = topology;
    }
    this.packingPlanBytes = bytes;
    for (const dropped of this.registry.setPackingPlan(packingPlan)) dropped.connection.close(`${dropped.stmgr.id} is not in the new packing plan`);
    logger.info('following a new packing plan', { containers: packingPlan.containers.map((c) => c.id), absent: this.registry.absent() });
    await this.publish(['new packing plan']);
  }

  /** For the controller and tests: what the next plan waits for. */
  absent(): readonly AbsentStMgr[] {
    return this.registry.absent();
  }
}
