import { type MetricName, parseMetricName, STMGR_COMPONENT, taskIdOfInstance } from '../metrics/metric-names.js';
import type { PublisherInfo } from './metrics-store.js';

/** One exported Prometheus metric: its type, help text and label names. */
export interface PrometheusDefinition {
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly labels: readonly string[];
}

const INSTANCE = ['topology', 'component', 'instance', 'task'] as const;
const STMGR = ['topology', 'stmgr'] as const;
/** Bolts' counts and latencies are per input: the component that sent it and its stream. */
const INPUT = [...INSTANCE, 'source_component', 'stream'] as const;

/** Every metric the Prometheus endpoint can show (runtime/metricsmgr/README.md lists them with their sources). */
export const PROMETHEUS_DEFINITIONS: Readonly<Record<string, PrometheusDefinition>> = {
  egret_emitted_tuples_total: { type: 'counter', help: 'Tuples emitted by an instance, by output stream.', labels: [...INSTANCE, 'stream'] },
  egret_executed_tuples_total: { type: 'counter', help: 'Tuples a bolt instance executed, by input (source component and stream).', labels: INPUT },
  egret_acked_tuples_total: { type: 'counter', help: 'Tuples acked: by a spout, its trees completed (by stream); by a bolt, its inputs acked.', labels: INPUT },
  egret_failed_tuples_total: { type: 'counter', help: 'Tuples failed: by a spout, its trees failed or timed out (by stream); by a bolt, its inputs failed.', labels: INPUT },
  egret_complete_latency_seconds: { type: 'gauge', help: 'Mean time from a spout emit to its tree completing, over the last interval.', labels: [...INSTANCE, 'stream'] },
  egret_execute_latency_seconds: { type: 'gauge', help: 'Mean time a bolt spent in execute, over the last interval.', labels: INPUT },
  egret_process_latency_seconds: { type: 'gauge', help: 'Mean time from a bolt receiving a tuple to acking it, over the last interval.', labels: INPUT },
  egret_instance_queue_depth: { type: 'gauge', help: 'Tuples waiting in an instance, between its I/O and user-code threads.', labels: [...INSTANCE, 'queue'] },
  egret_instance_restarts_total: { type: 'counter', help: 'Times the executor restarted this instance process.', labels: INSTANCE },
  egret_exceptions_total: { type: 'counter', help: 'Exceptions thrown by user code.', labels: INSTANCE },
  egret_stmgr_connection_tuples_total: { type: 'counter', help: 'Tuples through a stream manager connection (an instance or a peer stream manager).', labels: [...STMGR, 'direction', 'connection'] },
  egret_stmgr_connection_bytes_total: { type: 'counter', help: 'Bytes through a stream manager connection.', labels: [...STMGR, 'direction', 'connection'] },
  egret_stmgr_connection_queued_bytes: { type: 'gauge', help: 'Bytes queued for writing on a stream manager connection.', labels: [...STMGR, 'connection'] },
  egret_stmgr_dropped_tuples_total: { type: 'counter', help: 'Tuples a stream manager dropped, by reason.', labels: [...STMGR, 'reason'] },
  egret_stmgr_back_pressure_seconds_total: { type: 'counter', help: 'Time a stream manager spent in back pressure because of one connection (the cause).', labels: [...STMGR, 'cause'] },
  egret_stmgr_back_pressure_initiated_seconds_total: { type: 'counter', help: 'Time a stream manager spent announcing back pressure, whatever the cause.', labels: STMGR },
  egret_stmgr_back_pressure: { type: 'gauge', help: '1 while this stream manager announces back pressure, else 0.', labels: STMGR },
  egret_stmgr_back_pressure_cause_since_seconds: {
    type: 'gauge',
    help: 'Unix time since which a connection (the cause: an instance or a peer stream manager) has been a cause of back pressure at this stream manager; present only while it is.',
    labels: [...STMGR, 'cause'],
  },
  egret_stmgr_back_pressure_peer_since_seconds: { type: 'gauge', help: 'Unix time since which a peer stream manager has announced back pressure; present only while it does.', labels: [...STMGR, 'peer'] },
  egret_stmgr_back_pressure_by_peers_seconds_total: { type: 'counter', help: 'Time during which at least one peer stream manager announced back pressure, pausing the spouts here.', labels: STMGR },
  egret_stmgr_spouts_paused: { type: 'gauge', help: '1 while this stream manager does not read its local spouts (it or a peer announces back pressure), else 0.', labels: STMGR },
  egret_stmgr_restarts_total: { type: 'counter', help: 'Times the executor restarted this stream manager process.', labels: STMGR },
};

/** One value for one exported metric. */
export interface PrometheusSample {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** For a counter, the increase; for a gauge, the value. */
  readonly value: number;
}

