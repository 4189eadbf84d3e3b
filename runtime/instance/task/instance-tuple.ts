import { SYSTEM_COMPONENT, TICK_STREAM, type Tuple } from '../../../api/tuple.js';
import { streamInfo, type StreamInfo } from './plan-view.js';

/** Storm's id for the `__system` component's task. */
export const SYSTEM_TASK_ID = -1;

/** The stream of tick tuples: Storm's `__system`/`__tick`, with the tick period as its one field. */
export const TICK_STREAM_INFO: StreamInfo = streamInfo(SYSTEM_COMPONENT, TICK_STREAM, ['rate_secs'], false);

/**
 * A tuple delivered to a bolt. The stream's description is shared by every tuple of the stream, so a tuple costs
 * one small object and its values.
 */
export class InstanceTuple implements Tuple {
  constructor(
    private readonly stream: StreamInfo,
    readonly sourceTask: number,
    readonly values: unknown[],
  ) {}

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

/** A tick tuple, carrying its period in seconds. */
export function tickTuple(periodSecs: number): InstanceTuple {
  return new InstanceTuple(TICK_STREAM_INFO, SYSTEM_TASK_ID, [periodSecs]);
}
