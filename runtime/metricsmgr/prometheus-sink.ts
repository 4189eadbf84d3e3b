import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import type { MetricsFlush, MetricsSink } from './metrics-sink.js';
import type { MetricsUpdate } from './metrics-store.js';
import { PROMETHEUS_DEFINITIONS, type PrometheusSample, prometheusSampleOf, publisherLabels } from './prometheus-names.js';

/** Where the endpoint listens, and for which topology. */
export interface PrometheusSinkOptions {
  readonly host: string;
  /** 0: the OS chooses. */
  readonly port: number;
  readonly topology: string;
  readonly logger: Logger;
}

/**
 * The Prometheus sink: an HTTP endpoint (`GET /metrics`, the text exposition format) over a registry of its own,
 * updated as publish messages arrive, so a scrape sees the newest values without waiting for an interval. Counters
 * only ever go up: each published increase is added, and a restart count advances to the largest value seen. Gauges
 * show the latest value; a transient gauge's series (runtime/metrics/metric-names.ts) is removed once it has ended.
 */
export class PrometheusSink implements MetricsSink {
  readonly name = 'prometheus';
  private readonly registry = new Registry();
  private readonly metrics = new Map<string, Counter | Gauge>();
  private readonly restarts = new Map<string, number>();

  private constructor(
    private readonly options: PrometheusSinkOptions,
    private readonly server: Server,
  ) {}

  /** Starts the endpoint. Throws when it cannot listen (the port is taken, the host is not local). */
  static async start(options: PrometheusSinkOptions): Promise<PrometheusSink> {
    let sink: PrometheusSink | undefined;
    const server = createServer((request, response) => {
      request.resume();
      const path = new URL(request.url ?? '/', 'http://metricsmgr').pathname;
      if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('the metrics are at GET /metrics\n');
        return;
      }
      sink!.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': sink!.registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${messageOf(error)}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    sink = new PrometheusSink(options, server);
    return sink;
  }

  /** The bound address. */
  get address(): { readonly host: string; readonly port: number; readonly url: string } {
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : this.options.port;
    const host = this.options.host;
    return { host, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics` };
  }

  record(update: MetricsUpdate): void {
    const labels = publisherLabels(this.options.topology, update.publisher);
    const samples: PrometheusSample[] = [];
    const add = (name: string, value: number) => {
      const sample = prometheusSampleOf(update.publisher, labels, name, value);
      if (sample) samples.push(sample);
    };
    for (const [name, increase] of update.counters) add(name, increase);
    for (const [name, latency] of update.latencies) add(name, latency.meanMs);
    for (const [name, value] of update.gauges) add(name, value);
    if (update.restarts !== undefined) {
      const before = this.restarts.get(update.publisher.instanceId) ?? 0;
      if (update.restarts > before) {
        this.restarts.set(update.publisher.instanceId, update.restarts);
        add('__restarts', update.restarts - before);
      }
    }
    for (const sample of samples) this.apply(sample);
    for (const name of update.ended) this.remove(prometheusSampleOf(update.publisher, labels, name, 0));
    const exceptions = update.exceptions.reduce((sum, e) => sum + Math.max(0, e.count), 0);
    if (exceptions > 0 && 'component' in labels) this.apply({ metric: 'egret_exceptions_total', labels, value: exceptions });
  }

  flush(_flush: MetricsFlush): Promise<void> {
    // Scrapes read the registry; nothing waits for an interval.
    return Promise.resolve();
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private apply(sample: PrometheusSample): void {
    const metric = this.metricOf(sample.metric);
    if (metric instanceof Counter) {
      // An increase of 0 still creates the series: rate() over it works from the first scrape.
      metric.inc(sample.labels, Math.max(0, sample.value));
    } else {
      metric.set(sample.labels, sample.value);
    }
  }

  /** Drops a series whose state ended, so that a scrape no longer shows it (rather than its last value). */
  private remove(sample: PrometheusSample | undefined): void {
    if (sample) this.metrics.get(sample.metric)?.remove(sample.labels);
  }

  private metricOf(name: string): Counter | Gauge {
    let metric = this.metrics.get(name);
    if (!metric) {
      const definition = PROMETHEUS_DEFINITIONS[name];
      if (!definition) throw new Error(`no Prometheus definition for ${name}`);
      const configuration = { name, help: definition.help, labelNames: [...definition.labels], registers: [this.registry] };
      metric = definition.type === 'counter' ? new Counter(configuration) : new Gauge(configuration);
      this.metrics.set(name, metric);
    }
    return metric;
  }
}
