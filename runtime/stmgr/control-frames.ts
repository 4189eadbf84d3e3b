import { heron } from '../../core/proto/index.js';
import type { DataPath, DataPathConnection } from '../../native/data-path-types.js';
import { MessageTypes } from '../common/message-types.js';
import { assignsHere, type LocalInstances } from './local-instances.js';

import system = heron.proto.system;
import stmgr = heron.proto.stmgr;

/** What the control plane decided about a control frame, for its log. */
export type ControlOutcome =
  | { readonly kind: 'instance-registered'; readonly taskId: number }
  | { readonly kind: 'instance-refused'; readonly reason: string }
  | { readonly kind: 'peer-accepted'; readonly peer: string }
  | { readonly kind: 'peer-refused'; readonly reason: string }
  | { readonly kind: 'peer-answered'; readonly peer: string | undefined; readonly status: string; readonly reason?: string }
  | { readonly kind: 'unexpected'; readonly reason: string };

/** What answering a control frame needs to know. */
export interface ControlContext {
  readonly dataPath: DataPath;
  readonly topology: { readonly name: string; readonly id: string };
  readonly stmgrId: string;
  readonly instances: LocalInstances;
  /** The current physical plan, sent with an accepted registration. */
  readonly plan: () => system.PhysicalPlan | undefined;
  /** Whether a stream manager id may say hello: one of the packing plan's or the physical plan's. */
  readonly isKnownPeer: (stmgrId: string) => boolean;
}

/**
 * Answers one frame the data path passed up (native/PROTOCOL.md §2): an instance's RegisterInstanceRequest (attach
 * the task, answer OK with the plan when it puts the task here, or NOTOK saying why: the first connection of a task
 * keeps it), a peer's StrMgrHelloRequest (attach the peer, or NOTOK), and a peer's StrMgrHelloResponse to this side's
 * hello. Anything else, or a payload that does not decode, closes that connection. Never throws.
 */
export function handleControlFrame(context: ControlContext, connection: DataPathConnection, messageType: string, requestId: Buffer, payload: Buffer): ControlOutcome {
  const { dataPath } = context;
  const unexpected = (reason: string): ControlOutcome => {
    dataPath.closeConnection(connection.id, reason);
    return { kind: 'unexpected', reason };
  };
  try {
    if (messageType === MessageTypes.REGISTER_INSTANCE_REQUEST && connection.kind === 'instance') {
      return registerInstance(context, connection, requestId, stmgr.RegisterInstanceRequest.decode(payload));
    }
    if (messageType === MessageTypes.STMGR_HELLO_REQUEST && connection.kind === 'peer-in') {
      return helloFromPeer(context, connection, requestId, stmgr.StrMgrHelloRequest.decode(payload));
    }
    if (messageType === MessageTypes.STMGR_HELLO_RESPONSE && connection.kind === 'peer-out') {
      const { status } = stmgr.StrMgrHelloResponse.decode(payload);
      return { kind: 'peer-answered', peer: connection.stmgrId, status: system.StatusCode[status.status] ?? String(status.status), ...(status.message ? { reason: status.message } : {}) };
    }
  } catch (error) {
    return unexpected(`${messageType} does not decode: ${error instanceof Error ? error.message : String(error)}`);
  }
  return unexpected(`unexpected ${messageType} on ${connection.kind === 'instance' ? 'an' : 'a'} ${connection.kind} connection`);
}

function registerInstance(context: ControlContext, connection: DataPathConnection, requestId: Buffer, request: stmgr.RegisterInstanceRequest): ControlOutcome {
  const decision = context.instances.register(connection.id, request);
  const answer = (status: system.Status.$Properties, plan?: system.PhysicalPlan) =>
    context.dataPath.send(connection.id, MessageTypes.REGISTER_INSTANCE_RESPONSE, Buffer.from(stmgr.RegisterInstanceResponse.encode({ status, pplan: plan }).finish()), requestId);
  if (!decision.accepted) {
    answer({ status: system.StatusCode.NOTOK, message: decision.message });
    return { kind: 'instance-refused', reason: decision.message };
  }
  context.dataPath.attachTask(connection.id, decision.taskId);
  // Without the plan when it does not put the task here yet (a task an update added or moved): the next one will.
  const plan = context.plan();
  answer({ status: system.StatusCode.OK }, plan && assignsHere(plan, context.stmgrId, decision.taskId) ? plan : undefined);
  return { kind: 'instance-registered', taskId: decision.taskId };
}

function helloFromPeer(context: ControlContext, connection: DataPathConnection, requestId: Buffer, hello: stmgr.StrMgrHelloRequest): ControlOutcome {
  const { topology } = context;
  let refusal: string | undefined;
  if (hello.topologyName !== topology.name || hello.topologyId !== topology.id) {
    refusal = `hello from ${hello.stmgr} of topology '${hello.topologyName}' (id ${hello.topologyId}); this is '${topology.name}' (id ${topology.id})`;
  } else if (hello.stmgr === context.stmgrId) {
    refusal = `hello from ${hello.stmgr}, which is this stream manager's own id`;
  } else if (!context.isKnownPeer(hello.stmgr)) {
    refusal = `hello from ${hello.stmgr}, which is not a stream manager of this topology`;
  }
  const answer = (status: system.Status.$Properties) =>
    context.dataPath.send(connection.id, MessageTypes.STMGR_HELLO_RESPONSE, Buffer.from(stmgr.StrMgrHelloResponse.encode({ status }).finish()), requestId);
  if (refusal) {
    answer({ status: system.StatusCode.NOTOK, message: refusal });
    return { kind: 'peer-refused', reason: refusal };
  }
  context.dataPath.attachPeer(connection.id, hello.stmgr);
  answer({ status: system.StatusCode.OK });
  return { kind: 'peer-accepted', peer: hello.stmgr };
}
