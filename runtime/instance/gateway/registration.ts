import { randomBytes } from 'node:crypto';
import { heron } from '../../../core/proto/index.js';
import { REQUEST_ID_BYTES } from '../../protocol/frames.js';

import stmgr = heron.proto.stmgr;
import system = heron.proto.system;
import { instanceIdOf, stmgrIdOf } from '../../common/runtime-ids.js';

/** Who an instance says it is when it registers. */
export interface InstanceIdentity {
  readonly topologyName: string;
  readonly topologyId: string;
  readonly container: number;
  readonly taskId: number;
  /** Empty when not given on the command line: the stream manager then knows the task by its id alone. */
  readonly component: string;
  /** -1 when not given. */
  readonly componentIndex: number;
}

/** `container_<c>_<component>_<task>`, Heron's instance id (PROTOCOL.md §2). */
export function instanceId(identity: InstanceIdentity): string {
  return instanceIdOf(identity.container, identity.component, identity.taskId);
}

/** The RegisterInstanceRequest of an instance, and the request id its response will carry. */
export function registrationRequest(identity: InstanceIdentity): { payload: Uint8Array; requestId: Buffer } {
  const payload = stmgr.RegisterInstanceRequest.encode({
    instance: {
      instanceId: instanceId(identity),
      stmgrId: stmgrIdOf(identity.container),
      info: { taskId: identity.taskId, componentIndex: identity.componentIndex, componentName: identity.component },
    },
    topologyName: identity.topologyName,
    topologyId: identity.topologyId,
  }).finish();
  return { payload, requestId: randomBytes(REQUEST_ID_BYTES) };
}

/** A decoded registration response: accepted with the plan when the stream manager has one, or refused. */
export type RegistrationOutcome =
  | { readonly accepted: true; readonly plan: Uint8Array | undefined }
  | { readonly accepted: false; readonly status: string; readonly message: string };

/** Reads a RegisterInstanceResponse; throws protobufjs's error for a payload that is not one. */
export function registrationOutcome(payload: Uint8Array): RegistrationOutcome {
  const response = stmgr.RegisterInstanceResponse.decode(payload);
  if (response.status.status === system.StatusCode.OK) {
    return { accepted: true, plan: response.pplan ? system.PhysicalPlan.encode(response.pplan).finish() : undefined };
  }
  return { accepted: false, status: system.StatusCode[response.status.status] ?? String(response.status.status), message: response.status.message ?? '' };
}

/** The plan of a NewInstanceAssignmentMessage, re-encoded on its own. */
export function assignedPlan(payload: Uint8Array): Uint8Array {
  return system.PhysicalPlan.encode(stmgr.NewInstanceAssignmentMessage.decode(payload).pplan).finish();
}
