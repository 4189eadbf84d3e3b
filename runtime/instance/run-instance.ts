import { readTopologyConfig } from '../../api/topology-config.js';
import { readRuntimeConfig } from '../../core/config/runtime-config.js';
import { messageOf } from '../../core/errors.js';
import { configureLogging, createLogger, type LogLevel } from '../../core/logging.js';
import { readTopologyPackage } from '../../core/package/index.js';
import { InstanceGateway } from './gateway/instance-gateway.js';
import { socketPathOf } from './gateway/stmgr-endpoint.js';
import { restartCount } from '../metrics/restart-count.js';
import { parseInstanceArgs } from './instance-args.js';
import { InstanceError } from './instance-error.js';
import { onExecutorGone } from '../common/executor-channel.js';
import { metricsManagerEndpoint } from '../common/local-endpoint.js';

/** Outgoing buffers of the task thread, and incoming batches it may hold: enough to keep the socket busy. */
const OUTBOUND_BUFFERS = 8;
const INBOUND_BUFFERS = 4;
const INBOUND_BUFFER_BYTES = 512 * 1024;
/** Heron's heron.instance.force.exit.timeout.ms. */
const STOP_TIMEOUT_MS = 2000;
/** The stream manager starts beside its instances: keep trying to reach it (and to get its answer) this long. */
const CONNECT_TIMEOUT_MS = 30_000;
const CONNECT_RETRY_MS = 100;
/** A failing instance waits this long for the metrics manager (which it retries every second) to publish why. */
const FAILURE_PUBLISH_WAIT_MS = 1100;

/**
 * `egret-instance`: runs one spout or bolt task of the package in `--package-dir` (runtime/README.md). Resolves with
 * the exit code: 0 after a clean stop (SIGTERM, SIGINT, or the executor's IPC channel closing), 1 when the instance
 * cannot start or fails (its supervisor then restarts it).
 */
export async function runInstance(argv: readonly string[]): Promise<number> {
  configureLogging({ level: (process.env['EGRET_LOG_LEVEL'] as LogLevel | undefined) ?? 'info', format: 'json' });
  process.setSourceMapsEnabled(true);
  let gateway: InstanceGateway;
  try {
    gateway = await createGateway(argv);
  } catch (error) {
    createLogger('instance').error(`cannot start: ${messageOf(error)}`);
    return 1;
  }
  const stop = (reason: string) => () => void gateway.stop(reason);
  process.once('SIGTERM', stop('SIGTERM'));
  process.once('SIGINT', stop('SIGINT'));
  // Never outlive the executor: its channel closes when it dies, even by SIGKILL.
  onExecutorGone(stop('the executor went away (IPC channel closed)'));
  process.channel?.unref();
  return gateway.run();
}

async function createGateway(argv: readonly string[]): Promise<InstanceGateway> {
  const args = parseInstanceArgs(argv);
  const pkg = await readTopologyPackage(args.packageDir);
  const { reliabilityMode } = readTopologyConfig(pkg.config);
  if (reliabilityMode === 'EFFECTIVELY_ONCE') {
    throw new InstanceError('topology.reliability.mode EFFECTIVELY_ONCE is not supported yet: this Egret runs ATMOST_ONCE and ATLEAST_ONCE topologies', {
      code: 'INSTANCE_UNSUPPORTED_MODE',
    });
  }
  const runtime = readRuntimeConfig(pkg.config);
  const { manifest } = pkg;
  return new InstanceGateway({
    identity: {
      topologyName: manifest.topologyName,
      topologyId: manifest.topologyId,
      container: args.container,
      taskId: args.taskId,
      component: args.component ?? '',
      componentIndex: args.componentIndex ?? -1,
    },
    stmgrEndpoint: args.stmgrEndpoint,
    task: {
      packageDir: pkg.dir,
      moduleFile: pkg.modulePath,
      moduleArgs: manifest.topologyArgs ?? [],
      config: pkg.config,
      taskId: args.taskId,
      emitBatchBytes: runtime['egret.instance.emit.batch.bytes'],
      emitBatchMs: runtime['egret.instance.emit.batch.ms'],
      maxFrameBytes: runtime['egret.stmgr.max.frame.bytes'],
      outboundBuffers: OUTBOUND_BUFFERS,
      metricsIntervalMs: runtime['egret.metrics.interval.ms'],
      stmgrPath: socketPathOf(args.stmgrEndpoint),
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      connectRetryMs: CONNECT_RETRY_MS,
      inboundBufferBytes: INBOUND_BUFFER_BYTES,
      inboundBuffers: INBOUND_BUFFERS,
    },
    metricsEndpoint: metricsManagerEndpoint(manifest.topologyId, args.container),
    restarts: restartCount(process.env),
    failurePublishWaitMs: FAILURE_PUBLISH_WAIT_MS,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });
}
