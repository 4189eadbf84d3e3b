import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inject, injectable } from 'inversify';
import { createLogger } from '../../core/logging.js';
import type { NodeWatcher } from '../../core/state/node-watcher.js';
import { asStateError, closedError } from '../../core/state/state-errors.js';
import { checkTopologyName, decodeStateNode, describeStateNode, encodeStateNode } from '../../core/state/state-node-codec.js';
import {
  StateManager,
  StateManagerError,
  STATE_LOCK_NAMES,
  type StateLock,
  type StateLockName,
  type StateNodeKind,
  type StateNodeTypes,
  type StateWatch,
  type StateWatchEvent,
  type StateWriteOptions,
} from '../../core/spi/state-manager.js';
import { FileMutex, type HeldFileMutex } from './file-mutex.js';
import { LocalFsNodeStore } from './localfs-node-store.js';
import { watchLocalFsNode } from './localfs-node-watch.js';
import { LocalFsStateManagerConfig } from './localfs-state-manager-config.js';

const logger = createLogger('statemgr:localfs');

/**
 * The state tree in a local directory (`egret.statemgr: localfs`, the embedded default): no server to install, and
 * safe between processes of one machine. Writes are atomic (temporary file, flush, rename), locks and ephemeral
 * nodes record their owner process and outlive it by no more than the time it takes another process to notice,
 * and watches hear other processes' writes through inotify. See {@link LocalFsNodeStore} for the layout.
 */
@injectable()
export class LocalFsStateManager implements StateManager {
  private readonly store: LocalFsNodeStore;
  private readonly backend: string;
  private readonly watches = new Set<NodeWatcher>();
  private readonly heldLocks = new Set<HeldFileMutex>();
  /** `kind/topology` of the ephemeral nodes this manager wrote, removed by close(). */
  private readonly ownedEphemerals = new Map<string, { kind: StateNodeKind; topology: string }>();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(@inject(LocalFsStateManagerConfig) private readonly config: LocalFsStateManagerConfig) {
    const root = config['egret.statemgr.localfs.root'];
    this.store = new LocalFsNodeStore(resolve(root));
    this.backend = `the localfs state tree at ${this.store.root}`;
  }

  async isTopologyRunning(topology: string): Promise<boolean> {
    const where = await this.begin('isTopologyRunning', topology, 'topologies');
    return asStateError(`reading ${where}`, async () => (await this.store.version('topologies', topology)) !== undefined);
  }

  async listTopologies(): Promise<string[]> {
    await this.begin('listTopologies');
    return asStateError(`listing the topologies in ${this.backend}`, () => this.store.list('topologies'));
  }

