import type { BoltEmitOptions, BoltOutputCollector, SpoutEmitOptions, SpoutOutputCollector } from '../../../api/output-collector.js';
import { DEFAULT_STREAM } from '../../../api/topology-definition.js';
import type { Tuple } from '../../../api/tuple.js';
import { ACKS_TAG, FAILS_TAG } from '../codec/control-set-writer.js';
import { AnchorRoots } from './anchor-roots.js';
import type { Emitter } from './emitter.js';
import { InstanceTuple } from './instance-tuple.js';
import type { PendingRoots } from './pending-roots.js';

/**
 * A spout's collector under ATMOST_ONCE: a message id is acked at once (`ackLater`, delivered after the current
 * `nextTuple`), as Heron does when acking is off.
 */
export function spoutCollector(emitter: Emitter, ackLater: (messageId: unknown) => void, reportError: (error: Error) => void): SpoutOutputCollector {
  return {
    emit(values, options?: SpoutEmitOptions) {
      const route = emitter.emit(values, options?.stream ?? DEFAULT_STREAM);
      if (options?.messageId !== undefined) {
        route.stats.ackCount++;
        ackLater(options.messageId);
      }
    },
    emitDirect(taskId, values, options?: SpoutEmitOptions) {
      const route = emitter.emitDirect(taskId, values, options?.stream ?? DEFAULT_STREAM);
      if (options?.messageId !== undefined) {
        route.stats.ackCount++;
        ackLater(options.messageId);
      }
    },
    reportError,
  };
}

/**
 * A spout's collector under ATLEAST_ONCE (PROTOCOL.md §7): an emit with a message id carries a fresh root and is
 * tracked in `roots` once the emit succeeded; an emit without one is not tracked.
 */
export function trackingSpoutCollector(emitter: Emitter, roots: PendingRoots, reportError: (error: Error) => void): SpoutOutputCollector {
  return {
    emit(values, options?: SpoutEmitOptions) {
      const stream = options?.stream ?? DEFAULT_STREAM;
      const messageId = options?.messageId;
      if (messageId === undefined) {
        emitter.emit(values, stream);
        return;
      }
      const route = emitter.emit(values, stream, roots.draw(), 0, 3);
      roots.track(messageId, route.stats, emitter.now);
    },
    emitDirect(taskId, values, options?: SpoutEmitOptions) {
      const stream = options?.stream ?? DEFAULT_STREAM;
      const messageId = options?.messageId;
      if (messageId === undefined) {
        emitter.emitDirect(taskId, values, stream);
        return;
      }
      const route = emitter.emitDirect(taskId, values, stream, roots.draw(), 0, 3);
      roots.track(messageId, route.stats, emitter.now);
    },
    reportError,
  };
}

/**
 * A bolt's collector under ATMOST_ONCE: anchors are ignored, and ack and fail send nothing (no tuple is tracked);
 * they are counted, with the process latency, as Heron counts them whatever the mode.
 */
export function boltCollector(emitter: Emitter, reportError: (error: Error) => void): BoltOutputCollector {
  return {
    emit(values, options?: BoltEmitOptions) {
      emitter.emit(values, options?.stream ?? DEFAULT_STREAM);
    },
    emitDirect(taskId, values, options?: BoltEmitOptions) {
      emitter.emitDirect(taskId, values, options?.stream ?? DEFAULT_STREAM);
    },
    ack(tuple) {
      if (tuple instanceof InstanceTuple) countSettled(tuple, true, emitter.time());
    },
    fail(tuple) {
      if (tuple instanceof InstanceTuple) countSettled(tuple, false, emitter.time());
    },
    reportError,
  };
}

/**
 * A bolt's collector under ATLEAST_ONCE (PROTOCOL.md §7): an anchored emit carries the union of its anchors' roots;
 * ack and fail send `AckTuple { roots, ackedtuple = key }` of the input in the emitter's control frame. Tuples
 * without roots (from untracked emits, ticks) are counted but send nothing.
 */
export function trackingBoltCollector(emitter: Emitter, reportError: (error: Error) => void): BoltOutputCollector {
  const anchorRoots = new AnchorRoots();
  const settle = (tuple: Tuple, acked: boolean): void => {
    if (!(tuple instanceof InstanceTuple)) return;
    countSettled(tuple, acked, emitter.time());
    const record = tuple.record;
    if (record !== null && record.length > 2) emitter.settle(acked ? ACKS_TAG : FAILS_TAG, record);
  };
  return {
    emit(values, options?: BoltEmitOptions) {
      const stream = options?.stream ?? DEFAULT_STREAM;
      const anchors = options?.anchors;
      if (anchors === undefined || !anchorRoots.collect(anchors)) emitter.emit(values, stream);
      else emitter.emit(values, stream, anchorRoots.roots, anchorRoots.from, anchorRoots.to);
    },
    emitDirect(taskId, values, options?: BoltEmitOptions) {
      const stream = options?.stream ?? DEFAULT_STREAM;
      const anchors = options?.anchors;
      if (anchors === undefined || !anchorRoots.collect(anchors)) emitter.emitDirect(taskId, values, stream);
      else emitter.emitDirect(taskId, values, stream, anchorRoots.roots, anchorRoots.from, anchorRoots.to);
    },
    ack(tuple) {
      settle(tuple, true);
    },
    fail(tuple) {
      settle(tuple, false);
    },
    reportError,
  };
}

/** Counts an input's ack or fail on its stream, with the time from its arrival. */
function countSettled(tuple: InstanceTuple, acked: boolean, now: number): void {
  const input = tuple.input;
  if (acked) input.ackCount++;
  else input.failCount++;
  const arrivedAt = tuple.arrival.at;
  // Tick tuples have no arrival; a clock read before the batch arrived (an await in the slice) counts as 0.
  if (arrivedAt > 0) {
    input.processMs += now > arrivedAt ? now - arrivedAt : 0;
    input.processSamples++;
  }
}
