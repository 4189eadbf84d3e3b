/** The values of one tuple, in the order of the stream's declared fields. */
export type Values = readonly unknown[];

/** The stream that tick tuples arrive on (every `topology.tick.tuple.freq.secs`), as in Storm. */
export const TICK_STREAM = '__tick';

/** The system component that sends tick tuples. */
export const SYSTEM_COMPONENT = '__system';

/** A tuple delivered to a bolt. */
export interface Tuple {
  /** The component that emitted it. */
  readonly sourceComponent: string;
  /** The task that emitted it (a global task id). */
  readonly sourceTask: number;
  /** The stream it was emitted on. */
  readonly sourceStream: string;
  /** The declared fields of that stream. */
  readonly fields: readonly string[];
  /** The values, one per field. */
  readonly values: Values;
  /** The value of a field by its position; throws a RangeError past the end. */
  getValue(index: number): unknown;
  /** The value of a field by its name; throws if the stream has no such field. */
  getValueByField(field: string): unknown;
  /** True when the stream declares the field. */
  contains(field: string): boolean;
  /** True for a tick tuple (`__system` component, `__tick` stream). */
  isTick(): boolean;
}
