import { SYSTEM_COMPONENT, TICK_STREAM, type Tuple } from '../../../api/tuple.js';
import type { AckRecord } from '../codec/tuple-set-reader.js';
import { streamInfo, type StreamInfo } from './plan-view.js';
import type { Arrival, InputStream } from './stream-stats.js';

/** Storm's id for the `__system` component's task. */
export const SYSTEM_TASK_ID = -1;

/** The stream of tick tuples: Storm's `__system`/`__tick`, with the tick period as its one field. */
export const TICK_STREAM_INFO: StreamInfo = streamInfo(SYSTEM_COMPONENT, TICK_STREAM, ['rate_secs'], false);

/** No arrival time: tick tuples, which are made where they are executed. */
const NOW: Arrival = { at: 0 };

/**
 * A tuple delivered to a bolt. Its input stream (description and counters) and arrival are shared with other tuples,
 * so a tuple costs one small object and its values, plus its acking record under ATLEAST_ONCE.
 */
export class InstanceTuple implements Tuple {
  constructor(
    /** The stream it came on, whose counters its execute and ack add to. */
    readonly input: InputStream,
    readonly sourceTask: number,
    readonly values: unknown[],
    /** Its key and roots (ATLEAST_ONCE), or null: an ack or fail then has nothing to send. */
    readonly record: AckRecord | null,
    /** When it reached the task thread, for the process latency. */
    readonly arrival: Arrival,
  ) {}

  private get stream(): StreamInfo {
    return this.input.info;
  }

  get sourceComponent(): string {
    return this.stream.component;
  }

  get sourceStream(): string {
    return this.stream.stream;
  }

  get fields(): readonly string[] {
    return this.stream.fields;
  }

  getValue(index: number): unknown {
    if (!Number.isInteger(index) || index < 0 || index >= this.values.length) {
      throw new RangeError(`tuple of stream '${this.stream.stream}' from '${this.stream.component}' has ${this.values.length} values; there is none at index ${String(index)}`);
    }
    return this.values[index];
  }

  getValueByField(field: string): unknown {
    const index = this.stream.fieldIndex.get(field);
    if (index === undefined) {
      throw new Error(`stream '${this.stream.stream}' of '${this.stream.component}' has no field '${field}' (fields: ${this.stream.fields.join(', ') || 'none'})`);
    }
    return this.values[index];
  }

  contains(field: string): boolean {
    return this.stream.fieldIndex.has(field);
  }

  isTick(): boolean {
    return this.stream === TICK_STREAM_INFO;
  }
}

/** A tick tuple on `input` (whose info is {@link TICK_STREAM_INFO}), carrying its period in seconds. */
export function tickTuple(input: InputStream, periodSecs: number): InstanceTuple {
  return new InstanceTuple(input, SYSTEM_TASK_ID, [periodSecs], null, NOW);
}
