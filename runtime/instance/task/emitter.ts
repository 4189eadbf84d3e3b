import { DEFAULT_STREAM } from '../../../api/topology-definition.js';
import type { Values } from '../../../api/tuple.js';
import { messageOf } from '../../../core/errors.js';
import { ControlSetWriter } from '../codec/control-set-writer.js';
import { NO_ROOTS } from '../codec/tuple-set-writer.js';
import { InstanceError } from '../instance-error.js';
import type { OutboundFrames } from './outbound-frames.js';
import type { StreamRoute } from './stream-routes.js';

export interface EmitterOptions {
  readonly component: string;
  readonly taskId: number;
  /** A stream's frame is sent once it holds this many bytes of tuples. */
  readonly batchBytes: number;
  /** ... or once it is this old. */
  readonly batchMs: number;
  readonly maxFrameBytes: number;
}

/**
 * Encodes emitted tuples straight into the HeronTupleSet frame of their stream (PROTOCOL.md §3) and sends each frame
 * when it is full or old. It checks what the topology allows (a declared stream, the declared number of fields,
 * direct emits only on direct streams and only to a direct subscriber's tasks) and asks custom groupings for their
 * tasks. Every refusal is an INSTANCE_EMIT_INVALID error naming the component, task, stream and, for a value, the field.
 *
 * Under ATLEAST_ONCE it also batches a bolt's acks and fails into a control frame ({@link settle}), sent on the same
 * triggers; whenever it sends that frame it sends every open data frame first, so that the emits anchored to an input
 * reach the stream manager before the input's ack (PROTOCOL.md §7).
 */
