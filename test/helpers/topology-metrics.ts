import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsManagerInfo } from '../../runtime/metricsmgr/metricsmgr-process.js';
import type { TopologyMetricsView } from '../../runtime/tmanager/metrics-view.js';
import { parsePrometheusText, type PrometheusScrape } from '../metricsmgr/prometheus-text.js';
import type { TopologyHarness } from './topology-harness.js';

/** Every request here gives up after this long: a wait on a condition that never settles would never time out. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The metrics cache of the topology manager a harness runs, from its controller's `GET /metrics` (over the last
 * `intervalSeconds` when given). Throws when it has no location yet or does not answer 200.
 */
export async function tmanagerMetrics(harness: TopologyHarness, intervalSeconds?: number): Promise<TopologyMetricsView> {
  const location = await harness.topology.state.get('tmanagers', harness.topologyName);
  const query = intervalSeconds === undefined ? '' : `?interval=${intervalSeconds}`;
  const response = await fetch(`http://${location.host}:${location.controllerPort}/metrics${query}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${body}`);
  return JSON.parse(body) as TopologyMetricsView;
}

/** `<working-dir>/metricsmgr.json` of `container`: its metrics manager writes it once serving. */
export function metricsManagerInfoPath(harness: TopologyHarness, container: number): string {
  return join(harness.workingDir(container), 'metricsmgr.json');
}

/** What the metrics manager of `container` wrote in `<working-dir>/metricsmgr.json`; throws before it did. */
export function metricsManagerInfo(harness: TopologyHarness, container: number): MetricsManagerInfo {
  const path = metricsManagerInfoPath(harness, container);
  if (!existsSync(path)) throw new Error(`the metrics manager of container ${container} has not written ${path} yet`);
  return JSON.parse(readFileSync(path, 'utf8')) as MetricsManagerInfo;
}

/** Scrapes the Prometheus endpoint of `container`'s metrics manager over HTTP and parses the exposition. */
export async function scrapePrometheus(harness: TopologyHarness, container: number): Promise<PrometheusScrape> {
  const { prometheus } = metricsManagerInfo(harness, container);
  if (prometheus === null) throw new Error(`the metrics manager of container ${container} has no Prometheus sink`);
  const response = await fetch(prometheus.url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${prometheus.url} answered ${response.status}: ${body}`);
  return parsePrometheusText(body);
}

/** The sum of the samples named `name` whose labels include `labels` (0 when there are none). */
export function sumOfSamples(scrape: PrometheusScrape, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return scrape.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}

/** The resident set of process `pid` in bytes, from /proc/<pid>/status (Linux). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`/proc/${pid}/status has no VmRSS line`);
  return Number(match[1]) * 1024;
}
