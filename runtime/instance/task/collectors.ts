import type { BoltEmitOptions, BoltOutputCollector, SpoutEmitOptions, SpoutOutputCollector } from '../../../api/output-collector.js';
import { DEFAULT_STREAM } from '../../../api/topology-definition.js';
import type { Emitter } from './emitter.js';

/**
 * A spout's collector under ATMOST_ONCE: a message id is acked at once (`ackLater`, delivered after the current
 * `nextTuple`), as Heron does when acking is off.
 */
export function spoutCollector(emitter: Emitter, ackLater: (messageId: unknown) => void, reportError: (error: Error) => void): SpoutOutputCollector {
  return {
    emit(values, options?: SpoutEmitOptions) {
      emitter.emit(values, options?.stream ?? DEFAULT_STREAM);
      if (options?.messageId !== undefined) ackLater(options.messageId);
    },
    emitDirect(taskId, values, options?: SpoutEmitOptions) {
      emitter.emitDirect(taskId, values, options?.stream ?? DEFAULT_STREAM);
      if (options?.messageId !== undefined) ackLater(options.messageId);
    },
    reportError,
  };
}

/** A bolt's collector under ATMOST_ONCE: anchors are ignored, and ack and fail do nothing (no tuple is tracked). */
export function boltCollector(emitter: Emitter, reportError: (error: Error) => void): BoltOutputCollector {
  return {
    emit(values, options?: BoltEmitOptions) {
      emitter.emit(values, options?.stream ?? DEFAULT_STREAM);
    },
    emitDirect(taskId, values, options?: BoltEmitOptions) {
      emitter.emitDirect(taskId, values, options?.stream ?? DEFAULT_STREAM);
    },
    ack() {},
    fail() {},
    reportError,
  };
}
