import type { Logger } from 'winston';
import type { ConfigValue } from '../../api/config-value.js';
import type { RuntimeConfig } from '../../core/config/runtime-config.js';
import { EgretError, messageOf } from '../../core/errors.js';
import { heron, packingPlanFromProto } from '../../core/proto/index.js';
import type { PackingPlan } from '../../core/spi/packing-plan.js';
import type { StateManager, StateWatch } from '../../core/spi/state-manager.js';
import type { DataPath, DataPathEvent, DataPathOptions } from '../../native/data-path-types.js';
import { metricsManagerEndpoint } from '../common/local-endpoint.js';
import { MessageTypes } from '../common/message-types.js';
import { MetricsPublisher } from '../metrics/metrics-publisher.js';
import { stateOfPlan } from '../tmanager/physical-plan-builder.js';
import { defaultLocalEndpoint, expectedInstancesOf, expectedStmgrIdsOf, stmgrIdOf } from '../common/runtime-ids.js';
import { logBackPressure } from './back-pressure-log.js';
import { type ControlContext, type ControlOutcome, handleControlFrame } from './control-frames.js';
import { LocalInstances } from './local-instances.js';
import { buildRouting } from './routing-builder.js';
import { STMGR_METRICS_COMPONENT, StMgrMetrics } from './stmgr-metrics.js';
import { type StMgrMetricsPublisherFactory, StMgrMetricsReporter } from './stmgr-metrics-reporter.js';
import { TManagerClient } from './tmanager-client.js';

import system = heron.proto.system;

export type StMgrErrorCode =
  /** The state tree has no packing plan, or it has no such container. */
  | 'STMGR_STATE_INVALID'
  /** The data path could not start (an endpoint that cannot be bound). */
  | 'STMGR_DATA_PATH';

/** Thrown when a stream manager cannot start; the message says what it found. */
export class StMgrError extends EgretError<StMgrErrorCode> {}

/** What a stream manager needs; the entry point reads it from the package and the command line. */
export interface StreamManagerOptions {
  readonly state: StateManager;
  readonly topologyName: string;
  readonly topologyId: string;
  readonly container: number;
  readonly runtime: RuntimeConfig;
  /** The address peers connect to, published in the StMgr record. */
  readonly host: string;
  /** Where local instances connect; default `unix-abstract:egret/<topology-id>/stmgr-<c>`. */
  readonly localEndpoint?: string;
  readonly logger: Logger;
  /** Makes the data path (the C++ addon's factory; a fake in unit tests). */
  readonly createDataPath: (options: DataPathOptions) => DataPath;
  /**
   * The package's value of a topology key the topology itself does not set (reliability mode, message timeout,
   * drop on back pressure); none by default.
   */
  readonly configFallback?: (key: string) => ConfigValue | undefined;
  /** Where to publish metrics; default the container's metrics manager (native/PROTOCOL.md §9). */
  readonly createMetricsPublisher?: StMgrMetricsPublisherFactory;
  /** How many times the executor restarted this process (`EGRET_RESTART_COUNT`), published as `__restarts`; default 0. */
  readonly restarts?: number;
}

/**
 * The stream manager's control plane (one per container c ≥ 1): it creates the data path, answers its control
 * frames (instance registrations, peer hellos), registers with the topology manager once every local instance has
 * registered, and on every physical plan rebuilds the data path's routing and tells each local instance. The data
 * path moves the tuples; nothing here is on the per-tuple path.
 */
export class StreamManager {
  private plan: system.PhysicalPlan | undefined;
  private packingPlan: PackingPlan;
  private readonly instances: LocalInstances;
  private readonly tmanager: TManagerClient;
  private readonly stmgrId: string;
  private readonly localEndpoint: string;
  private packingWatch: StateWatch | undefined;
  private dataPort = 0;
  private closed = false;
  private metrics: StMgrMetricsReporter | undefined;

  private constructor(
    private readonly options: StreamManagerOptions,
    packingPlan: PackingPlan,
    private readonly dataPath: DataPath,
  ) {
    this.packingPlan = packingPlan;
    this.stmgrId = stmgrIdOf(options.container);
    this.localEndpoint = options.localEndpoint ?? defaultLocalEndpoint(options.topologyId, options.container);
    this.instances = new LocalInstances({ name: options.topologyName, id: options.topologyId }, this.stmgrId, expectedInstancesOf(packingPlan, options.container));
    this.tmanager = new TManagerClient({
      state: options.state,
      topologyName: options.topologyName,
      topologyId: options.topologyId,
      heartbeatIntervalMs: options.runtime['egret.stmgr.heartbeat.interval.ms'],
      reconnectIntervalMs: options.runtime['egret.stmgr.reconnect.interval.ms'],
      logger: options.logger,
      registration: () => this.registration(),
      onPlan: (plan) => this.applyPlan(plan),
    });
  }

