import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import type { MetricsFlush, MetricsSink } from './metrics-sink.js';
import type { MetricsUpdate } from './metrics-store.js';

/** Whose metrics a line holds. */
export interface FileSinkOptions {
  /** Absolute path of the JSON-lines file (the caller resolves `egret.metricsmgr.file.path`). */
  readonly path: string;
  readonly topology: string;
  readonly topologyId: string;
  readonly container: number;
  readonly logger: Logger;
}

/**
 * The JSON-lines sink, Heron's file sink one line at a time: every interval it appends one object,
 * `{ timestamp, topology, topologyId, container, publishers: [{ component, instanceId, hostname, lastPublishMs,
 * counters, latencies, gauges, restarts }], exceptions: [...] }`, counters as totals. A line is appended whole or not
 * at all by one write, so a reader never sees half an interval (short of a full disk).
 */
export class FileSink implements MetricsSink {
  readonly name = 'file';
  private prepared = false;

  constructor(private readonly options: FileSinkOptions) {}

  record(_update: MetricsUpdate): void {
    // Only snapshots are written.
  }

  async flush(flush: MetricsFlush): Promise<void> {
    const { path, topology, topologyId, container, logger } = this.options;
    const line = {
      timestamp: new Date(flush.timestampMs).toISOString(),
      timestampMs: flush.timestampMs,
      topology,
      topologyId,
      container,
      publishers: flush.publishers,
      exceptions: flush.exceptions,
    };
    try {
      if (!this.prepared) {
        await mkdir(dirname(path), { recursive: true });
        this.prepared = true;
      }
      await appendFile(path, `${JSON.stringify(line)}\n`);
    } catch (error) {
      logger.warn('writing the metrics file failed', { path, error: messageOf(error) });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
