import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { ContainerModule } from 'inversify';
import { fakePlugin } from '../../test/helpers/fake-plugin.js';
import { MemoryStateManager } from '../../test/helpers/memory-state-manager.js';
import { Config, layerOf } from '../config/config.js';
import { createLogger } from '../logging.js';
import { PluginRegistry } from '../plugins/plugin-registry.js';
import { ProtoExecutionState, ProtoSchedulerLocation } from '../proto/index.js';
import { LIBRARY_MODE_ENDPOINT, Scheduler, SchedulerError } from '../spi/scheduler.js';
import type { TopologyRuntime } from '../spi/topology-runtime.js';
import { schedulerClientFor, type SchedulerClientContext } from './scheduler-client-factory.js';
import { SchedulerServer } from './scheduler-server.js';

/** What the in-process (library-mode) scheduler was asked, across the containers the clients create. */
const libraryCalls: string[] = [];

const recordingPlugin = fakePlugin({
  family: 'scheduler',
  name: 'recording',
  module: new ContainerModule((options) => {
    options.bind(Scheduler).toConstantValue({
      onSchedule: async () => {},
      jobLinks: () => [],
      onKill: async (request) => void libraryCalls.push(`kill ${request.topologyName}`),
      onRestart: async (request) => void libraryCalls.push(`restart ${request.containerId ?? 'all'}`),
      onUpdate: async () => void libraryCalls.push('update'),
      close: async () => void libraryCalls.push('close'),
    } satisfies Scheduler);
  }),
});

const runtime: TopologyRuntime = { topologyName: 't', topologyId: 't-1', cluster: 'local', role: 'r', environment: 'default', submitUser: 'r' };

function context(state: MemoryStateManager, extra: Partial<SchedulerClientContext> = {}): SchedulerClientContext {
  const registry = new PluginRegistry();
  registry.register(recordingPlugin);
  return { state, topologyName: 't', config: new Config([layerOf({ kind: 'command-line' }, { 'egret.scheduler': 'recording' })]), registry, runtime, ...extra };
}

async function withLocation(endpoint: string): Promise<MemoryStateManager> {
  const state = new MemoryStateManager();
  await state.set('schedulers', 't', ProtoSchedulerLocation.create({ topologyName: 't', httpEndpoint: endpoint }));
  return state;
}

async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

describe('schedulerClientFor', () => {
  it('creates the scheduler in-process for a library-mode location, once per call, and closes it', async () => {
    libraryCalls.length = 0;
    const client = await schedulerClientFor(context(await withLocation(LIBRARY_MODE_ENDPOINT)));
    assert.equal(client.mode, 'library');
    await client.restart({ topologyName: 't', containerId: 2 });
    await client.kill({ topologyName: 't' });
    assert.deepEqual(libraryCalls, ['restart 2', 'close', 'kill t', 'close']);
  });

  it('goes by the execution state when there is no location', async () => {
    const state = new MemoryStateManager();
    await state.set('executionstate', 't', ProtoExecutionState.create({ topologyName: 't', topologyId: 't-1', cluster: 'local', environ: 'default', role: 'r', schedulerMode: 'library' }));
    assert.equal((await schedulerClientFor(context(state))).mode, 'library');
  });

  it('talks HTTP to a service-mode scheduler, and never falls back when it answers, even NOTOK', async () => {
    libraryCalls.length = 0;
    const served: string[] = [];
    const scheduler: Scheduler = {
      onSchedule: async () => {},
      jobLinks: () => [],
      onKill: async () => {
        throw new SchedulerError('executor-1 (pid 12) survived SIGKILL', { code: 'SCHEDULER_KILL_FAILED' });
      },
      onRestart: async () => void served.push('restart'),
      onUpdate: async () => {},
      close: async () => {},
    };
    const server = await SchedulerServer.start({ scheduler, topologyName: 't', logger: createLogger('test'), onKilled: () => undefined });
    after(() => server.close());
    const client = await schedulerClientFor(context(await withLocation(server.endpoint), { fallbackToLibrary: true }));
    assert.equal(client.mode, 'service');
    await client.restart({ topologyName: 't' });
    assert.deepEqual(served, ['restart']);
    await assert.rejects(client.kill({ topologyName: 't' }), { code: 'SCHEDULER_KILL_FAILED', message: /survived SIGKILL/ });
    assert.deepEqual(libraryCalls, []);
  });

  it('kills in-process when the scheduler process cannot be reached, with fallbackToLibrary', async () => {
    libraryCalls.length = 0;
    const client = await schedulerClientFor(context(await withLocation(await closedEndpoint()), { fallbackToLibrary: true, timeoutMs: 2000 }));
    await client.kill({ topologyName: 't' });
    assert.deepEqual(libraryCalls, ['kill t', 'close']);
    await assert.rejects(client.restart({ topologyName: 't' }), { code: 'SCHEDULER_UNREACHABLE', message: /connection refused/ });
  });

  it('reports a service-mode topology without a location as unreachable, unless a kill may fall back', async () => {
    libraryCalls.length = 0;
    const alone = await schedulerClientFor(context(new MemoryStateManager()));
    await assert.rejects(alone.kill({ topologyName: 't' }), { code: 'SCHEDULER_UNREACHABLE', message: /scheduler process of 't' is not running/ });
    await assert.rejects(alone.update({ topologyName: 't' } as never), { code: 'SCHEDULER_UNREACHABLE' });
    const falling = await schedulerClientFor(context(new MemoryStateManager(), { fallbackToLibrary: true }));
    await falling.kill({ topologyName: 't' });
    assert.deepEqual(libraryCalls, ['kill t', 'close']);
  });
});
