import type { Logger } from 'winston';
import { createLogger } from '../../../core/logging.js';
import { messageOf } from '../../../core/errors.js';
import { MessageTypes } from '../../common/message-types.js';
import type { ControlMessage, FromTask, TaskWorkerData } from '../task-protocol.js';
import { PlanView } from '../task/plan-view.js';
import { failureException, InstanceMetrics } from './instance-metrics.js';
import { assignedPlan, instanceId, registrationOutcome, registrationRequest, type InstanceIdentity } from './registration.js';
import { TaskThread } from './task-thread.js';

export interface InstanceGatewayOptions {
  readonly identity: InstanceIdentity;
  readonly stmgrEndpoint: string;
  readonly task: TaskWorkerData;
  /** How long to wait for the stream manager's answer to the registration (the task thread connects). */
  readonly connectTimeoutMs: number;
  /** A clean stop that takes longer is cut short (Heron's heron.instance.force.exit.timeout.ms). */
  readonly stopTimeoutMs: number;
  /** The container's metrics manager (PROTOCOL.md §9). */
  readonly metricsEndpoint: string;
  /** How many times the executor restarted this instance, published as `__restarts`. */
  readonly restarts: number;
  /** How long a failure waits for the metrics manager connection to publish the error before exiting. */
  readonly failurePublishWaitMs: number;
}

/**
 * The main thread of an instance: starts the task thread (which owns the socket to the stream manager and runs the
 * component), registers the instance through it, checks each physical plan before handing it over, and publishes the
 * task thread's metrics to the metrics manager (Heron's gateway does these, and moves the tuples too: here they stay
 * on the task thread, a thread hop less each way). It never runs user code. {@link run} resolves with the process's
 * exit code: 0 after a clean {@link stop}, 1 after any failure (user code threw, the stream manager refused the
 * registration or went away, the task thread died). A failure of user code is published as an error to the metrics
 * manager first, then logged, so that it outlives the process.
 */
export class InstanceGateway {
  private logger: Logger;
  private task: TaskThread | undefined;
  private component: string | undefined;
  private registrationId: Buffer | undefined;
  private registrationTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Publishing the error of a user failure, before logging it and exiting. */
  private failing = false;
  private done = false;
  private readonly metrics: InstanceMetrics;
  private resolveExit: (code: number) => void = () => undefined;
  private readonly exit = new Promise<number>((resolve) => (this.resolveExit = resolve));
  private resolveStopped: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(private readonly options: InstanceGatewayOptions) {
    const { component } = options.identity;
    this.component = component === '' ? undefined : component;
    this.logger = this.loggerFor(this.component);
    this.metrics = new InstanceMetrics(options.metricsEndpoint, options.restarts);
    if (this.component !== undefined) this.startMetrics(this.component, options.identity.componentIndex);
  }

  /** Starts the task thread, which connects (then this registers); resolves with the exit code once the instance is over. */
  async run(): Promise<number> {
    this.task = new TaskThread(this.options.task, {
      onMessage: (message) => this.onTaskMessage(message),
      onDeath: (reason, stack) => void this.failUserCode(reason, { stack }),
    });
    return this.exit;
  }

  /** Stops cleanly: the task thread deactivates and closes its component and sends what it has batched. */
  async stop(reason: string): Promise<void> {
    if (this.failing) return;
    if (this.stopping || this.done) return;
    this.stopping = true;
    this.logger.info('stopping', { reason });
    this.task?.post({ kind: 'stop' });
    const timedOut = await Promise.race([this.stopped.then(() => false), delay(this.options.stopTimeoutMs).then(() => true)]);
    if (this.done) return;
    if (timedOut) this.logger.warn(`the component did not stop within ${this.options.stopTimeoutMs} ms; exiting anyway`);
    await this.finish(0);
  }

  private register(): void {
    if (this.done || this.stopping) return;
    const { payload, requestId } = registrationRequest(this.options.identity);
    this.registrationId = requestId;
    this.task?.post({ kind: 'send', messageType: MessageTypes.REGISTER_INSTANCE_REQUEST, payload, requestId });
    this.registrationTimer = setTimeout(() => this.fail(`the stream manager did not answer the registration within ${this.options.connectTimeoutMs} ms`), this.options.connectTimeoutMs);
  }