  /**
   * Reads this container's tasks from the packing plan, starts the data path and begins looking for the topology
   * manager. Throws {@link StMgrError} (STMGR_STATE_INVALID, STMGR_DATA_PATH) or the state manager's errors; the
   * data path is closed again then.
   */
  static async start(options: StreamManagerOptions): Promise<StreamManager> {
    const proto = await options.state.find('packingplans', options.topologyName);
    if (!proto) throw new StMgrError(`packing plan node packingplans/${options.topologyName} does not exist`, { code: 'STMGR_STATE_INVALID' });
    const packingPlan = packingPlanFromProto(proto);
    if (!packingPlan.containers.some((c) => c.id === options.container)) {
      throw new StMgrError(`packing plan '${packingPlan.id}' has no container ${options.container} (it has ${packingPlan.containers.map((c) => c.id).join(', ')})`, {
        code: 'STMGR_STATE_INVALID',
      });
    }
    const { runtime } = options;
    const localEndpoint = options.localEndpoint ?? defaultLocalEndpoint(options.topologyId, options.container);
    const dataPath = options.createDataPath({
      localEndpoint,
      dataHost: options.host,
      dataPort: 0,
      maxFrameBytes: runtime['egret.stmgr.max.frame.bytes'],
      batchMaxBytes: runtime['egret.stmgr.batch.max.bytes'],
      drainIntervalMs: runtime['egret.stmgr.drain.interval.ms'],
      topologyName: options.topologyName,
      topologyId: options.topologyId,
      backPressureHighBytes: runtime['egret.stmgr.backpressure.high.bytes'],
      backPressureLowBytes: runtime['egret.stmgr.backpressure.low.bytes'],
    });
    const manager = new StreamManager(options, packingPlan, dataPath);
    try {
      await manager.serve();
    } catch (error) {
      await manager.stop();
      throw error;
    }
    return manager;
  }

  /** The port peers connect to. */
  get port(): number {
    return this.dataPort;
  }

  /** The plan applied last, if any. */
  get physicalPlan(): system.PhysicalPlan | undefined {
    return this.plan;
  }

  /** Stops following the topology manager and publishing metrics, and closes the data path (every socket). Safe to call twice. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.metrics?.close();
    this.packingWatch?.cancel();
    this.tmanager.stop();
    await this.dataPath.close();
  }

  private async serve(): Promise<void> {
    const { options, dataPath } = this;
    dataPath.onEvent((event) => this.onEvent(event));
    try {
      this.dataPort = (await dataPath.start()).dataPort;
    } catch (error) {
      throw new StMgrError(`the data path cannot start on ${this.localEndpoint} and ${options.host}: ${messageOf(error)}`, { code: 'STMGR_DATA_PATH', cause: error });
    }
    const hello = heron.proto.stmgr.StrMgrHelloRequest.encode({ topologyName: options.topologyName, topologyId: options.topologyId, stmgr: this.stmgrId }).finish();
    dataPath.setPeerHello({ messageType: MessageTypes.STMGR_HELLO_REQUEST, payload: Buffer.from(hello) }, options.runtime['egret.stmgr.reconnect.interval.ms']);
    this.packingWatch = await options.state.watch('packingplans', options.topologyName, () => this.followPackingPlan());
    await this.tmanager.start();
    options.logger.info('stream manager serving', {
      stmgr: this.stmgrId,
      host: options.host,
      dataPort: this.dataPort,
      localEndpoint: this.localEndpoint,
      tasks: this.instances.expected().map((i) => i.info.taskId),
    });
    this.tmanager.setReady(this.instances.allRegistered());
    this.startMetrics();
  }

  /** Publishes the data path's counters to the container's metrics manager every `egret.metrics.interval.ms`. */
  private startMetrics(): void {
    const { options } = this;
    const endpoint = metricsManagerEndpoint(options.topologyId, options.container);
    const identity = { component: STMGR_METRICS_COMPONENT, instanceId: this.stmgrId, instanceIndex: 0 };
    const publisher = options.createMetricsPublisher?.(endpoint, identity) ?? new MetricsPublisher(endpoint, identity, options.logger);
    const names = new StMgrMetrics((taskId) => this.instanceIdOf(taskId), options.restarts ?? 0);
    this.metrics = new StMgrMetricsReporter(publisher, names, () => this.dataPath.stats(), options.runtime['egret.metrics.interval.ms'], options.logger);
  }

  /** The instance id of a task: from the plan, else from the packing plan's tasks of this container. */
  private instanceIdOf(taskId: number): string | undefined {
    const fromPlan = this.plan?.instances.find((i) => i.info.taskId === taskId);
    return fromPlan?.instanceId ?? this.instances.expected().find((i) => i.info.taskId === taskId)?.instanceId;
  }

  private registration(): heron.proto.tmanager.StMgrRegisterRequest {
    return heron.proto.tmanager.StMgrRegisterRequest.create({
      stmgr: { id: this.stmgrId, hostName: this.options.host, dataPort: this.dataPort, localEndpoint: this.localEndpoint, cwd: process.cwd(), pid: process.pid },
      instances: this.instances.expected(),
    });
  }

