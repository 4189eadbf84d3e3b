import { watch as watchDirectory, type FSWatcher } from 'node:fs';
import type { Logger } from 'winston';
import { NodeWatcher } from '../../core/state/node-watcher.js';
import type { StateNodeKind, StateWatchEvent } from '../../core/spi/state-manager.js';
import type { LocalFsNodeStore } from './localfs-node-store.js';

/**
 * A watch on one node of the localfs tree. inotify (fs.watch on the kind's directory) reports other processes'
 * writes at once: every write renames a file onto the node's name. A poll every `pollMs` catches what inotify
 * cannot: the death of an ephemeral node's owner, and file systems without notifications (NFS). When the
 * directory watch fails (the directory was removed), the poll carries on alone and retries the watch. Like a
 * ZooKeeper client's socket, a live watch keeps the process running until it is cancelled or the manager closed.
 */
export async function watchLocalFsNode(options: {
  store: LocalFsNodeStore;
  kind: StateNodeKind;
  topology: string;
  pollMs: number;
  callback: (event: StateWatchEvent) => void | Promise<void>;
  logger: Logger;
}): Promise<NodeWatcher> {
  const { store, kind, topology, logger } = options;
  const watcher = new NodeWatcher({
    probe: () => store.version(kind, topology),
    callback: options.callback,
    onError: (error) => logger.warn('a state watch failed to read its node; retrying on the next change', { node: `${kind}/${topology}`, error: String(error) }),
  });
  await watcher.start();

  let directoryWatch: FSWatcher | undefined;
  const armDirectoryWatch = () => {
    if (directoryWatch || watcher.isCancelled) return;
    try {
      const fsWatcher = watchDirectory(store.kindDir(kind), (_event, filename) => {
        // Temporary files of other nodes come and go in the same directory; only our name matters.
        if (filename === null || filename === topology) watcher.poke();
      });
      fsWatcher.on('error', () => {
        fsWatcher.close();
        if (directoryWatch === fsWatcher) directoryWatch = undefined;
      });
      directoryWatch = fsWatcher;
    } catch (error) {
      logger.debug('no file-system notifications for a state watch; polling only', { dir: store.kindDir(kind), error: String(error) });
    }
  };
  armDirectoryWatch();
  const timer = setInterval(() => {
    armDirectoryWatch();
    watcher.poke();
  }, options.pollMs);
  watcher.onCancel(() => {
    clearInterval(timer);
    directoryWatch?.close();
  });
  return watcher;
}
