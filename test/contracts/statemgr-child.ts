// A process that opens a state manager and does one thing with it, for the contract suite's multi-process tests.
// Run as `node statemgr-child.js '<ChildOrder as JSON>'`; it reports on stdout, a line per step:
//   create          -> `won` or `exists`, then exits
//   hold-lock       -> `locked`, then holds the lock until killed
//   hold-ephemeral  -> `ready` once the ephemeral node is written (and, with watchKind, that node of the topology
//                      watched: `event ...` lines as for watch), then lives until killed
//   write-loop      -> `wrote <n>` after each write of a large node, forever
//   watch           -> `watching`, then `event <created|changed|deleted>` per event, until killed
import { StateManagerError, type StateNodeKind } from '../../core/spi/state-manager.js';
import { loadDescriptor, openStateManager, type ChildOrder } from './statemgr-harness.js';
import { sampleNode } from './statemgr-samples.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(order: ChildOrder): Promise<void> {
  const state = await openStateManager(await loadDescriptor(order.plugin), order.config);
  const kind = (order.kind ?? 'topologies') as StateNodeKind;
  const seq = order.seq ?? 0;
  switch (order.action) {
    case 'create':
      try {
        await state.create(kind, order.topology, sampleNode(kind, order.topology, seq));
        say('won');
      } catch (error) {
        if (!(error instanceof StateManagerError) || error.code !== 'STATE_NODE_EXISTS') throw error;
        say('exists');
      }
      await state.close();
      return;
    case 'hold-lock':
      await state.tryLock(order.topology, 'updateTopology', order.timeoutMs ?? 30_000);
      say('locked');
      return hold();
    case 'hold-ephemeral':
      await state.set(kind, order.topology, sampleNode(kind, order.topology, seq), { ephemeral: true });
      if (order.watchKind) await state.watch(order.watchKind as StateNodeKind, order.topology, (event) => say(`event ${event}`));
      say('ready');
      return hold();
    case 'write-loop':
      for (let n = 0; ; n++) {
        await state.set(kind, order.topology, sampleNode(kind, order.topology, n, 256 * 1024));
        say(`wrote ${n}`);
      }
    case 'watch':
      await state.watch(kind, order.topology, (event) => say(`event ${event}`));
      say('watching');
      return hold();
  }
}

/** Keeps the process alive until it is killed. */
function hold(): Promise<void> {
  return new Promise(() => setInterval(() => undefined, 60_000));
}

// The parent holds our stdin open: when it dies, however it dies, we go too rather than hold a lock forever.
process.stdin.on('end', () => process.exit(0)).resume();

main(JSON.parse(process.argv[2] ?? '{}') as ChildOrder).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`statemgr-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
