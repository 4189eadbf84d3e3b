import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigValue } from '../../api/config-value.js';
import { createLogger } from '../../core/logging.js';
import { metricsManagerEndpoint } from '../../runtime/common/local-endpoint.js';
import { MetricsPublisher, type MetricsPublisherIdentity, type PublishedException } from '../../runtime/metrics/metrics-publisher.js';
import type { MetricsManagerInfo } from '../../runtime/metricsmgr/metricsmgr-process.js';
import { RuntimeProcess, waitUntil } from '../helpers/runtime-processes.js';
import { wordCountPackingPlan, wordCountTopology } from '../helpers/runtime-plans.js';
import { type RuntimeTestPackage, writeRuntimeTestPackage } from '../helpers/runtime-test-package.js';
import { tempDir } from '../helpers/temp-dir.js';
import { parsePrometheusText, type PrometheusScrape } from './prometheus-text.js';

/** Starting Node with its modules (and a state manager) on a busy 2-core machine. */
export const PROCESS_START_MS = 20_000;
/** Anything a running metrics manager does: several intervals of the short ones the tests configure. */
export const PROMPTLY_MS = 10_000;

const SCRIPT = fileURLToPath(new URL('../../bin/egret-metricsmgr.js', import.meta.url));

/** A metrics manager process of one container, with its working directory and the endpoint it listens on. */
export interface MetricsManagerSetup {
  readonly pkg: RuntimeTestPackage;
  readonly container: number;
  readonly workingDir: string;
  readonly process: RuntimeProcess;
  readonly endpoint: string;
  /** `metricsmgr.json`, once written (the process is serving then). */
  readonly info: MetricsManagerInfo;
  /** A real publisher (runtime/metrics), connected and registered. */
  publisher(identity: MetricsPublisherIdentity): Promise<TestPublisher>;
  /** Scrapes the Prometheus endpoint and parses the text. */
  scrape(): Promise<PrometheusScrape>;
  /** The JSON lines of the file sink so far (whole lines only). */
  fileLines(path?: string): Array<Record<string, unknown>>;
}

/** A {@link MetricsPublisher} and a shorthand to publish numbers. */
export interface TestPublisher {
  readonly client: MetricsPublisher;
  publish(metrics: Readonly<Record<string, number>>, exceptions?: readonly PublishedException[]): void;
}

/** Starts metrics manager processes and real publishers, and ends them all in {@link cleanUp}. */
export class MetricsManagerHarness {
  private readonly processes = new Set<RuntimeProcess>();
  private readonly publishers: MetricsPublisher[] = [];

  constructor() {
    process.once('exit', () => {
      for (const p of this.processes) p.child.kill('SIGKILL');
    });
  }

  /** Writes a word-count package (runtime/README.md layout) with `config` added, and its state tree. */
  writePackage(config: Readonly<Record<string, ConfigValue>> = {}): Promise<RuntimeTestPackage> {
    return writeRuntimeTestPackage({ topology: wordCountTopology('wc'), packingPlan: wordCountPackingPlan(), config });
  }

  /** Starts `egret-metricsmgr` as an executor would (with an IPC channel) and waits until it serves. */
  async start(pkg: RuntimeTestPackage, container = 1, workingDir = tempDir()): Promise<MetricsManagerSetup> {
    const child = spawn(process.execPath, ['--enable-source-maps', SCRIPT, '--package-dir', pkg.dir, '--container', String(container), '--working-dir', workingDir], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, EGRET_LOG_LEVEL: 'debug' },
    });
    const started = this.track(new RuntimeProcess(`egret-metricsmgr ${container}`, child));
    await started.waitForLog('the metrics manager serving', (l) => l.message === 'metrics manager serving', PROCESS_START_MS);
    const infoPath = join(workingDir, 'metricsmgr.json');
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as MetricsManagerInfo;
    const endpoint = metricsManagerEndpoint(pkg.topologyId, container);
    return {
      pkg,
      container,
      workingDir,
      process: started,
      endpoint,
      info,
      publisher: (identity) => this.publisher(endpoint, identity),
      scrape: async () => {
        if (!info.prometheus) throw new Error('the prometheus sink is off');
        const response = await fetch(info.prometheus.url);
        if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
        return parsePrometheusText(await response.text());
      },
      fileLines: (path = 'metrics.jsonl') => readJsonLines(join(workingDir, path)),
    };
  }

  /** Starts a process and returns it without waiting (for the tests of bad starts). */
  spawnRaw(args: readonly string[]): RuntimeProcess {
    const child = spawn(process.execPath, ['--enable-source-maps', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, EGRET_LOG_LEVEL: 'debug' } });
    return this.track(new RuntimeProcess(`egret-metricsmgr ${args.join(' ')}`, child));
  }

  /** A publisher connected to `endpoint`, once registered. */
  async publisher(endpoint: string, identity: MetricsPublisherIdentity): Promise<TestPublisher> {
    const client = new MetricsPublisher(endpoint, identity, createLogger('test-publisher'));
    this.publishers.push(client);
    await waitUntil(`publisher ${identity.instanceId} to connect`, () => client.connected, PROMPTLY_MS);
    return { client, publish: (metrics, exceptions = []) => client.publish(new Map(Object.entries(metrics)), exceptions) };
  }

  /** Closes every publisher and kills every process still running (an `afterEach` hook). */
  async cleanUp(): Promise<void> {
    for (const publisher of this.publishers.splice(0)) publisher.close();
    await Promise.all([...this.processes].map((p) => p.kill('SIGKILL')));
  }

  private track(started: RuntimeProcess): RuntimeProcess {
    this.processes.add(started);
    void started.exit().then(() => this.processes.delete(started));
    return started;
  }
}

/** The whole lines of a JSON-lines file, parsed; [] before it exists. */
export function readJsonLines(path: string): Array<Record<string, unknown>> {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return whole
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
