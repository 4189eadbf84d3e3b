import type { Bolt } from '../../../api/bolt.js';
import type { ConfigMap } from '../../../api/config-value.js';
import type { Spout } from '../../../api/spout.js';
import { messageTimeoutMsOf, readTopologyConfig } from '../../../api/topology-config.js';
import type { TopologyDefinition } from '../../../api/topology-definition.js';
import { messageOf } from '../../../core/errors.js';
import type { LogLevel } from '../../../core/logging.js';
import { InstanceError } from '../instance-error.js';
import { loadValueCodec } from '../serializer/serializer-loader.js';
import type { ValueCodec } from '../serializer/value-codec.js';
import type { FrameSlice, FromTask, QueueDepths, TaskWorkerData, ToTask } from '../task-protocol.js';
import { ControlSetReader } from '../codec/control-set-reader.js';
import { BoltRunner } from './bolt-runner.js';
import { boltCollector, spoutCollector, trackingBoltCollector, trackingSpoutCollector } from './collectors.js';
import { Emitter } from './emitter.js';
import { ErrorLog } from './error-log.js';
import { InboundTuples } from './inbound-tuples.js';
import { TICK_STREAM_INFO } from './instance-tuple.js';
import { OutboundFrames } from './outbound-frames.js';
import { PendingRoots } from './pending-roots.js';
import { PlanView } from './plan-view.js';
import { SpoutRunner, type SpoutAcking } from './spout-runner.js';
import { buildRoutes, updateRouteTasks, type StreamRoute } from './stream-routes.js';
import { InputStream } from './stream-stats.js';
import { TaskMetrics } from './task-metrics.js';
import { TaskContext } from './task-context.js';
import { componentDefinition, loadTopologyDefinition } from './topology-module-loader.js';

/** How the task thread talks to the main thread. */
export type PostToMain = (message: FromTask) => void;

/** The task thread's connection to its stream manager, as the component's side uses it (connection/stmgr-connection.ts). */
export interface StmgrLink {
  /** Writes frames in order; each buffer comes back through {@link TaskHost.credit} once the socket took it. */
  writeFrames(frames: readonly FrameSlice[]): void;
  /** Takes back an incoming batch buffer once read. */
  release(buffer: ArrayBuffer): void;
  /** Ends the connection once what is queued is written. */
  end(): Promise<void>;
  readonly depths: QueueDepths;
}

/** Extra room in each outgoing buffer beyond the batch size: the tuple that crosses it still fits. */
const BUFFER_SLACK = 16 * 1024;

interface Running {
  readonly runner: SpoutRunner | BoltRunner;
  readonly context: TaskContext;
  readonly routes: ReadonlyMap<string, StreamRoute>;
  /** A bolt's input. */
  readonly inbound: InboundTuples | undefined;
  /** A spout's acks and fails under ATLEAST_ONCE. */
  readonly completions: { readonly reader: ControlSetReader; readonly roots: PendingRoots } | undefined;
  readonly metrics: TaskMetrics;
}

/**
 * The task thread's side of an instance: loads the topology module and the serializer, creates the component when
 * the first physical plan names it, runs it (spout or bolt runner; acking under ATLEAST_ONCE), follows later plans
 * (activation, task lists), and reports its metrics every interval. It never throws at the main thread: failures are
 * `failed` messages, after which it calls no more user code.
 */