  async create<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options: StateWriteOptions = {}): Promise<void> {
    await this.write(kind, topology, value, options, true);
  }

  async set<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options: StateWriteOptions = {}): Promise<void> {
    await this.write(kind, topology, value, options, false);
  }

  async get<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K]> {
    const value = await this.find(kind, topology);
    if (value === undefined) throw new StateManagerError(`state node ${describeStateNode(kind, topology)} does not exist in ${this.backend}`, { code: 'STATE_NO_NODE' });
    return value;
  }

  async find<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K] | undefined> {
    const where = await this.begin('get', topology, kind);
    const node = await asStateError(`reading ${where}`, () => this.store.read(kind, topology));
    return node === undefined ? undefined : decodeStateNode(kind, topology, node.bytes, this.backend);
  }

  async delete(kind: StateNodeKind, topology: string): Promise<void> {
    const where = await this.begin('delete', topology, kind);
    await asStateError(`deleting ${where}`, () => this.store.remove(kind, topology));
    this.ownedEphemerals.delete(describeStateNode(kind, topology));
  }

  async watch(kind: StateNodeKind, topology: string, callback: (event: StateWatchEvent) => void): Promise<StateWatch> {
    const where = await this.begin('watch', topology, kind);
    const watcher = await asStateError(`watching ${where}`, () =>
      watchLocalFsNode({ store: this.store, kind, topology, pollMs: this.config['egret.statemgr.localfs.poll.interval.ms'], callback, logger }),
    );
    this.watches.add(watcher);
    watcher.onCancel(() => this.watches.delete(watcher));
    return watcher;
  }

  async tryLock(topology: string, lock: StateLockName, timeoutMs: number): Promise<StateLock> {
    await this.begin('tryLock', topology);
    const dir = this.lockDir(topology, lock);
    const held = await asStateError(`taking lock ${lock} of topology '${topology}' in ${this.backend}`, () => new FileMutex(dir).acquire(timeoutMs));
    if (!held) {
      throw new StateManagerError(`lock ${lock} of topology '${topology}' is still held by another process after ${timeoutMs} ms (${dir})`, { code: 'STATE_LOCK_TIMEOUT' });
    }
    this.heldLocks.add(held);
    return {
      unlock: async () => {
        this.heldLocks.delete(held);
        await asStateError(`releasing lock ${lock} of topology '${topology}'`, () => held.release());
      },
    };
  }

  async deleteLocks(topology: string): Promise<void> {
    await this.begin('deleteLocks', topology);
    for (const lock of STATE_LOCK_NAMES) {
      const dir = this.lockDir(topology, lock);
      await asStateError(`deleting lock ${lock} of topology '${topology}' (${dir})`, () => rm(dir, { recursive: true, force: true }));
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    for (const watcher of [...this.watches]) watcher.cancel();
    await Promise.all([...this.watches].map((watcher) => watcher.settled()));
    const problems: string[] = [];
    for (const held of this.heldLocks) await held.release().catch((error: unknown) => problems.push(String(error)));
    this.heldLocks.clear();
    for (const { kind, topology } of this.ownedEphemerals.values()) {
      await this.store.remove(kind, topology, true).catch((error: unknown) => problems.push(`${describeStateNode(kind, topology)}: ${String(error)}`));
    }
    this.ownedEphemerals.clear();
    if (problems.length > 0) logger.warn('closing the localfs state manager left some of its files behind', { root: this.store.root, problems });
  }

  private async write<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options: StateWriteOptions, exclusive: boolean): Promise<void> {
    const where = await this.begin(exclusive ? 'create' : 'set', topology, kind);
    const bytes = encodeStateNode(kind, topology, value);
    const ephemeral = options.ephemeral === true;
    const outcome = await asStateError(`writing ${where}`, () => this.store.write(kind, topology, bytes, { ephemeral, exclusive }));
    if (outcome === 'exists') {
      throw new StateManagerError(`state node ${describeStateNode(kind, topology)} already exists in ${this.backend}`, { code: 'STATE_NODE_EXISTS' });
    }
    const key = describeStateNode(kind, topology);
    if (ephemeral) this.ownedEphemerals.set(key, { kind, topology });
    else this.ownedEphemerals.delete(key);
  }

  /**
   * Checks the call may proceed (open manager, valid name, tree ready) and returns how messages name the node.
   * Throws STATE_CLOSED, STATE_INVALID, or STATE_IO when the tree cannot be created.
   */
  private async begin(operation: string, topology?: string, kind?: StateNodeKind): Promise<string> {
    if (this.closed) throw closedError(this.store.root, operation);
    if (topology !== undefined) checkTopologyName(topology);
    if (/\$\{[^}]*\}/.test(this.config['egret.statemgr.localfs.root'])) {
      throw new StateManagerError(
        `egret.statemgr.localfs.root is '${this.config['egret.statemgr.localfs.root']}', whose variables were never substituted; set it to a directory in the cluster's statemgr.yaml or with --config-property`,
        { code: 'STATE_INVALID' },
      );
    }
    await asStateError(`creating ${this.backend}`, () => this.store.prepare());
    return kind === undefined || topology === undefined ? this.backend : `state node ${describeStateNode(kind, topology)} in ${this.backend}`;
  }

  private lockDir(topology: string, lock: StateLockName): string {
    return join(this.store.root, 'locks', `${topology}__${lock}`);
  }
}
