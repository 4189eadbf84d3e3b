import { connect, type Socket } from 'node:net';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import type { ProtoTManagerLocation } from '../../core/proto/index.js';
import type { StateManager, StateWatch } from '../../core/spi/state-manager.js';
import { FramedSocket } from '../common/framed-socket.js';
import { TMANAGER_MAX_FRAME_BYTES } from '../common/message-types.js';
import type { MetricsLink } from './tmanager-sink.js';

/** A write queue this long means the topology manager stopped reading: hold metrics back rather than pile them up. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** Where to find the topology manager and how often to retry it. */
export interface TManagerLinkOptions {
  readonly state: StateManager;
  readonly topology: string;
  readonly reconnectMs: number;
  readonly logger: Logger;
}

/**
 * A connection to the topology manager's server port that follows its location node (`tmanagers/<topology>`):
 * connects once it exists, moves when it changes (a restarted topology manager), and reconnects after a close.
 * The topology manager sends nothing back on a metrics connection.
 */
export class TManagerLink implements MetricsLink {
  private socket: FramedSocket | undefined;
  private raw: Socket | undefined;
  private target: string | undefined;
  private ready = false;
  private watch: StateWatch | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly options: TManagerLinkOptions) {}

  /** Starts following the location. Throws the state manager's error when the watch cannot be set. */
  async start(): Promise<void> {
    this.watch = await this.options.state.watch('tmanagers', this.options.topology, () => this.refresh());
    this.refresh();
  }

  /** `host:port` of the topology manager while connected to it. */
  get connectedTo(): string | undefined {
    return this.ready && this.socket?.isOpen ? this.target : undefined;
  }

  /** Sends one frame if connected and the topology manager keeps up; returns whether it was sent. */
  send(messageType: string, payload: Uint8Array): boolean {
    if (this.connectedTo === undefined || (this.raw?.writableLength ?? 0) > MAX_QUEUED_BYTES) return false;
    this.socket!.send(messageType, payload);
    return true;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.watch?.cancel();
    this.socket?.close('the metrics manager is stopping');
  }

  /** Reads the location and connects to it unless already there; one refresh at a time. */
  private refresh(): void {
    this.refreshing = this.refreshing.then(() => this.refreshOnce()).catch((error: unknown) => {
      this.options.logger.warn('reading the topology manager location failed; retrying', { error: messageOf(error) });
      this.scheduleRetry();
    });
  }

  private async refreshOnce(): Promise<void> {
    if (this.closed) return;
    const { state, topology, logger } = this.options;
    const location = await state.find('tmanagers', topology);
    const target = location && addressOf(location);
    if (target === this.target && this.socket?.isOpen) return;
    if (this.socket?.isOpen) {
      logger.info('the topology manager moved; reconnecting', { from: this.target, to: target ?? 'nowhere yet' });
      this.socket.close('the topology manager moved');
    }
    this.socket = undefined;
    this.target = target;
    this.ready = false;
    if (location && target) this.open(location, target);
  }

  private open(location: ProtoTManagerLocation, target: string): void {
    const { logger } = this.options;
    const raw = connect(location.serverPort, location.host);
    const socket: FramedSocket = new FramedSocket(raw, TMANAGER_MAX_FRAME_BYTES, {
      onFrame: () => {
        // Nothing is expected on a metrics connection.
      },
      onClose: (reason) => {
        if (this.socket !== socket) return;
        this.socket = undefined;
        this.ready = false;
        if (this.closed) return;
        logger.debug('topology manager connection closed; retrying', { target, reason });
        this.scheduleRetry();
      },
    });
    raw.once('connect', () => {
      if (this.socket !== socket) return;
      this.ready = true;
      logger.info('connected to the topology manager', { target });
    });
    this.socket = socket;
    this.raw = raw;
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.refresh(), this.options.reconnectMs);
  }
}

function addressOf(location: ProtoTManagerLocation): string {
  return `${location.host}:${location.serverPort}`;
}