/** The labels naming a publisher: an instance's component, id and task, or a stream manager's id. */
export function publisherLabels(topology: string, publisher: PublisherInfo): Record<string, string> {
  if (publisher.component === STMGR_COMPONENT) return { topology, stmgr: publisher.instanceId };
  const task = taskIdOfInstance(publisher.instanceId);
  return { topology, component: publisher.component, instance: publisher.instanceId, task: task === undefined ? '' : String(task) };
}

/**
 * The Prometheus sample a published metric becomes, or undefined for a name not exported (unknown names, latency
 * sample counts). `value` is as published: an increase for counters (milliseconds for times), milliseconds for
 * latencies; seconds come out.
 */
export function prometheusSampleOf(publisher: PublisherInfo, labels: Readonly<Record<string, string>>, name: string, value: number): PrometheusSample | undefined {
  const metric = parseMetricName(name);
  return publisher.component === STMGR_COMPONENT ? stmgrSample(metric, labels, value) : instanceSample(metric, labels, value);
}

function instanceSample(metric: MetricName, labels: Readonly<Record<string, string>>, value: number): PrometheusSample | undefined {
  const sample = (name: string, extra: Record<string, string>, v = value) => ({ metric: name, labels: { ...labels, ...extra }, value: v });
  switch (metric.base) {
    case '__emit-count':
      return sample('egret_emitted_tuples_total', { stream: metric.parts.join('/') || 'default' });
    case '__execute-count':
      return sample('egret_executed_tuples_total', input(metric));
    case '__ack-count':
      return sample('egret_acked_tuples_total', input(metric));
    case '__fail-count':
      return sample('egret_failed_tuples_total', input(metric));
    case '__complete-latency':
      return sample('egret_complete_latency_seconds', { stream: metric.parts.join('/') || 'default' }, value / 1000);
    case '__execute-latency':
      return sample('egret_execute_latency_seconds', input(metric), value / 1000);
    case '__process-latency':
      return sample('egret_process_latency_seconds', input(metric), value / 1000);
    case '__in-queue-depth':
      return sample('egret_instance_queue_depth', { queue: 'in' });
    case '__out-queue-depth':
      return sample('egret_instance_queue_depth', { queue: 'out' });
    case '__restarts':
      return sample('egret_instance_restarts_total', {});
    default:
      return undefined;
  }
}

function stmgrSample(metric: MetricName, labels: Readonly<Record<string, string>>, value: number): PrometheusSample | undefined {
  const sample = (name: string, extra: Record<string, string>, v = value) => ({ metric: name, labels: { ...labels, ...extra }, value: v });
  const id = metric.parts.join('/');
  switch (metric.base) {
    case '__connection-tuples-in':
    case '__connection-tuples-out':
      return sample('egret_stmgr_connection_tuples_total', { direction: metric.base.endsWith('-in') ? 'in' : 'out', connection: id });
    case '__connection-bytes-in':
    case '__connection-bytes-out':
      return sample('egret_stmgr_connection_bytes_total', { direction: metric.base.endsWith('-in') ? 'in' : 'out', connection: id });
    case '__connection-queued-bytes':
      return sample('egret_stmgr_connection_queued_bytes', { connection: id });
    case '__tuples-dropped':
      return sample('egret_stmgr_dropped_tuples_total', { reason: id });
    // A cause is a local instance (by its id) or a peer stream manager (by its id): one metric, as the README says.
    case '__time_spent_back_pressure_by_compid':
    case '__time_spent_back_pressure_by_stmgr':
      return sample('egret_stmgr_back_pressure_seconds_total', { cause: id }, value / 1000);
    case '__time_spent_back_pressure_initiated':
      return sample('egret_stmgr_back_pressure_initiated_seconds_total', {}, value / 1000);
    case '__back-pressure':
      return sample('egret_stmgr_back_pressure', {});
    // Since when: ms since the epoch, published only while it holds (metric-names.ts' transient gauges).
    case '__back-pressure-since':
      return sample('egret_stmgr_back_pressure_cause_since_seconds', { cause: id }, value / 1000);
    case '__back-pressure-peer-since':
      return sample('egret_stmgr_back_pressure_peer_since_seconds', { peer: id }, value / 1000);
    case '__time_spent_back_pressure_by_others':
      return sample('egret_stmgr_back_pressure_by_peers_seconds_total', {}, value / 1000);
    case '__spouts-paused':
      return sample('egret_stmgr_spouts_paused', {});
    case '__restarts':
      return sample('egret_stmgr_restarts_total', {});
    default:
      return undefined;
  }
}

/** A spout's `<stream>` or a bolt's `<source component>/<stream>`. */
function input(metric: MetricName): Record<string, string> {
  if (metric.parts.length >= 2) return { source_component: metric.parts[0] as string, stream: metric.parts.slice(1).join('/') };
  return { stream: metric.parts[0] ?? 'default' };
}
