import { inject, injectable } from 'inversify';
import type { Client } from 'node-zookeeper-client';
import { createLogger } from '../../core/logging.js';
import { NodeWatcher } from '../../core/state/node-watcher.js';
import { asStateError, closedError, toStateError } from '../../core/state/state-errors.js';
import { checkTopologyName, decodeStateNode, describeStateNode, encodeStateNode } from '../../core/state/state-node-codec.js';
import {
  StateManager,
  StateManagerError,
  STATE_LOCK_NAMES,
  STATE_NODE_KINDS,
  STATE_TOPOLOGY_NAME_PATTERN,
  type StateLock,
  type StateLockName,
  type StateNodeKind,
  type StateNodeTypes,
  type StateWatch,
  type StateWatchEvent,
  type StateWriteOptions,
} from '../../core/spi/state-manager.js';
import { Exception, exists, getChildren, getData, MAX_NODE_BYTES, mkdirp, remove, removeTree, versionOf, zooKeeperCode } from './zookeeper-calls.js';
import { ZooKeeperConnection } from './zookeeper-connection.js';
import { EphemeralNodes } from './zookeeper-ephemeral-nodes.js';
import { acquireZooKeeperLock, type HeldZooKeeperLock } from './zookeeper-lock.js';
import { createNode, setNode } from './zookeeper-node-writes.js';
import { ZooKeeperStateManagerConfig } from './zookeeper-state-manager-config.js';

const logger = createLogger('statemgr:zookeeper');

/**
 * The state tree in ZooKeeper (`egret.statemgr: zookeeper`), under `egret.statemgr.zookeeper.root`, readable by
 * Heron's tools. Locations of live processes are ephemeral nodes; locks follow ZooKeeper's recipe; a session
 * expiry is survived by a new session that re-creates this process's ephemeral nodes and re-arms its watches. The
 * connection opens on first use, so building the manager never blocks or fails.
 */
@injectable()
export class ZooKeeperStateManager implements StateManager {
  private readonly connection: ZooKeeperConnection;
  private readonly root: string;
  private readonly ephemerals: EphemeralNodes;
  private readonly watches = new Set<NodeWatcher>();
  private readonly heldLocks = new Set<HeldZooKeeperLock>();
  private tree: Promise<void> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(@inject(ZooKeeperStateManagerConfig) config: ZooKeeperStateManagerConfig) {
    this.root = config['egret.statemgr.zookeeper.root'];
    this.connection = new ZooKeeperConnection({
      connectionString: config['egret.statemgr.zookeeper.connection.string'],
      sessionTimeoutMs: config['egret.statemgr.zookeeper.session.timeout.ms'],
      connectTimeoutMs: config['egret.statemgr.zookeeper.connect.timeout.ms'],
      logger,
    });
    this.ephemerals = new EphemeralNodes(this.connection, logger);
    this.connection.on('session', () => this.onNewSession());
    this.connection.on('reconnected', () => this.pokeWatches());
  }

  private get backend(): string {
    return `${this.connection.description} under ${this.root}`;
  }

  async isTopologyRunning(topology: string): Promise<boolean> {
    const path = await this.begin('isTopologyRunning', topology, 'topologies');
    return (await this.read(`reading ${path}`, (client) => exists(client, path))) !== null;
  }

  async listTopologies(): Promise<string[]> {
    await this.begin('listTopologies');
    const dir = `${this.root}/topologies`;
    const names = await this.read(`listing ${dir}`, (client) => getChildren(client, dir), () => []);
    return names.filter((name) => STATE_TOPOLOGY_NAME_PATTERN.test(name)).sort();
  }