  private onEvent(event: DataPathEvent): void {
    const { logger } = this.options;
    if (this.closed) return;
    switch (event.type) {
      case 'control':
        this.logOutcome(handleControlFrame(this.controlContext(), event.connection, event.messageType, event.requestId, event.payload), event.connection.id);
        return;
      case 'closed': {
        const { connection } = event;
        if (connection.kind === 'instance') {
          const taskId = this.instances.detach(connection.id);
          if (taskId !== undefined) logger.warn('instance disconnected', { taskId, connection: connection.id, reason: event.reason });
          else logger.debug('unregistered instance connection closed', { connection: connection.id, reason: event.reason });
        } else {
          logger.info('peer connection closed', { kind: connection.kind, peer: connection.stmgrId, connection: connection.id, reason: event.reason });
        }
        return;
      }
      case 'back-pressure':
      case 'peer-back-pressure':
        logBackPressure(logger, event, (taskId) => this.instanceIdOf(taskId));
        return;
      case 'warning':
        logger.warn(`data path: ${event.message}`);
        return;
    }
  }

  private controlContext(): ControlContext {
    return {
      dataPath: this.dataPath,
      topology: { name: this.options.topologyName, id: this.options.topologyId },
      stmgrId: this.stmgrId,
      instances: this.instances,
      plan: () => this.plan,
      isKnownPeer: (id) => expectedStmgrIdsOf(this.packingPlan).includes(id) || (this.plan?.stmgrs ?? []).some((s) => s.id === id),
    };
  }

  private logOutcome(outcome: ControlOutcome, connection: number): void {
    const { logger } = this.options;
    switch (outcome.kind) {
      case 'instance-registered':
        logger.info('instance registered', { taskId: outcome.taskId, connection, missing: this.instances.missing() });
        if (this.instances.allRegistered()) this.tmanager.setReady(true);
        return;
      case 'instance-refused':
        logger.warn('instance registration refused', { connection, reason: outcome.reason });
        return;
      case 'peer-accepted':
        logger.info('peer connected', { peer: outcome.peer, connection });
        return;
      case 'peer-refused':
        logger.warn('peer hello refused', { connection, reason: outcome.reason });
        return;
      case 'peer-answered':
        if (outcome.status === 'OK') logger.info('connected to peer', { peer: outcome.peer, connection });
        else logger.warn('peer refused our hello', { peer: outcome.peer, connection, status: outcome.status, reason: outcome.reason });
        return;
      case 'unexpected':
        logger.warn('control frame refused; connection closed', { connection, reason: outcome.reason });
        return;
    }
  }

  /** A plan from the topology manager: new routing for the data path, and a new assignment for each instance. */
  private applyPlan(plan: system.PhysicalPlan): void {
    const { logger, topologyId } = this.options;
    if (this.closed) return;
    if (plan.topology.id !== topologyId) {
      logger.warn('ignoring a physical plan of another submission', { planTopologyId: plan.topology.id });
      return;
    }
    let routing;
    try {
      routing = buildRouting(plan, this.stmgrId, this.options.configFallback);
      this.dataPath.setRouting(routing);
    } catch (error) {
      logger.error('cannot route the new physical plan; keeping the previous one', { error: messageOf(error) });
      return;
    }
    this.plan = plan;
    if (!plan.stmgrs.some((s) => s.id === this.stmgrId)) logger.warn('the physical plan does not include this stream manager', { stmgr: this.stmgrId });
    const assignment = Buffer.from(heron.proto.stmgr.NewInstanceAssignmentMessage.encode({ pplan: plan }).finish());
    const connections = this.instances.connectionsIn(plan);
    for (const connection of connections) this.dataPath.send(connection, MessageTypes.NEW_INSTANCE_ASSIGNMENT, assignment);
    logger.info('physical plan applied', {
      state: stateOfPlan(plan),
      stmgrs: plan.stmgrs.map((s) => `${s.id}@${s.hostName}:${s.dataPort}`),
      tasks: plan.instances.length,
      peers: routing.peers.length,
      reliability: routing.reliability,
      instancesTold: connections.length,
    });
  }

  /** A packing plan written by an update may change this container's tasks. */
  private async followPackingPlan(): Promise<void> {
    const { state, topologyName, container, logger } = this.options;
    if (this.closed) return;
    let packingPlan: PackingPlan;
    try {
      const proto = await state.find('packingplans', topologyName);
      if (!proto) return;
      packingPlan = packingPlanFromProto(proto);
    } catch (error) {
      logger.warn('reading the new packing plan failed', { error: messageOf(error) });
      return;
    }
    this.packingPlan = packingPlan;
    const expected = expectedInstancesOf(packingPlan, container);
    if (instancesKey(this.instances.expected()) === instancesKey(expected)) return;
    for (const connection of this.instances.setExpected(expected)) this.dataPath.closeConnection(connection, 'its task is no longer in this container');
    logger.info('following a new packing plan', { tasks: expected.map((i) => i.info.taskId), missing: this.instances.missing() });
    this.tmanager.setReady(this.instances.allRegistered());
  }
}

function instancesKey(instances: readonly system.Instance[]): string {
  return instances.map((i) => Buffer.from(system.Instance.encode(i).finish()).toString('base64')).join(',');
}