export class Emitter {
  /** Tuples emitted so far; the spout runner compares it across `nextTuple` calls. */
  emitted = 0;
  /** Bytes of tuples encoded so far. */
  bytes = 0;
  /** The runners' latest reading of the clock, stamped on frames as they open. */
  now = 0;
  /** Set by the runners while they call user code, when {@link now} is fresh enough to time acks by. */
  inSlice = false;
  private lastStream: string = DEFAULT_STREAM;
  private lastRoute: StreamRoute | undefined;
  private readonly dests: number[] = [];
  /** Routes with tuples waiting in an open frame. */
  private readonly pending: StreamRoute[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** The control frame of a bolt's acks and fails, made at the first one. */
  private control: ControlSetWriter | undefined;

  constructor(
    private readonly routes: ReadonlyMap<string, StreamRoute>,
    private readonly out: OutboundFrames,
    private readonly options: EmitterOptions,
  ) {
    this.lastRoute = routes.get(DEFAULT_STREAM);
  }

  /**
   * Emits on a non-direct stream, with the roots `roots[rootsFrom, rootsTo)` ((task id, key low, key high)
   * triples; none by default), and returns the stream's route.
   */
  emit(values: Values, stream: string, roots: readonly number[] = NO_ROOTS, rootsFrom = 0, rootsTo = 0): StreamRoute {
    const route = stream === this.lastStream && this.lastRoute !== undefined ? this.lastRoute : this.routeOf(stream);
    if (route.info.direct) throw this.refuse(stream, `stream '${stream}' is direct: emit on it with emitDirect`);
    this.write(route, values, -1, roots, rootsFrom, rootsTo);
    return route;
  }

  /** Emits on a direct stream to one task of a subscriber with direct grouping; roots and result as {@link emit}. */
  emitDirect(taskId: number, values: Values, stream: string, roots: readonly number[] = NO_ROOTS, rootsFrom = 0, rootsTo = 0): StreamRoute {
    const route = this.routeOf(stream);
    if (!route.info.direct) throw this.refuse(stream, `stream '${stream}' is not direct (declare it with { direct: true }): emit on it with emit`);
    if (!route.directTasks.has(taskId)) {
      const tasks = [...route.directTasks].sort((a, b) => a - b);
      throw this.refuse(stream, `task ${String(taskId)} is not a task of a direct subscriber of stream '${stream}' (${tasks.length === 0 ? 'it has none' : `tasks: ${tasks.join(', ')}`})`);
    }
    this.write(route, values, taskId, roots, rootsFrom, rootsTo);
    return route;
  }

  private routeOf(stream: string): StreamRoute {
    const route = this.routes.get(stream);
    if (route === undefined) {
      const declared = [...this.routes.keys()].map((s) => `'${s}'`).join(', ');
      throw this.refuse(stream, `component '${this.options.component}' declares no stream '${stream}' (declared: ${declared || 'none'})`);
    }
    this.lastStream = stream;
    this.lastRoute = route;
    return route;
  }

  private write(route: StreamRoute, values: Values, directTask: number, roots: readonly number[], rootsFrom: number, rootsTo: number): void {
    const { info, writer } = route;
    if (!Array.isArray(values)) throw this.refuse(info.stream, `values must be an array, not ${values === null ? 'null' : typeof values}`);
    if (values.length !== info.fields.length) {
      throw this.refuse(info.stream, `${values.length} values for the ${info.fields.length} fields of stream '${info.stream}' (${info.fields.join(', ')})`);
    }
    const dests = this.dests;
    let count = 0;
    if (directTask >= 0) dests[count++] = directTask;
    if (route.customs !== null) count = this.chooseCustomTasks(route, values, count);
    if (!writer.isOpen) writer.open(this.out.take(), this.now);
    const before = writer.frameBytes;
    this.encode(route, values, count, roots, rootsFrom, rootsTo);
    let size = writer.frameBytes - before;
    if (size + before > this.options.maxFrameBytes) size = this.moveToNewFrame(route, values, count, before, roots, rootsFrom, rootsTo);
    if (writer.tuples === 1) this.pending.push(route);
    this.bytes += size;
    this.emitted++;
    route.stats.emitCount++;
    if (writer.dataBytes >= this.options.batchBytes) this.flush(route);
    else if (this.flushTimer === undefined) this.armFlushTimer(this.options.batchMs);
  }

  private encode(route: StreamRoute, values: Values, destCount: number, roots: readonly number[], rootsFrom: number, rootsTo: number): void {
    try {
      route.writer.write(values, this.dests, destCount, roots, rootsFrom, rootsTo);
    } catch (error) {
      const field = route.writer.failedField;
      const name = route.info.fields[field] ?? String(field);
      throw this.refuse(route.info.stream, `field '${name}' of stream '${route.info.stream}': ${messageOf(error)}`, error);
    }
  }

  /** A tuple that made its frame too large: send the frame without it, and give it a frame of its own; returns its size. */
  private moveToNewFrame(route: StreamRoute, values: Values, destCount: number, before: number, roots: readonly number[], rootsFrom: number, rootsTo: number): number {
    const writer = route.writer;
    const tooLarge = (base: number): InstanceError => this.refuse(route.info.stream, `a tuple of ${writer.frameBytes - base} bytes does not fit in a frame of at most ${this.options.maxFrameBytes} bytes (egret.stmgr.max.frame.bytes)`);
    if (writer.tuples === 1) {
      const error = tooLarge(before);
      writer.rewindTo(before);
      throw error;
    }
    writer.rewindTo(before);
    this.flush(route);
    writer.open(this.out.take(), this.now);
    const empty = writer.frameBytes;
    this.encode(route, values, destCount, roots, rootsFrom, rootsTo);
    if (writer.frameBytes > this.options.maxFrameBytes) {
      const error = tooLarge(empty);
      writer.rewindTo(empty);
      throw error;
    }
    return writer.frameBytes - empty;
  }

  private chooseCustomTasks(route: StreamRoute, values: Values, count: number): number {
    const dests = this.dests;
    for (const target of route.customs!) {
      const chosen = target.grouping.chooseTasks(values);
      for (const task of chosen) {
        if (!target.tasks.has(task)) {
          throw this.refuse(route.info.stream, `the custom grouping of '${target.component}' chose task ${String(task)}, which is not one of its tasks (${target.taskList.join(', ')})`);
        }
        dests[count++] = task;
      }
    }
    return count;
  }

  /** Sends the open frame of `route`, if it holds tuples. */
  private flush(route: StreamRoute): void {
    const writer = route.writer;
    if (writer.tuples === 0) return;
    this.out.send(writer.finish());
    const at = this.pending.indexOf(route);
    if (at >= 0) this.pending.splice(at, 1);
  }

  /**
   * Adds the ack (`tag` ACKS_TAG) or fail (FAILS_TAG) of an input tuple, from its acking record (`[key low, key
   * high, roots...]`), to the control frame.
   */
  settle(tag: number, record: readonly number[]): void {
    const control = (this.control ??= new ControlSetWriter(this.options.taskId));
    if (!control.isOpen) control.open(this.out.take(), this.now);
    control.add(tag, record);
    if (control.contentBytes >= this.options.batchBytes) this.flushControl();
    else if (this.flushTimer === undefined) this.armFlushTimer(this.options.batchMs);
  }

  /** Sends the control frame, after every data frame (whose tuples may be anchored to the inputs it acks). */
  private flushControl(): void {
    this.flushData();
    const control = this.control;
    if (control === undefined || control.count === 0) return;
    this.out.send(control.finish());
  }

  private flushData(): void {
    while (this.pending.length > 0) this.flush(this.pending[0]!);
  }

  /** Sends every frame holding tuples, acks or fails. */
  flushAll(): void {
    if (this.control !== undefined && this.control.count > 0) this.flushControl();
    else this.flushData();
  }

  /** Sends the frames opened `batchMs` or more before `now`; returns when the next one will be due, or -1. */
  flushAged(now: number): number {
    this.now = now;
    const batchMs = this.options.batchMs;
    const control = this.control;
    if (control !== undefined && control.count > 0 && control.openedAt + batchMs <= now) this.flushControl();
    let next = control !== undefined && control.count > 0 ? control.openedAt + batchMs : -1;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const route = this.pending[i]!;
      const due = route.writer.openedAt + batchMs;
      if (due <= now) this.flush(route);
      else if (next < 0 || due < next) next = due;
    }
    return next;
  }

  /** True while some frame holds tuples, acks or fails not yet sent. */
  get hasPending(): boolean {
    return this.pending.length > 0 || (this.control !== undefined && this.control.count > 0);
  }

  /** The time to take for an ack: the runners' reading during a slice, else the clock's (a user timer acking). */
  time(): number {
    return this.inSlice ? this.now : performance.now();
  }

  private armFlushTimer(ms: number): void {
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const next = this.flushAged(performance.now());
      if (next >= 0) this.armFlushTimer(Math.max(1, next - this.now));
    }, ms);
  }

  /** Stops the flush timer (at shutdown, after a last {@link flushAll}). */
  close(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private refuse(stream: string, what: string, cause?: unknown): InstanceError {
    const { component, taskId } = this.options;
    return new InstanceError(`component '${component}' task ${taskId}: cannot emit on stream '${stream}': ${what}`, { code: 'INSTANCE_EMIT_INVALID', cause });
  }
}