  async create<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options: StateWriteOptions = {}): Promise<void> {
    const path = await this.begin('create', topology, kind);
    const bytes = this.encode(kind, topology, value);
    const ephemeral = options.ephemeral === true;
    const outcome = await asStateError(`creating state node ${describeStateNode(kind, topology)} in ${this.backend}`, () => createNode(this.connection, path, bytes, ephemeral));
    if (outcome === 'exists') {
      throw new StateManagerError(`state node ${describeStateNode(kind, topology)} already exists in ${this.backend}`, { code: 'STATE_NODE_EXISTS' });
    }
    this.ephemerals.wrote(path, bytes, ephemeral);
  }

  async set<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K], options: StateWriteOptions = {}): Promise<void> {
    const path = await this.begin('set', topology, kind);
    const bytes = this.encode(kind, topology, value);
    const ephemeral = options.ephemeral === true;
    await asStateError(`writing state node ${describeStateNode(kind, topology)} in ${this.backend}`, () => setNode(this.connection, path, bytes, ephemeral));
    this.ephemerals.wrote(path, bytes, ephemeral);
  }

  async get<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K]> {
    const value = await this.find(kind, topology);
    if (value === undefined) throw new StateManagerError(`state node ${describeStateNode(kind, topology)} does not exist in ${this.backend}`, { code: 'STATE_NO_NODE' });
    return value;
  }

  async find<K extends StateNodeKind>(kind: K, topology: string): Promise<StateNodeTypes[K] | undefined> {
    const path = await this.begin('get', topology, kind);
    const node = await this.read(`reading state node ${describeStateNode(kind, topology)} in ${this.backend}`, (client) => getData(client, path), () => undefined);
    return node === undefined ? undefined : decodeStateNode(kind, topology, node.data, this.backend);
  }

  async delete(kind: StateNodeKind, topology: string): Promise<void> {
    const path = await this.begin('delete', topology, kind);
    this.ephemerals.deleted(path);
    await this.read(`deleting state node ${describeStateNode(kind, topology)} in ${this.backend}`, (client) => remove(client, path), () => undefined);
  }

  async watch(kind: StateNodeKind, topology: string, callback: (event: StateWatchEvent) => void): Promise<StateWatch> {
    const path = await this.begin('watch', topology, kind);
    const watcher: NodeWatcher = new NodeWatcher({
      // Each probe re-arms the one-shot ZooKeeper watch, whose only job is to ask for the next probe.
      probe: async () => versionOf(await this.read(`watching ${path}`, (client) => exists(client, path, watcher.poke))),
      callback,
      onError: (error) => logger.warn('a state watch failed to read its node; retrying on the next change or reconnection', { node: path, error: String(error) }),
    });
    await watcher.start();
    this.watches.add(watcher);
    watcher.onCancel(() => this.watches.delete(watcher));
    return watcher;
  }

  async tryLock(topology: string, lock: StateLockName, timeoutMs: number): Promise<StateLock> {
    await this.begin('tryLock', topology);
    const dir = this.lockPath(topology, lock);
    const held = await asStateError(`taking lock ${lock} of topology '${topology}' in ${this.backend}`, () => acquireZooKeeperLock(this.connection, dir, timeoutMs));
    if (!held) {
      throw new StateManagerError(`lock ${lock} of topology '${topology}' is still held by another process after ${timeoutMs} ms (${dir} in ${this.connection.description})`, {
        code: 'STATE_LOCK_TIMEOUT',
      });
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
      const path = this.lockPath(topology, lock);
      await this.read(`deleting lock ${path} in ${this.connection.description}`, (client) => removeTree(client, path));
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
    // Closing the session deletes its lock children and ephemeral nodes: no call needed for them.
    this.heldLocks.clear();
    await this.connection.close();
  }

  /**
   * A read (or an idempotent write), retried on the next connection after a connection failure. A missing node
   * gives `ifNoNode()` when that is given, else fails like any other error (STATE_IO naming `what`).
   */
  private async read<T, A = never>(what: string, call: (client: Client) => Promise<T>, ifNoNode?: () => A): Promise<T | A> {
    try {
      return await this.connection.run(what, call, true);
    } catch (error) {
      if (ifNoNode && zooKeeperCode(error) === Exception.NO_NODE) return ifNoNode();
      throw toStateError(what, error);
    }
  }

  private encode<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K]): Buffer {
    const encoded = encodeStateNode(kind, topology, value);
    if (encoded.length > MAX_NODE_BYTES) {
      throw new StateManagerError(`cannot write state node ${describeStateNode(kind, topology)}: ${encoded.length} bytes exceed ZooKeeper's node limit of ${MAX_NODE_BYTES}`, {
        code: 'STATE_INVALID',
      });
    }
    return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.length);
  }

  /**
   * Checks the call may proceed (open manager, valid name, connected, tree created) and returns the node's path.
   * Throws STATE_CLOSED, STATE_INVALID, STATE_UNREACHABLE, or STATE_IO when the tree cannot be created.
   */
  private async begin(operation: string, topology?: string, kind?: StateNodeKind): Promise<string> {
    if (this.closed) throw closedError(this.connection.description, operation);
    if (topology !== undefined) checkTopologyName(topology);
    this.tree ??= this.createTree().catch((error: unknown) => {
      this.tree = undefined;
      throw error;
    });
    await this.tree;
    return kind === undefined || topology === undefined ? this.root : `${this.root}/${kind}/${topology}`;
  }

  private async createTree(): Promise<void> {
    for (const dir of [...STATE_NODE_KINDS, 'locks']) {
      const path = `${this.root}/${dir}`;
      await this.read(`creating the state tree under ${this.root}`, (client) => mkdirp(client, path));
    }
  }

  private lockPath(topology: string, lock: StateLockName): string {
    return `${this.root}/locks/${topology}__${lock}`;
  }

  private onNewSession(): void {
    for (const held of this.heldLocks) {
      logger.error('a lock was lost with the expired ZooKeeper session; its holder must not rely on it any more', { lock: held.path });
    }
    void this.ephemerals
      .recreate()
      .catch((error: unknown) => logger.error('could not re-create ephemeral nodes in the new ZooKeeper session', { error: String(toStateError('re-creating ephemeral nodes', error)) }))
      .finally(() => this.pokeWatches());
    this.pokeWatches();
  }

  private pokeWatches(): void {
    for (const watcher of this.watches) watcher.poke();
  }
}
