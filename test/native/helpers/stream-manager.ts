/**
 * A stream manager for tests: the real data path with a minimal control plane in front of it, accepting every
 * registration of a task of its own container and every peer hello.
 */
import { randomBytes } from 'node:crypto';
import { heron } from '../../../core/proto/generated/egret-proto.js';
import { createDataPath, type DataPath, type DataPathEvent, type DataPathOptions, type DataPathRouting } from '../../../native/index.js';
import { REGISTER_INSTANCE_REQUEST, REGISTER_INSTANCE_RESPONSE } from './fake-instance.js';

export const STRMGR_HELLO_REQUEST = 'heron.proto.stmgr.StrMgrHelloRequest';
export const STRMGR_HELLO_RESPONSE = 'heron.proto.stmgr.StrMgrHelloResponse';

export interface TestStreamManager {
  readonly dataPath: DataPath;
  readonly endpoint: string;
  readonly dataPort: number;
  readonly events: DataPathEvent[];
  /** Connection id → task, for every registration accepted. */
  readonly registered: Map<number, number>;
  close(): Promise<void>;
}

/** A fresh abstract endpoint name, so parallel tests never meet. */
export function testEndpoint(stmgrId = 'stmgr-1'): string {
  return `unix-abstract:egret-test/${process.pid}/${randomBytes(6).toString('hex')}/${stmgrId}`;
}

const OK = heron.proto.system.StatusCode.OK;
const NOTOK = heron.proto.system.StatusCode.NOTOK;

/**
 * Starts a data path for `stmgrId`. Registrations of the routing's tasks hosted by `stmgrId` are accepted (others
 * get NOTOK and are closed); hellos are accepted. Call setRouting yourself (peers' ports are known only once every
 * stream manager has started).
 */
export async function startStreamManager(stmgrId: string, options: Partial<DataPathOptions> = {}): Promise<TestStreamManager> {
  const endpoint = options.localEndpoint ?? testEndpoint(stmgrId);
  const dataPath = createDataPath({ localEndpoint: endpoint, dataHost: '127.0.0.1', dataPort: 0, topologyName: 'topology', topologyId: 'topology-1', ...options });
  const events: DataPathEvent[] = [];
  const registered = new Map<number, number>();
  let routing: DataPathRouting | undefined;
  const originalSetRouting = dataPath.setRouting.bind(dataPath);
  dataPath.setRouting = (next) => {
    routing = next;
    originalSetRouting(next);
  };
  dataPath.onEvent((event) => {
    events.push(event);
    if (event.type !== 'control') return;
    try {
      answer(event);
    } catch (error) {
      // As the real control plane does: a control frame that does not decode closes its connection.
      dataPath.closeConnection(event.connection.id, `${event.messageType} does not decode: ${(error as Error).message}`);
    }
  });
  const answer = (event: Extract<DataPathEvent, { type: 'control' }>): void => {
    if (event.messageType === REGISTER_INSTANCE_REQUEST) {
      const request = heron.proto.stmgr.RegisterInstanceRequest.decode(event.payload);
      const taskId = request.instance.info.taskId;
      const known = routing?.tasks.some((t) => t.taskId === taskId && t.stmgrId === stmgrId) ?? false;
      if (known) {
        dataPath.attachTask(event.connection.id, taskId);
        registered.set(event.connection.id, taskId);
      }
      const response = heron.proto.stmgr.RegisterInstanceResponse.encode({ status: { status: known ? OK : NOTOK, message: known ? undefined : `task ${taskId} is not hosted by ${stmgrId}` } }).finish();
      dataPath.send(event.connection.id, REGISTER_INSTANCE_RESPONSE, Buffer.from(response), event.requestId);
      if (!known) dataPath.closeConnection(event.connection.id, `unknown task ${taskId}`);
    } else if (event.messageType === STRMGR_HELLO_REQUEST) {
      const hello = heron.proto.stmgr.StrMgrHelloRequest.decode(event.payload);
      dataPath.attachPeer(event.connection.id, hello.stmgr);
      const response = heron.proto.stmgr.StrMgrHelloResponse.encode({ status: { status: OK } }).finish();
      dataPath.send(event.connection.id, STRMGR_HELLO_RESPONSE, Buffer.from(response), event.requestId);
    }
  };
  const hello = heron.proto.stmgr.StrMgrHelloRequest.encode({ topologyName: 'topology', topologyId: 'topology-1', stmgr: stmgrId }).finish();
  dataPath.setPeerHello({ messageType: STRMGR_HELLO_REQUEST, payload: Buffer.from(hello) }, 50);
  const { dataPort } = await dataPath.start();
  let closing: Promise<void> | undefined;
  return {
    dataPath,
    endpoint,
    dataPort,
    events,
    registered,
    close: () => (closing ??= dataPath.close()),
  };
}