  private onControl(frame: ControlMessage): void {
    try {
      if (frame.messageType === MessageTypes.REGISTER_INSTANCE_RESPONSE && this.registrationId?.equals(frame.requestId)) {
        this.onRegistered(frame.payload);
      } else if (frame.messageType === MessageTypes.NEW_INSTANCE_ASSIGNMENT) {
        this.onPlan(assignedPlan(frame.payload));
      } else if (frame.messageType !== MessageTypes.HERON_TUPLE_SET2) {
        this.logger.warn('ignoring a message the instance does not handle', { messageType: frame.messageType });
      }
    } catch (error) {
      this.fail(`a ${frame.messageType} from the stream manager does not decode: ${messageOf(error)}`);
    }
  }

  private onRegistered(payload: Uint8Array): void {
    clearTimeout(this.registrationTimer);
    this.registrationId = undefined;
    const outcome = registrationOutcome(payload);
    if (!outcome.accepted) {
      this.fail(`the stream manager refused the registration (${outcome.status}): ${outcome.message}`);
      return;
    }
    this.logger.info('registered with the stream manager', { endpoint: this.options.stmgrEndpoint });
    if (outcome.plan) this.onPlan(outcome.plan);
  }

  /** Checks that the plan still gives this task the same component, then hands it to the task thread. */
  private onPlan(bytes: Uint8Array): void {
    const taskId = this.options.identity.taskId;
    const me = PlanView.decode(bytes).instanceOf(taskId);
    if (!me) {
      this.fail(`the physical plan has no task ${taskId} any more`);
      return;
    }
    if (this.component !== undefined && me.component !== this.component) {
      this.fail(`the physical plan gives task ${taskId} to component '${me.component}' instead of '${this.component}'; exiting to be restarted as it`);
      return;
    }
    if (this.component === undefined) {
      this.component = me.component;
      this.logger = this.loggerFor(me.component);
      this.startMetrics(me.component, me.componentIndex);
    }
    this.task?.post({ kind: 'plan', plan: bytes });
  }

  private onTaskMessage(message: FromTask): void {
    switch (message.kind) {
      case 'connected':
        this.register();
        return;
      case 'connect-failed':
        this.fail(message.message);
        return;
      case 'control':
        this.onControl(message);
        return;
      case 'closed':
        // Not sent when the task thread ends the connection itself, at the end of a clean stop.
        this.fail(`lost the stream manager connection: ${message.reason}`);
        return;
      case 'started':
        this.logger.info(`${message.type} started`, { component: message.component, componentIndex: message.componentIndex });
        return;
      case 'log':
        this.logger.log(message.level, message.message, message.fields);
        return;
      case 'metrics':
        this.metrics.publish(message.metrics, message.exceptions, message.depths);
        return;
      case 'failed':
        void this.failUserCode(message.message, { during: message.during, stack: message.stack });
        return;
      case 'stopped':
        this.resolveStopped();
        return;
    }
  }

  /** Publishes a failure of user code (or of the task thread) as an error, then logs it and ends the instance. */
  private async failUserCode(reason: string, fields: { readonly stack?: string | undefined; readonly during?: string }): Promise<void> {
    if (this.done || this.failing) return;
    this.failing = true;
    await this.metrics.publishFailure(failureException(reason, fields.stack), this.options.failurePublishWaitMs);
    this.failing = false;
    this.fail(reason, fields);
  }

  /** Logs why the instance cannot go on and ends it with exit code 1. */
  private fail(reason: string, fields: Record<string, unknown> = {}): void {
    // A user failure being published is logged once that is done, and wins over what happens meanwhile.
    if (this.done || this.failing) return;
    this.logger.error(reason, { component: this.component, task: this.options.identity.taskId, ...fields });
    void this.finish(1);
  }

  private async finish(code: number): Promise<void> {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.registrationTimer);
    this.metrics.close();
    await this.task?.terminate();
    this.resolveExit(code);
  }

  private startMetrics(component: string, componentIndex: number): void {
    const identity = { ...this.options.identity, component };
    this.metrics.start({ component, instanceId: instanceId(identity), instanceIndex: componentIndex }, this.logger);
  }

  private loggerFor(component: string | undefined): Logger {
    return createLogger(`instance:${component ?? '?'}:${this.options.identity.taskId}`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
