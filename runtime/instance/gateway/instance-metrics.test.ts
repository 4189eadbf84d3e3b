import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../../core/logging.js';
import { FakeMetricsManager } from '../../../test/helpers/fake-metrics-manager.js';
import { waitFor } from '../../../test/helpers/wait-for.js';
import { metricsManagerEndpoint } from '../../common/local-endpoint.js';
import { InstanceMetrics } from './instance-metrics.js';

describe('InstanceMetrics', () => {
  it('keeps what the task counted before the metrics manager was up, and publishes it once it is', async () => {
    const topologyId = `t-${randomUUID()}`;
    const metrics = new InstanceMetrics(metricsManagerEndpoint(topologyId, 1), 0);
    after(() => metrics.close());
    metrics.start({ component: 'count', instanceId: 'container_1_count_3', instanceIndex: 0 }, createLogger('test'));
    // Nobody listens yet (the metrics manager starts alongside the instances): these reports cannot go anywhere.
    metrics.publish([['__execute-count/split/default', 40], ['__execute-latency/split/default', 1], ['__execute-latency-count/split/default', 4]], []);
    metrics.publish([['__execute-count/split/default', 41]], []);
    const manager = await FakeMetricsManager.start(topologyId);
    after(() => manager.close());
    // The publisher tries again every second; each report meanwhile is kept too.
    await waitFor('a publish to reach the metrics manager', () => {
      metrics.publish([['__execute-count/split/default', 1], ['__execute-latency/split/default', 3], ['__execute-latency-count/split/default', 4]], [], { inQueue: 2, outQueue: 5 });
      return manager.published.length > 0;
    }, 10_000, 100);
    const [first] = manager.published;
    const sent = Number(first?.metrics.get('__execute-latency-count/split/default'));
    // The reports made once it listened: one execute and four latency samples each.
    const later = (sent - 4) / 4;
    assert.ok(later >= 1);
    assert.equal(first?.metrics.get('__execute-count/split/default'), 81 + later, 'every execute counted so far');
    assert.equal(first?.metrics.get('__execute-latency/split/default'), (1 * 4 + 3 * 4 * later) / sent, 'latencies weighted by their samples');
    // The task thread's gauges as of its latest report; a failure, which comes without a report, publishes the same.
    assert.deepEqual([first?.metrics.get('__in-queue-depth'), first?.metrics.get('__out-queue-depth')], [2, 5]);
    const published = manager.published.length;
    await metrics.publishFailure({ stacktrace: 'boom', logging: 'boom', firstTime: '', lastTime: '', count: 1 }, 1000);
    await waitFor('the failure to reach the metrics manager', () => manager.published.length > published, 5000, 20);
    assert.deepEqual([manager.published.at(-1)?.metrics.get('__in-queue-depth'), manager.published.at(-1)?.metrics.get('__out-queue-depth')], [2, 5]);
  });
});
