import { createServer, type Server } from 'node:net';
import type { Logger } from 'winston';
import { messageOf } from '../../core/errors.js';
import { heron } from '../../core/proto/index.js';
import { FramedSocket } from '../common/framed-socket.js';
import { localSocketPath } from '../common/local-endpoint.js';
import { METRICSMGR_MAX_FRAME_BYTES, MetricsMessageTypes } from '../metrics/metrics-message-types.js';
import type { Frame } from '../protocol/frames.js';
import type { PublisherInfo } from './metrics-store.js';

import system = heron.proto.system;

/** What the metrics manager does with its publishers' messages. */
export interface PublisherServerHandlers {
  onRegister(publisher: PublisherInfo): void;
  onPublish(publisher: PublisherInfo, message: system.MetricPublisherPublishMessage): void;
  /** A connection closed: `publisher` is undefined when it never registered. */
  onClose(publisher: PublisherInfo | undefined, reason: string): void;
}

/** A listening {@link listenForPublishers} server. */
export interface PublisherServer {
  /** Publishers connected and registered now. */
  readonly connected: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * Listens on a local endpoint (`unix-abstract:` or `unix:`) for metric publishers. Each connection must register
 * first (answered OK), then send publish messages; anything else (another type, a second registration, a payload
 * that does not decode, a malformed frame) closes that connection only, with the reason logged.
 */
export async function listenForPublishers(endpoint: string, handlers: PublisherServerHandlers, logger: Logger): Promise<PublisherServer> {
  const path = localSocketPath(endpoint);
  if (path === undefined) throw new Error(`cannot listen on '${endpoint}': not a unix: or unix-abstract: endpoint`);
  const sockets = new Set<FramedSocket>();
  let registered = 0;
  const server: Server = createServer((raw) => {
    let publisher: PublisherInfo | undefined;
    const socket: FramedSocket = new FramedSocket(raw, METRICSMGR_MAX_FRAME_BYTES, {
      onFrame: (frame) => {
        if (publisher === undefined) {
          publisher = register(frame);
          registered += 1;
          socket.send(MetricsMessageTypes.PUBLISHER_REGISTER_RESPONSE, system.MetricPublisherRegisterResponse.encode({ status: { status: system.StatusCode.OK } }).finish(), frame.requestId);
          handlers.onRegister(publisher);
        } else {
          handlers.onPublish(publisher, publish(frame));
        }
      },
      onClose: (reason) => {
        sockets.delete(socket);
        if (publisher !== undefined) registered -= 1;
        handlers.onClose(publisher, reason);
      },
    });
    sockets.add(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('the publisher server failed', { error: messageOf(error) }));
  return {
    get connected() {
      return registered;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.close('the metrics manager is stopping');
        server.close(() => resolve());
      }),
  };
}

function register(frame: Frame): PublisherInfo {
  if (frame.messageType !== MetricsMessageTypes.PUBLISHER_REGISTER_REQUEST) {
    throw new Error(`expected ${MetricsMessageTypes.PUBLISHER_REGISTER_REQUEST} first, got '${frame.messageType}'`);
  }
  const { publisher } = decode(system.MetricPublisherRegisterRequest, frame);
  if (publisher.componentName === '' || publisher.instanceId === '') throw new Error('a publisher must name its component and instance id');
  return { component: publisher.componentName, instanceId: publisher.instanceId, instanceIndex: publisher.instanceIndex, hostname: publisher.hostname };
}

function publish(frame: Frame): system.MetricPublisherPublishMessage {
  if (frame.messageType !== MetricsMessageTypes.PUBLISHER_PUBLISH_MESSAGE) {
    throw new Error(`expected ${MetricsMessageTypes.PUBLISHER_PUBLISH_MESSAGE} from a registered publisher, got '${frame.messageType}'`);
  }
  return decode(system.MetricPublisherPublishMessage, frame);
}

function decode<T>(messageClass: { decode(bytes: Uint8Array): T }, frame: Frame): T {
  try {
    return messageClass.decode(frame.payload);
  } catch (error) {
    throw new Error(`${frame.messageType} does not decode: ${messageOf(error)}`);
  }
}
