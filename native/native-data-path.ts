import { messageOf } from '../core/errors.js';
import { type DataPath, DataPathError, type DataPathEvent, type DataPathOptions, type DataPathRouting, type DataPathStats } from './data-path-types.js';
import { loadAddon, type NativeDataPathHandle, type NativeDataPathOptions } from './load-addon.js';

const MiB = 1024 * 1024;
const DEFAULTS = { maxFrameBytes: 10 * MiB, batchMaxBytes: 256 * 1024, drainIntervalMs: 0.5, backPressureHighBytes: 16 * MiB, backPressureLowBytes: 8 * MiB };
const REQUEST_ID_BYTES = 32;

function invalid(message: string): DataPathError {
  return new DataPathError(message, { code: 'DATA_PATH_INVALID_OPTIONS' });
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  return value;
}

/** Fills in defaults and checks ranges, so the addon only ever sees sane values. */
export function nativeOptions(options: DataPathOptions): NativeDataPathOptions {
  if (!/^unix(-abstract)?:./.test(options.localEndpoint)) {
    throw invalid(`localEndpoint must be unix:/path or unix-abstract:name, got '${options.localEndpoint}'`);
  }
  if (options.dataHost.length === 0) throw invalid('dataHost must not be empty');
  const maxFrameBytes = checkInteger('maxFrameBytes', options.maxFrameBytes ?? DEFAULTS.maxFrameBytes, 1024, 2 ** 31 - 1);
  const drainIntervalMs = options.drainIntervalMs ?? DEFAULTS.drainIntervalMs;
  if (!(drainIntervalMs >= 0 && drainIntervalMs <= 60_000)) throw invalid(`drainIntervalMs must be from 0 to 60000, got ${String(drainIntervalMs)}`);
  const backPressureHighBytes = checkInteger('backPressureHighBytes', options.backPressureHighBytes ?? DEFAULTS.backPressureHighBytes, 1, 2 ** 50);
  // Without an explicit low mark, half the high one: a default larger than a small high mark would never release.
  const backPressureLowBytes = checkInteger(
    'backPressureLowBytes',
    options.backPressureLowBytes ?? Math.min(DEFAULTS.backPressureLowBytes, Math.floor(backPressureHighBytes / 2)),
    0,
    backPressureHighBytes,
  );
  return {
    localEndpoint: options.localEndpoint,
    dataHost: options.dataHost,
    dataPort: checkInteger('dataPort', options.dataPort, 0, 65_535),
    maxFrameBytes,
    // A batch must fit in a frame its receiver accepts, header included.
    batchMaxBytes: checkInteger('batchMaxBytes', options.batchMaxBytes ?? Math.min(DEFAULTS.batchMaxBytes, maxFrameBytes - 1024), 1, maxFrameBytes - 1024),
    drainIntervalUs: Math.round(drainIntervalMs * 1000),
    topologyName: options.topologyName,
    topologyId: options.topologyId,
    backPressureHighBytes,
    backPressureLowBytes,
  };
}

/** {@link DataPath} over the addon's handle: argument checks, typed errors, and listeners. */
export class NativeDataPath implements DataPath {
  private readonly handle: NativeDataPathHandle;
  private readonly listeners: Array<(event: DataPathEvent) => void> = [];
  private closed = false;

  constructor(options: DataPathOptions) {
    const listeners = this.listeners;
    // The addon holds this function for as long as its thread runs; it must not hold the facade or the handle,
    // or an unclosed data path could never be garbage collected (and its thread never stopped).
    const dispatch = (event: DataPathEvent): void => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          // Node 20 swallows (with a deprecation warning) what a thread-safe function's callback throws: rethrow
          // it outside the addon, where it is an uncaught exception like any listener's.
          process.nextTick(() => {
            throw error;
          });
        }
      }
    };
    let addon;
    try {
      addon = loadAddon();
    } catch (error) {
      throw new DataPathError(`cannot load the stream manager addon (build it with \`npm run install\`): ${messageOf(error)}`, { code: 'DATA_PATH_ADDON_MISSING', cause: error });
    }
    this.handle = new addon.DataPathHandle(nativeOptions(options), dispatch);
  }

  async start(): Promise<{ readonly dataPort: number }> {
    this.checkOpen('start');
    try {
      return { dataPort: this.handle.start() };
    } catch (error) {
      const message = messageOf(error);
      const code = message.includes('already started') ? 'DATA_PATH_STATE' : 'DATA_PATH_START_FAILED';
      throw new DataPathError(`cannot start the data path: ${message}`, { code, cause: error });
    }
  }

  setRouting(routing: DataPathRouting): void {
    this.checkOpen('setRouting');
    if (routing.messageTimeoutMs !== undefined && !(Number.isInteger(routing.messageTimeoutMs) && routing.messageTimeoutMs >= 0 && routing.messageTimeoutMs <= 2 ** 31 - 1)) {
      throw new DataPathError(`cannot apply the routing of ${routing.stmgrId}: messageTimeoutMs must be an integer from 0 (never) to 2^31-1, got ${String(routing.messageTimeoutMs)}`, {
        code: 'DATA_PATH_INVALID_ROUTING',
      });
    }
    try {
      this.handle.setRouting(routing);
    } catch (error) {
      throw new DataPathError(`cannot apply the routing of ${routing.stmgrId}: ${messageOf(error)}`, { code: 'DATA_PATH_INVALID_ROUTING', cause: error });
    }
  }

  attachTask(connectionId: number, taskId: number): void {
    this.checkOpen('attachTask');
    this.handle.attachTask(checkId('connectionId', connectionId), checkId('taskId', taskId));
  }

  attachPeer(connectionId: number, stmgrId: string): void {
    this.checkOpen('attachPeer');
    this.handle.attachPeer(checkId('connectionId', connectionId), stmgrId);
  }

  setPeerHello(frame: { readonly messageType: string; readonly payload: Buffer }, reconnectIntervalMs: number): void {
    this.checkOpen('setPeerHello');
    checkType(frame.messageType);
    this.handle.setPeerHello(frame.messageType, frame.payload, checkInteger('reconnectIntervalMs', reconnectIntervalMs, 1, 3_600_000));
  }

  send(connectionId: number, messageType: string, payload: Buffer, requestId?: Buffer): void {
    this.checkOpen('send');
    checkType(messageType);
    if (requestId !== undefined && requestId.length !== REQUEST_ID_BYTES) throw invalid(`a request id has ${REQUEST_ID_BYTES} bytes, got ${requestId.length}`);
    this.handle.send(checkId('connectionId', connectionId), messageType, payload, requestId);
  }

  closeConnection(connectionId: number, reason: string): void {
    this.checkOpen('closeConnection');
    this.handle.closeConnection(checkId('connectionId', connectionId), reason);
  }

  stats(): DataPathStats {
    this.checkOpen('stats');
    return this.handle.stats();
  }

  onEvent(listener: (event: DataPathEvent) => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    this.closed = true;
    return this.handle.close();
  }

  private checkOpen(method: string): void {
    if (this.closed) throw new DataPathError(`${method}() called after close()`, { code: 'DATA_PATH_STATE' });
  }
}

function checkId(name: string, value: number): number {
  return checkInteger(name, value, 0, 2 ** 31 - 1);
}

function checkType(messageType: string): void {
  const bytes = Buffer.byteLength(messageType, 'latin1');
  if (bytes === 0 || bytes > 256 || !/^[\x21-\x7e]+$/.test(messageType)) throw invalid(`message type '${messageType}' must be 1 to 256 printable ASCII characters`);
}
