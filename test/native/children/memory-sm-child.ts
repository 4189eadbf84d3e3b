/**
 * A stream manager in a process of its own, so a test can watch its resident memory: spouts `words` (tasks 1, 2) →
 * bolt `sink` (tasks 3, 4), shuffle, on one data path with the back-pressure marks and mode given as arguments
 * (`<high bytes> <low bytes> pause|drop`). It sends `{ endpoint }` once serving, then answers each `sample` message
 * with `{ rss, announcing, spoutsPaused, dropped, queued }` and exits on `stop`.
 */
import { startStreamManager } from '../helpers/stream-manager.js';

const [high, low, mode] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const sm = await startStreamManager('stmgr-1', { backPressureHighBytes: high, backPressureLowBytes: low });
sm.dataPath.setRouting({
  stmgrId: 'stmgr-1',
  dropTuplesUponBackPressure: mode === 'drop',
  tasks: [1, 2, 3, 4].map((taskId) => ({ taskId, component: taskId <= 2 ? 'words' : 'sink', stmgrId: 'stmgr-1' })),
  peers: [],
  streams: [{ component: 'words', stream: 'default', subscribers: [{ component: 'sink', grouping: 'shuffle', fieldIndices: [], tasks: [3, 4] }] }],
});
process.on('message', (message: string) => {
  if (message === 'sample') {
    const stats = sm.dataPath.stats();
    process.send!({
      rss: process.memoryUsage.rss(),
      announcing: stats.backPressure.announcing,
      spoutsPaused: stats.backPressure.spoutsPaused,
      dropped: stats.tuplesDropped['backpressure-drop'],
      // The longest queue: the water marks hold per connection, so that is what they bound.
      queued: Math.max(0, ...stats.connections.map((c) => c.queuedBytes)),
      tuplesIn: stats.connections.reduce((n, c) => n + c.tuplesIn, 0),
    });
  } else if (message === 'stop') {
    void sm.close().then(() => process.exit(0));
  }
});
process.send!({ endpoint: sm.endpoint });
