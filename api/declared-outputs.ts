import type { OutputFieldsDeclarer, StreamOptions } from './output-fields-declarer.js';
import { DEFAULT_STREAM, type StreamDefinition } from './topology-definition.js';

/**
 * Runs a component's `declareOutputFields` (when it has one) and returns the streams it declared, in order.
 * Everything declared is kept, duplicates and bad names included, so that validation can report them.
 * Whatever `declareOutputFields` throws propagates.
 */
export function declaredOutputs(component: { declareOutputFields?(declarer: OutputFieldsDeclarer): void }): StreamDefinition[] {
  const streams: StreamDefinition[] = [];
  const add = (id: string, fields: readonly string[], options?: StreamOptions): void => {
    // Copied: the component may reuse or change its array after declaring it.
    streams.push({ id, fields: Array.isArray(fields) ? [...fields] : fields, direct: options?.direct === true });
  };
  component.declareOutputFields?.({
    declare: (fields, options) => add(DEFAULT_STREAM, fields, options),
    declareStream: (id, fields, options) => add(id, fields, options),
  });
  return streams;
}