export class TaskHost {
  private readonly out: OutboundFrames;
  private readonly loaded: Promise<[TopologyDefinition, ValueCodec]>;
  /** Work on plans and stop, in arrival order (starting the component is asynchronous). */
  private queue: Promise<void> = Promise.resolve();
  private running: Running | undefined;
  private readonly early: Array<{ buffer: ArrayBuffer; length: number }> = [];
  private failed = false;
  private stopping = false;
  private where = 'task';
  private readonly errors = new ErrorLog();
  private metricsTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly data: TaskWorkerData,
    private readonly post: PostToMain,
    private readonly link: StmgrLink,
  ) {
    this.out = new OutboundFrames((frame) => this.link.writeFrames([frame]), data.emitBatchBytes + BUFFER_SLACK, data.outboundBuffers);
    this.where = `task ${data.taskId}`;
    this.loaded = Promise.all([
      loadTopologyDefinition(data.moduleFile, { args: data.moduleArgs, config: data.config }),
      loadValueCodec(data.config, data.packageDir),
    ]);
    // Reported when the first plan needs them; this keeps an early failure from being an unhandled rejection.
    this.loaded.catch(() => undefined);
  }

  /** Handles a plan or the stop from the main thread (`send` is the connection's). */
  handle(message: Exclude<ToTask, { kind: 'send' }>): void {
    if (this.failed) return;
    switch (message.kind) {
      case 'plan':
        this.enqueue(() => this.applyPlan(message.plan));
        return;
      case 'stop':
        this.stopping = true;
        this.enqueue(() => this.stop());
        return;
    }
  }

  /** Outgoing buffers the socket has taken, back for reuse. */
  credit(buffers: readonly ArrayBuffer[]): void {
    if (this.failed) return;
    const hadCredit = this.out.hasCredit;
    this.out.credit(buffers);
    // Only a runner that stopped for want of a buffer waits for one; waking it for every frame the socket took cost
    // a slice per write.
    if (!hadCredit) this.running?.runner.wake();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.fail(error, 'start'));
  }

  /** Complete incoming frames in `buffer[0, length)`; the buffer goes back to the connection once read. */
  receive(buffer: ArrayBuffer, length: number): void {
    if (this.failed) return;
    const running = this.running;
    if (running === undefined) {
      this.early.push({ buffer, length });
      return;
    }
    if (running.inbound !== undefined) {
      running.inbound.push(buffer, length, performance.now());
      running.runner.wake();
      return;
    }
    // A spout: acks and fails under ATLEAST_ONCE, read at once so the buffer goes back; nothing under ATMOST_ONCE.
    const completions = running.completions;
    if (completions !== undefined) {
      try {
        completions.reader.readFrames(Buffer.from(buffer, 0, length), length, completions.roots.complete);
      } catch (error) {
        this.fail(error, 'reading acks');
        return;
      }
      running.runner.wake();
    }
    this.link.release(buffer);
  }

  private async applyPlan(bytes: Uint8Array): Promise<void> {
    if (this.failed || this.stopping) return;
    const plan = PlanView.decode(bytes);
    if (this.running === undefined) {
      await this.start(plan);
      return;
    }
    const { runner, context, routes } = this.running;
    context.update(plan);
    updateRouteTasks(routes, plan, context.componentName, context);
    if (runner instanceof SpoutRunner) runner.setActive(plan.state === 'RUNNING');
  }

  private async start(plan: PlanView): Promise<void> {
    const [definition, codec] = await this.loaded;
    const { taskId } = this.data;
    const me = plan.instanceOf(taskId);
    if (!me) throw new InstanceError(`the physical plan has no task ${taskId}`, { code: 'INSTANCE_COMPONENT_NOT_FOUND' });
    const { component, componentIndex } = me;
    this.where = `component '${component}' task ${taskId}`;
    const { factory, kind } = componentDefinition(definition, component, this.data.moduleArgs);
    const config: ConfigMap = { ...this.data.config, ...plan.componentConfig(component) };
    const context = new TaskContext(plan, taskId, component, componentIndex, config);
    const routes = buildRoutes(plan, component, taskId, definition, codec, context);
    const topologyConfig = readTopologyConfig(config);
    const tracking = readTopologyConfig(this.data.config).reliabilityMode === 'ATLEAST_ONCE';
    const emitter = new Emitter(routes, this.out, {
      component,
      taskId,
      batchBytes: this.data.emitBatchBytes,
      batchMs: this.data.emitBatchMs,
      maxFrameBytes: this.data.maxFrameBytes,
    });
    const reportError = (error: Error): void => {
      this.errors.add(error);
      this.log('warn', 'user code reported an error', { component, task: taskId, error: messageOf(error), stack: error.stack });
    };
    const fail = (error: unknown, during: string): void => this.fail(error, during);
    if (kind === 'spout') {
      const spout = (factory as () => Spout)();
      const roots = tracking ? new PendingRoots(taskId) : undefined;
      const acking: SpoutAcking | null = roots
        ? { roots, maxPending: topologyConfig.maxSpoutPending, timeoutMs: messageTimeoutMsOf(topologyConfig) }
        : null;
      const runner = new SpoutRunner(spout, emitter, this.out, fail, acking);
      const collector = roots ? trackingSpoutCollector(emitter, roots, reportError) : spoutCollector(emitter, (id) => runner.ackLater(id), reportError);
      await this.call('open', () => spout.open(context, collector));
      const metrics = new TaskMetrics('spout', [...routes.values()], []);
      this.running = { runner, context, routes, inbound: undefined, completions: roots && { reader: new ControlSetReader(taskId), roots }, metrics };
      this.started(component, componentIndex, 'spout');
      runner.setActive(plan.state === 'RUNNING');
    } else {
      const bolt = (factory as () => Bolt)();
      const inputs = inputsOf(plan, component);
      const inbound = new InboundTuples(inputs, codec, (buffer) => this.link.release(buffer), (message) =>
        this.log('warn', message, { component, task: taskId }),
      );
      const tickSecs = topologyConfig.tickTupleFreqSecs;
      const tickInput = new InputStream(TICK_STREAM_INFO);
      const runner = new BoltRunner(bolt, emitter, this.out, inbound, fail, tickSecs, tickInput);
      const collector = tracking ? trackingBoltCollector(emitter, reportError) : boltCollector(emitter, reportError);
      await this.call('prepare', () => bolt.prepare?.(context, collector));
      const inputList = [...inputs.values()].flatMap((streams) => [...streams.values()]);
      const metrics = new TaskMetrics('bolt', [...routes.values()], tickSecs === undefined ? inputList : [...inputList, tickInput]);
      this.running = { runner, context, routes, inbound, completions: undefined, metrics };
      this.started(component, componentIndex, 'bolt');
      runner.start();
    }
    this.metricsTimer = setInterval(() => this.reportMetrics(), this.data.metricsIntervalMs);
    for (const { buffer, length } of this.early.splice(0)) this.receive(buffer, length);
  }

  /** Posts the metrics and user errors since the last report. */
  private reportMetrics(): void {
    const running = this.running;
    if (running === undefined) return;
    this.post({ kind: 'metrics', metrics: running.metrics.collect(), exceptions: this.errors.drain(), depths: this.link.depths });
  }

  private started(component: string, componentIndex: number, type: 'spout' | 'bolt'): void {
    this.post({ kind: 'started', component, componentIndex, type });
  }

  /** Runs a user method once, naming it in the failure. */
  private async call(during: string, method: () => void | Promise<void>): Promise<void> {
    try {
      await method();
    } catch (error) {
      throw new UserCodeError(during, error);
    }
  }

  private async stop(): Promise<void> {
    const running = this.running;
    if (running !== undefined && !this.failed) {
      const during = running.runner instanceof SpoutRunner ? 'close' : 'cleanup';
      try {
        await running.runner.stop();
      } catch (error) {
        this.fail(error, during);
        return;
      }
    }
    clearInterval(this.metricsTimer);
    this.reportMetrics();
    await this.link.end();
    this.post({ kind: 'stopped' });
  }

  /** Reports a failure once; no user code runs after it. */
  fail(error: unknown, during: string): void {
    if (this.failed) return;
    this.failed = true;
    this.running?.runner.abort();
    // What was counted and reported so far goes out before the process does; the main thread publishes the failure.
    clearInterval(this.metricsTimer);
    this.reportMetrics();
    const cause = error instanceof UserCodeError ? error.cause : error;
    const method = error instanceof UserCodeError ? error.during : during;
    const stack = cause instanceof Error ? cause.stack : undefined;
    this.post({ kind: 'failed', message: `${this.where}: ${method} failed: ${messageOf(cause)}`, during: method, ...(stack === undefined ? {} : { stack }) });
  }

  private log(level: LogLevel, message: string, fields: Record<string, unknown>): void {
    this.post({ kind: 'log', level, message, fields });
  }
}

/** A throw from a named user method, kept apart from the runtime's own errors while starting. */
class UserCodeError extends Error {
  constructor(
    readonly during: string,
    override readonly cause: unknown,
  ) {
    super(messageOf(cause));
  }
}

/** The input streams of a bolt, by source component and stream. */
function inputsOf(plan: PlanView, component: string): Map<string, Map<string, InputStream>> {
  const inputs = new Map<string, Map<string, InputStream>>();
  for (const stream of plan.inputsOf(component)) {
    const streams = inputs.get(stream.component) ?? new Map<string, InputStream>();
    streams.set(stream.stream, new InputStream(stream));
    inputs.set(stream.component, streams);
  }
  return inputs;
}
