import { EventEmitter } from 'node:events';
import zookeeper, { type Client, type ClientState } from 'node-zookeeper-client';
import type { Logger } from 'winston';
import { StateManagerError } from '../../core/spi/state-manager.js';
import { closedError } from '../../core/state/state-errors.js';
import { isConnectionFailure } from './zookeeper-calls.js';

export interface ZooKeeperConnectionOptions {
  readonly connectionString: string;
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly logger: Logger;
}

/** Between two connection attempts of the client (its default, 1 s, slows recovery after a server restart). */
const SPIN_DELAY_MS = 200;

/**
 * One ZooKeeper session at a time, kept alive across failures. node-zookeeper-client reconnects on its own but
 * retries forever and waits silently while the server is unreachable; this wrapper bounds every wait by the
 * connect timeout (STATE_UNREACHABLE, naming the connection string) and, when the session expires (the client is
 * then dead for good), opens a new client. It emits `session` when a new session replaced an expired one (the owner
 * re-creates its ephemeral nodes and re-arms its watches) and `reconnected` when the same session came back.
 */
export class ZooKeeperConnection extends EventEmitter<{ session: []; reconnected: [] }> {
  private client: Client | undefined;
  /** The id of the session the owner's ephemeral nodes belong to. */
  private sessionId: Buffer | undefined;
  private connected = false;
  /** Once a session existed, an unreachable server is an outage to wait out (the client keeps trying), not a bad address. */
  private hadSession = false;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  /** Runs out when the connection stays down for a whole session timeout (see onState). */
  private sessionLossTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ZooKeeperConnectionOptions) {
    super();
  }

  /** Where messages say the tree lives. */
  get description(): string {
    return `ZooKeeper at ${this.options.connectionString}`;
  }

  /** The current session's id, once connected. */
  get currentSessionId(): Buffer | undefined {
    return this.connected ? this.client?.getSessionId() : this.sessionId;
  }

  /**
   * The connected client, waiting up to the connect timeout for a connection. Throws STATE_UNREACHABLE when none
   * comes (a client that never connected is closed then, so nothing keeps retrying), STATE_CLOSED after close().
   */
  async live(operation: string): Promise<Client> {
    if (this.closed) throw closedError(this.options.connectionString, operation);
    if (!this.client) this.open();
    if (this.connected && this.client) return this.client;
    await this.waitForConnection(this.options.connectTimeoutMs);
    if (this.closed) throw closedError(this.options.connectionString, operation);
    if (this.connected && this.client) return this.client;
    if (!this.hadSession) this.discardClient();
    throw new StateManagerError(
      `${operation}: ZooKeeper at ${this.options.connectionString} is unreachable: no connection within ${this.options.connectTimeoutMs} ms (egret.statemgr.zookeeper.connect.timeout.ms)`,
      { code: 'STATE_UNREACHABLE' },
    );
  }

  /**
   * Runs `call` on the connected client. A call that fails for the connection's sake (lost, expired, timed out)
   * runs again on the next connection when `retry` says it is safe to repeat; the connect timeout bounds each wait.
   */
  async run<T>(operation: string, call: (client: Client) => Promise<T>, retry: boolean): Promise<T> {
    for (;;) {
      const client = await this.live(operation);
      try {
        return await call(client);
      } catch (error) {
        if (!retry || !isConnectionFailure(error) || this.closed) throw error;
        this.options.logger.debug('retrying a ZooKeeper call after a connection failure', { operation, error: String(error) });
      }
    }
  }

  /** Ends the session (ZooKeeper then deletes its ephemeral nodes) and waits briefly for the server to confirm. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearSessionLossTimer();
    const client = this.client;
    const wasConnected = this.connected;
    this.client = undefined;
    this.connected = false;
    for (const wake of this.waiters) wake();
    if (!client) return;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wasConnected ? this.options.connectTimeoutMs : 0);
      client.on('state', (state: ClientState) => {
        if (state === zookeeper.State.DISCONNECTED) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    client.close();
    await done;
  }

  private open(): void {
    const client = zookeeper.createClient(this.options.connectionString, {
      sessionTimeout: this.options.sessionTimeoutMs,
      spinDelay: SPIN_DELAY_MS,
      retries: 0,
    });
    this.client = client;
    client.on('state', (state: ClientState) => this.onState(client, state));
    client.connect();
  }

  private discardClient(): void {
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    client?.close();
  }

  private onState(client: Client, state: ClientState): void {
    if (client !== this.client || this.closed) return;
    const { logger } = this.options;
    const where = this.options.connectionString;
    if (state !== zookeeper.State.DISCONNECTED) this.clearSessionLossTimer();
    if (state === zookeeper.State.SYNC_CONNECTED) {
      this.connected = true;
      this.hadSession = true;
      const id = client.getSessionId();
      const hex = id.toString('hex');
      if (this.sessionId === undefined) {
        logger.debug('connected to ZooKeeper', { connection: where, session: hex, timeoutMs: client.getSessionTimeout() });
        this.sessionId = id;
      } else if (!this.sessionId.equals(id)) {
        logger.warn('opened a new ZooKeeper session after the previous one expired; re-creating ephemeral nodes and watches', { connection: where, session: hex });
        this.sessionId = id;
        this.emit('session');
      } else {
        logger.info('reconnected to ZooKeeper; the session survived', { connection: where, session: hex });
        this.emit('reconnected');
      }
      for (const wake of this.waiters) wake();
    } else if (state === zookeeper.State.DISCONNECTED) {
      this.connected = false;
      if (this.hadSession) {
        logger.warn('lost the connection to ZooKeeper; reconnecting', { connection: where });
        // A server restarted from empty data refuses our old session's zxid and never says "expired": the client
        // would retry forever. After a whole session timeout without a connection the server has expired the session
        // anyway, so start a new client, as for an expiry.
        this.sessionLossTimer ??= setTimeout(() => {
          this.sessionLossTimer = undefined;
          if (client !== this.client || this.closed || this.connected) return;
          logger.warn('no connection to ZooKeeper for a whole session timeout: the session is lost; opening a new one', { connection: where, session: this.sessionId?.toString('hex') });
          client.close();
          this.open();
        }, this.options.sessionTimeoutMs);
      }
    } else if (state === zookeeper.State.EXPIRED) {
      this.connected = false;
      logger.warn('the ZooKeeper session expired; opening a new one', { connection: where, session: this.sessionId?.toString('hex') });
      client.close();
      this.open();
    } else if (state === zookeeper.State.AUTH_FAILED) {
      logger.error('ZooKeeper refused authentication', { connection: where });
    }
  }

  private clearSessionLossTimer(): void {
    clearTimeout(this.sessionLossTimer);
    this.sessionLossTimer = undefined;
  }

  private waitForConnection(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
    });
  }
}
