import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createDataPath, DataPathError, type DataPathErrorCode, type DataPathRouting } from './index.js';
import { nativeOptions } from './native-data-path.js';

const endpoint = (): string => `unix-abstract:egret-unit/${process.pid}/${randomBytes(4).toString('hex')}`;
const base = { localEndpoint: 'unix-abstract:x', dataHost: '127.0.0.1', dataPort: 0, topologyName: 'topology', topologyId: 'topology-1' };

function failsWith(code: DataPathErrorCode, pattern: RegExp) {
  return (error: unknown): boolean => error instanceof DataPathError && error.code === code && pattern.test(error.message);
}

const routing: DataPathRouting = {
  stmgrId: 'stmgr-1',
  tasks: [
    { taskId: 1, component: 'spout', stmgrId: 'stmgr-1' },
    { taskId: 2, component: 'bolt', stmgrId: 'stmgr-2' },
  ],
  peers: [{ stmgrId: 'stmgr-2', host: '127.0.0.1', port: 1 }],
  streams: [{ component: 'spout', stream: 'default', subscribers: [{ component: 'bolt', grouping: 'fields', fieldIndices: [0], tasks: [2] }] }],
};

describe('the data path facade', () => {
  it('fills in the defaults of PROTOCOL.md and the runtime config, the drain interval in microseconds', () => {
    assert.deepEqual(nativeOptions(base), {
      ...base,
      maxFrameBytes: 10 * 1024 * 1024,
      batchMaxBytes: 256 * 1024,
      drainIntervalUs: 500,
      backPressureHighBytes: 16 * 1024 * 1024,
      backPressureLowBytes: 8 * 1024 * 1024,
    });
    assert.equal(nativeOptions({ ...base, drainIntervalMs: 2 }).drainIntervalUs, 2000);
    assert.equal(nativeOptions({ ...base, drainIntervalMs: 0 }).drainIntervalUs, 0);
    // A small frame limit brings the default batch size down with it.
    assert.equal(nativeOptions({ ...base, maxFrameBytes: 64 * 1024 }).batchMaxBytes, 63 * 1024);
    // A high water mark below the default low one brings the low one down to half of it.
    assert.equal(nativeOptions({ ...base, backPressureHighBytes: 1024 * 1024 }).backPressureLowBytes, 512 * 1024);
  });

  it('refuses options out of range, naming the option', () => {
    const cases: Array<[Partial<typeof base> & Record<string, unknown>, RegExp]> = [
      [{ localEndpoint: 'tcp:1' }, /localEndpoint must be unix:\/path or unix-abstract:name/],
      [{ dataPort: 70000 }, /dataPort must be an integer from 0 to 65535/],
      [{ maxFrameBytes: 10 }, /maxFrameBytes must be an integer/],
      [{ batchMaxBytes: 20 * 1024 * 1024 }, /batchMaxBytes must be an integer from 1 to/],
      [{ drainIntervalMs: -1 }, /drainIntervalMs must be from 0 to 60000/],
      [{ dataHost: '' }, /dataHost must not be empty/],
      [{ backPressureHighBytes: 0 }, /backPressureHighBytes must be an integer from 1/],
      [{ backPressureHighBytes: 1000, backPressureLowBytes: 2000 }, /backPressureLowBytes must be an integer from 0 to 1000/],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => createDataPath({ ...base, ...options } as never), failsWith('DATA_PATH_INVALID_OPTIONS', message));
    }
  });

  it('refuses an inconsistent routing at once, and keeps working', async () => {
    const dataPath = createDataPath({ ...base, localEndpoint: endpoint() });
    const bad: Array<[DataPathRouting, RegExp]> = [
      [{ ...routing, tasks: [...routing.tasks, { taskId: 1, component: 'spout', stmgrId: 'stmgr-1' }] }, /task 1 is listed twice/],
      [{ ...routing, streams: [{ ...routing.streams[0]!, subscribers: [{ component: 'bolt', grouping: 'shuffle', fieldIndices: [], tasks: [1] }] }] }, /lists task 1, which belongs to another component/],
      [{ ...routing, streams: [{ ...routing.streams[0]!, subscribers: [{ component: 'bolt', grouping: 'shuffle', fieldIndices: [], tasks: [7] }] }] }, /lists task 7, which is not a task of the topology/],
      [{ ...routing, streams: [{ ...routing.streams[0]!, subscribers: [{ component: 'bolt', grouping: 'fields', fieldIndices: [], tasks: [2] }] }] }, /fields grouping without fields/],
      [{ ...routing, streams: [{ ...routing.streams[0]!, subscribers: [{ component: 'bolt', grouping: 'partial' as never, fieldIndices: [], tasks: [2] }] }] }, /grouping 'partial' is not one of/],
      [{ ...routing, streams: [routing.streams[0]!, routing.streams[0]!] }, /stream spout\/default is listed twice/],
      [{ ...routing, peers: [{ stmgrId: 'stmgr-2', host: 'h', port: 0 }] }, /routing.peers\[0\].port must be an integer from 1 to 65535/],
      [{ ...routing, tasks: [{ taskId: -1, component: 'spout', stmgrId: 'stmgr-1' }] }, /routing.tasks\[0\].taskId must be an integer from 0/],
      [{ ...routing, reliability: 'EFFECTIVELY_ONCE' as never }, /routing.reliability must be 'ATMOST_ONCE' or 'ATLEAST_ONCE'/],
      [{ ...routing, messageTimeoutMs: -1 }, /messageTimeoutMs must be an integer from 0 \(never\)/],
      [{ ...routing, dropTuplesUponBackPressure: 'yes' as never }, /routing.dropTuplesUponBackPressure must be a boolean/],
    ];
    for (const [next, message] of bad) assert.throws(() => dataPath.setRouting(next), failsWith('DATA_PATH_INVALID_ROUTING', message));
    dataPath.setRouting({ ...routing, reliability: 'ATLEAST_ONCE', messageTimeoutMs: 5000 });
    await dataPath.start();
    const stats = dataPath.stats();
    assert.equal(stats.tuplesRouted, 0);
    assert.deepEqual(stats.acking, { enabled: true, pendingRoots: 0, rootsAcked: 0, rootsFailed: 0, rootsExpired: 0 });
    assert.deepEqual(stats.backPressure, { causes: [], announcing: false, announcers: [], spoutsPaused: false, initiatedMs: 0, initiatedMsBySource: [], pausedByOthersMs: 0 });
    await dataPath.close();
  });

  it('refuses every call after close(), and a second start()', async () => {
    const dataPath = createDataPath({ ...base, localEndpoint: endpoint() });
    const { dataPort } = await dataPath.start();
    assert.ok(dataPort > 0);
    await assert.rejects(dataPath.start(), failsWith('DATA_PATH_STATE', /already started/));
    await dataPath.close();
    await dataPath.close();
    assert.throws(() => dataPath.send(1, 'x.Y', Buffer.alloc(0)), failsWith('DATA_PATH_STATE', /send\(\) called after close\(\)/));
    assert.throws(() => dataPath.setRouting(routing), failsWith('DATA_PATH_STATE', /setRouting\(\) called after close\(\)/));
    await assert.rejects(dataPath.start(), failsWith('DATA_PATH_STATE', /start\(\) called after close\(\)/));
  });

  it('checks arguments before they reach the addon', () => {
    const dataPath = createDataPath({ ...base, localEndpoint: endpoint() });
    assert.throws(() => dataPath.send(-1, 'x.Y', Buffer.alloc(0)), failsWith('DATA_PATH_INVALID_OPTIONS', /connectionId must be an integer/));
    assert.throws(() => dataPath.send(1, '', Buffer.alloc(0)), failsWith('DATA_PATH_INVALID_OPTIONS', /message type '' must be 1 to 256 printable ASCII/));
    assert.throws(() => dataPath.send(1, 'x.Y', Buffer.alloc(0), Buffer.alloc(3)), failsWith('DATA_PATH_INVALID_OPTIONS', /a request id has 32 bytes, got 3/));
    assert.throws(() => dataPath.setPeerHello({ messageType: 'x.Y', payload: Buffer.alloc(0) }, 0), failsWith('DATA_PATH_INVALID_OPTIONS', /reconnectIntervalMs/));
    return dataPath.close();
  });
});
