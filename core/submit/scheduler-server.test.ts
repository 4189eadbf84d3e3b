import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import axios from 'axios';
import { packingPlanOf } from '../../test/helpers/runtime-plans.js';
import { createLogger } from '../logging.js';
import { ProtoSchedulerResponse } from '../proto/index.js';
import { type KillRequest, type RestartRequest, type Scheduler, SchedulerError, type UpdateRequest } from '../spi/scheduler.js';
import { HttpSchedulerClient } from './scheduler-client-http.js';
import { SchedulerServer } from './scheduler-server.js';

/** A scheduler that records its calls, failing restart of container 9. */
class RecordingScheduler implements Scheduler {
  readonly calls: Array<KillRequest | RestartRequest | UpdateRequest> = [];
  onSchedule = async () => {};
  jobLinks = () => [];
  close = async () => {};
  async onKill(request: KillRequest) {
    this.calls.push(request);
  }
  async onRestart(request: RestartRequest) {
    if (request.containerId === 9) throw new SchedulerError('there is no container 9', { code: 'SCHEDULER_UNKNOWN_CONTAINER' });
    this.calls.push(request);
  }
  async onUpdate(request: UpdateRequest) {
    this.calls.push(request);
  }
}

async function started(): Promise<{ server: SchedulerServer; scheduler: RecordingScheduler; client: HttpSchedulerClient; killed: Promise<void> }> {
  const scheduler = new RecordingScheduler();
  let onKilled: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (onKilled = resolve));
  const server = await SchedulerServer.start({ scheduler, topologyName: 't', logger: createLogger('test'), onKilled });
  after(() => server.close());
  return { server, scheduler, killed, client: new HttpSchedulerClient(server.endpoint, 't') };
}

describe('SchedulerServer', () => {
  it('listens on 127.0.0.1 and hands kill, restart and update to the scheduler', async () => {
    const { server, scheduler, client, killed } = await started();
    assert.match(server.endpoint, /^127\.0\.0\.1:\d+$/);
    const current = packingPlanOf('t-1', { 1: [['a', 1, 0]] });
    const proposed = packingPlanOf('t-1', { 1: [['a', 1, 0]], 2: [['a', 2, 1]] });
    await client.restart({ topologyName: 't' });
    await client.restart({ topologyName: 't', containerId: 0 });
    await client.update({ topologyName: 't', current, proposed });
    await client.kill({ topologyName: 't' });
    await killed;
    assert.deepEqual(scheduler.calls, [{ topologyName: 't' }, { topologyName: 't', containerId: 0 }, { topologyName: 't', current, proposed }, { topologyName: 't' }]);
    // After the kill: another kill is fine, anything else is refused.
    await client.kill({ topologyName: 't' });
    await assert.rejects(client.restart({ topologyName: 't' }), { code: 'SCHEDULER_RESTART_FAILED', message: /is killed/ });
  });

  it('answers a scheduler error NOTOK with HTTP 500, keeping its code', async () => {
    const { server, client } = await started();
    await assert.rejects(client.restart({ topologyName: 't', containerId: 9 }), { code: 'SCHEDULER_UNKNOWN_CONTAINER', message: /there is no container 9/ });
    const raw = await axios.post(`http://${server.endpoint}/restart`, Buffer.alloc(0), { validateStatus: () => true, responseType: 'arraybuffer' });
    assert.equal(raw.status, 400, 'an empty body is not a RestartTopologyRequest');
    assert.match(ProtoSchedulerResponse.decode(new Uint8Array(raw.data as ArrayBuffer)).status.message ?? '', /malformed restart request/);
  });

  it('refuses a request for another topology, an unknown path and a GET', async () => {
    const { server } = await started();
    await assert.rejects(new HttpSchedulerClient(server.endpoint, 'other').kill({ topologyName: 'other' }), { code: 'SCHEDULER_KILL_FAILED', message: /runs topology 't', not 'other'/ });
    const get = await axios.get(`http://${server.endpoint}/kill`, { validateStatus: () => true });
    assert.equal(get.status, 405);
    const unknown = await axios.post(`http://${server.endpoint}/activate`, '', { validateStatus: () => true });
    assert.equal(unknown.status, 404);
  });
});
