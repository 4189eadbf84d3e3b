// The part of node-zookeeper-client 1.1.3 (a CommonJS package without types) that the zookeeper state manager
// uses, typed from its README and lib/ sources.
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';

  /** A node's metadata; 64-bit fields are 8-byte big-endian buffers. */
  export interface Stat {
    czxid: Buffer;
    mzxid: Buffer;
    ctime: Buffer;
    mtime: Buffer;
    version: number;
    cversion: number;
    aversion: number;
    ephemeralOwner: Buffer;
    dataLength: number;
    numChildren: number;
    pzxid: Buffer;
  }

  export interface ZooKeeperException extends Error {
    getCode(): number;
    getName(): string;
    getPath(): string | undefined;
  }

  export interface WatcherEvent {
    getType(): number;
    getName(): string;
    getPath(): string;
  }

  export interface ClientState {
    readonly name: string;
    readonly code: number;
  }

  export interface ClientOptions {
    sessionTimeout?: number;
    spinDelay?: number;
    retries?: number;
    sessionId?: Buffer;
    sessionPassword?: Buffer;
  }

  type Callback<T> = (error: ZooKeeperException | Error | null, result: T) => void;
  type Watcher = (event: WatcherEvent) => void;

  export interface Transaction {
    create(path: string, data: Buffer | undefined, mode: number): Transaction;
    setData(path: string, data: Buffer, version: number): Transaction;
    check(path: string, version: number): Transaction;
    remove(path: string, version: number): Transaction;
    commit(callback: (error: ZooKeeperException | Error | null, results: unknown[]) => void): void;
  }

  export interface Client extends EventEmitter {
    connect(): void;
    close(): void;
    getState(): ClientState;
    getSessionId(): Buffer;
    getSessionPassword(): Buffer;
    getSessionTimeout(): number;
    create(path: string, data: Buffer | undefined, mode: number, callback: Callback<string>): void;
    remove(path: string, version: number, callback: (error: ZooKeeperException | Error | null) => void): void;
    exists(path: string, watcher: Watcher | undefined, callback: Callback<Stat | null>): void;
    getData(path: string, watcher: Watcher | undefined, callback: (error: ZooKeeperException | Error | null, data: Buffer | undefined, stat: Stat) => void): void;
    setData(path: string, data: Buffer, version: number, callback: Callback<Stat>): void;
    getChildren(path: string, watcher: Watcher | undefined, callback: (error: ZooKeeperException | Error | null, children: string[], stat: Stat) => void): void;
    mkdirp(path: string, callback: Callback<string>): void;
    transaction(): Transaction;
  }

  export function createClient(connectionString: string, options?: ClientOptions): Client;

  export const CreateMode: { readonly PERSISTENT: number; readonly EPHEMERAL: number; readonly PERSISTENT_SEQUENTIAL: number; readonly EPHEMERAL_SEQUENTIAL: number };
  export const Exception: {
    readonly OK: number;
    readonly CONNECTION_LOSS: number;
    readonly OPERATION_TIMEOUT: number;
    readonly NO_NODE: number;
    readonly BAD_VERSION: number;
    readonly NODE_EXISTS: number;
    readonly NOT_EMPTY: number;
    readonly SESSION_EXPIRED: number;
  };
  export const Event: { readonly NODE_CREATED: number; readonly NODE_DELETED: number; readonly NODE_DATA_CHANGED: number; readonly NODE_CHILDREN_CHANGED: number };
  export const State: {
    readonly DISCONNECTED: ClientState;
    readonly SYNC_CONNECTED: ClientState;
    readonly AUTH_FAILED: ClientState;
    readonly CONNECTED_READ_ONLY: ClientState;
    readonly EXPIRED: ClientState;
  };

  const zookeeper: {
    createClient: typeof createClient;
    CreateMode: typeof CreateMode;
    Exception: typeof Exception;
    Event: typeof Event;
    State: typeof State;
  };
  export default zookeeper;
}
