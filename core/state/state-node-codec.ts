import {
  ProtoExecutionState,
  ProtoMetricsCacheLocation,
  ProtoPackingPlan,
  ProtoPhysicalPlan,
  ProtoSchedulerLocation,
  ProtoStatefulConsistentCheckpoints,
  ProtoTManagerLocation,
  ProtoTopology,
} from '../proto/index.js';
import { messageOf } from '../errors.js';
import { StateManagerError, STATE_TOPOLOGY_NAME_PATTERN, type StateNodeKind, type StateNodeTypes } from '../spi/state-manager.js';

/**
 * The bytes of a state node are the raw encoded protobuf message of its kind, with no framing (Heron's layout), so
 * that tools reading Heron's tree read ours. Every state manager encodes and decodes through this file.
 */

/** What the generated message classes offer that the codec needs. */
interface MessageClass<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  verify(message: Record<string, unknown>): string | null;
  toObject(message: T, options: Record<string, unknown>): Record<string, unknown>;
}

const MESSAGE_CLASSES: { readonly [K in StateNodeKind]: MessageClass<StateNodeTypes[K]> } = {
  topologies: ProtoTopology,
  packingplans: ProtoPackingPlan,
  pplans: ProtoPhysicalPlan,
  executionstate: ProtoExecutionState,
  tmanagers: ProtoTManagerLocation,
  metricscaches: ProtoMetricsCacheLocation,
  schedulers: ProtoSchedulerLocation,
  statefulcheckpoints: ProtoStatefulConsistentCheckpoints,
} as const;

function messageClassOf<K extends StateNodeKind>(kind: K): MessageClass<StateNodeTypes[K]> {
  const messageClass = MESSAGE_CLASSES[kind] as MessageClass<StateNodeTypes[K]> | undefined;
  if (!messageClass) throw new StateManagerError(`'${String(kind)}' is not a kind of state node`, { code: 'STATE_INVALID' });
  return messageClass;
}

/** `packingplans/word-count`: how messages name a node. */
export function describeStateNode(kind: StateNodeKind, topology: string): string {
  return `${kind}/${topology}`;
}

/**
 * Checks that `topology` can name a node; called by every state-manager method before it touches the backend.
 * Throws STATE_INVALID naming the name and the rule.
 */
export function checkTopologyName(topology: string): void {
  if (typeof topology !== 'string' || !STATE_TOPOLOGY_NAME_PATTERN.test(topology)) {
    throw new StateManagerError(`'${String(topology)}' cannot name a topology's state node: expected letters, digits, '_', '-' or '.', not starting with '.'`, {
      code: 'STATE_INVALID',
    });
  }
}

/**
 * Encodes the message a node of `kind` holds. Throws STATE_INVALID, naming the node and the field, when protobufjs's
 * verify rejects it (a plain object without a required field, a field of the wrong type), so a write that would
 * not decode again never reaches the backend. (A message built with `create` has every field, defaults included.)
 */
export function encodeStateNode<K extends StateNodeKind>(kind: K, topology: string, value: StateNodeTypes[K]): Uint8Array {
  const messageClass = messageClassOf(kind);
  const problem = value === null || typeof value !== 'object' ? 'not a message' : messageClass.verify(value as unknown as Record<string, unknown>);
  if (problem) {
    throw new StateManagerError(`cannot write state node ${describeStateNode(kind, topology)}: ${problem}`, { code: 'STATE_INVALID' });
  }
  return messageClass.encode(value).finish();
}

/**
 * Decodes a node's bytes as the message of its kind. Throws STATE_CORRUPTED naming the node and `backend` (where
 * the bytes came from) when they are not that message.
 */
export function decodeStateNode<K extends StateNodeKind>(kind: K, topology: string, bytes: Uint8Array, backend: string): StateNodeTypes[K] {
  try {
    return messageClassOf(kind).decode(bytes);
  } catch (error) {
    throw new StateManagerError(`state node ${describeStateNode(kind, topology)} in ${backend} is corrupted (${bytes.length} bytes that are not a ${kind} message): ${messageOf(error)}`, {
      code: 'STATE_CORRUPTED',
      cause: error,
    });
  }
}

/**
 * A decoded message as plain JSON for people and scripts (`egret state`): field names as in the .proto's JSON
 * mapping, enums by name, 64-bit integers as decimal strings, bytes as base64.
 */
export function stateNodeToJson<K extends StateNodeKind>(kind: K, value: StateNodeTypes[K]): Record<string, unknown> {
  return messageClassOf(kind).toObject(value, { enums: String, longs: String, bytes: String, json: true });
}
