import { z } from 'zod';
import { KiB, MiB } from '../../api/byte-amount.js';
import { byteAmountSchema } from './config-schema.js';

const positiveMs = (fallback: number) => z.number({ error: 'expected a number of milliseconds > 0' }).positive({ error: 'expected a number of milliseconds > 0' }).default(fallback);

/**
 * The tuning keys of the runtime processes (stream manager, topology manager, instances, executor), owned by
 * core and validated like plugin keys (runtime/README.md lists them). Processes read them from the package's
 * config with {@link readRuntimeConfig}.
 */
export const runtimeConfigSchema = z.object({
  'egret.stmgr.max.frame.bytes': byteAmountSchema.default(10 * MiB),
  'egret.stmgr.batch.max.bytes': byteAmountSchema.default(256 * KiB),
  /** The least time between two drains of the stream manager's open batches; 0: every turn (native/PROTOCOL.md §5). */
  'egret.stmgr.drain.interval.ms': z.number({ error: 'expected a number of milliseconds >= 0' }).min(0, { error: 'expected a number of milliseconds >= 0' }).default(0.5),
  'egret.stmgr.heartbeat.interval.ms': positiveMs(5000),
  'egret.stmgr.reconnect.interval.ms': positiveMs(1000),
  'egret.tmanager.stmgr.timeout.ms': positiveMs(30_000),
  'egret.instance.emit.batch.bytes': byteAmountSchema.default(64 * KiB),
  'egret.instance.emit.batch.ms': positiveMs(2),
  'egret.executor.restart.backoff.min.ms': positiveMs(100),
  'egret.executor.restart.backoff.max.ms': positiveMs(10_000),
  'egret.stmgr.backpressure.high.bytes': byteAmountSchema.default(16 * MiB),
  'egret.stmgr.backpressure.low.bytes': byteAmountSchema.default(8 * MiB),
  'egret.metrics.interval.ms': positiveMs(5000),
  'egret.metricsmgr.sinks': z
    .array(z.enum(['tmanager', 'file', 'prometheus'], { error: "expected 'tmanager', 'file' or 'prometheus'" }), { error: 'expected a list of sinks' })
    .default(['tmanager', 'file', 'prometheus']),
  /** The JSON-lines file sink: relative paths are relative to the container's working directory. */
  'egret.metricsmgr.file.path': z.string({ error: 'expected a file path' }).min(1).default('metrics.jsonl'),
  'egret.metricsmgr.prometheus.host': z.string({ error: 'expected a host name or address' }).min(1).default('127.0.0.1'),
  /** 0: the OS chooses; the port is logged and written to `<working-dir>/metricsmgr.json`. */
  'egret.metricsmgr.prometheus.port': z.number({ error: 'expected a port number' }).int().min(0).max(65535).default(0),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

/** The runtime keys Egret's core owns. */
export const RUNTIME_CONFIG_KEYS: readonly string[] = Object.keys(runtimeConfigSchema.shape);

/**
 * Reads the runtime keys of a config map, applying defaults. Throws an Error naming every bad key and what it
 * expects (a runtime process cannot do anything useful with a bad value, and says so before starting).
 */
export function readRuntimeConfig(config: Readonly<Record<string, unknown>>): RuntimeConfig {
  const input = Object.fromEntries(RUNTIME_CONFIG_KEYS.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
  const result = runtimeConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}, got ${JSON.stringify(config[String(issue.path[0])])}`);
    throw new Error(`invalid runtime config: ${problems.join('; ')}`);
  }
  return result.data;
}
