/** Options of a declared stream. */
export interface StreamOptions {
  /** A direct stream: emitters choose the receiving task with `emitDirect`; subscribers use direct grouping. */
  readonly direct?: boolean;
}

/** Given to `declareOutputFields`: a component names the streams it emits and their fields. */
export interface OutputFieldsDeclarer {
  /** Declares the `default` stream. */
  declare(fields: readonly string[], options?: StreamOptions): void;
  /** Declares a named stream. */
  declareStream(streamId: string, fields: readonly string[], options?: StreamOptions): void;
}
