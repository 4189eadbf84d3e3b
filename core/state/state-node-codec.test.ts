import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heron, ProtoExecutionState, ProtoTManagerLocation, ProtoTopology } from '../proto/index.js';
import { StateManagerError, STATE_NODE_KINDS } from '../spi/state-manager.js';
import { checkTopologyName, decodeStateNode, encodeStateNode, stateNodeToJson } from './state-node-codec.js';

function code(expected: string, fragment?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof StateManagerError, String(error));
    assert.equal(error.code, expected);
    if (fragment) assert.ok(error.message.includes(fragment), error.message);
    return true;
  };
}

describe('the state node codec', () => {
  it('stores the raw encoded message, as Heron does, and reads it back', () => {
    const location = ProtoTManagerLocation.create({ topologyName: 't', topologyId: 't-1', host: 'h', controllerPort: 1, serverPort: 2 });
    const bytes = encodeStateNode('tmanagers', 't', location);
    assert.deepEqual(bytes, ProtoTManagerLocation.encode(location).finish());
    assert.deepEqual(stateNodeToJson('tmanagers', decodeStateNode('tmanagers', 't', bytes, 'here')), { topologyName: 't', topologyId: 't-1', host: 'h', controllerPort: 1, serverPort: 2 });
  });

  it('fails bytes that are not the kind’s message with STATE_CORRUPTED naming the node and the backend', () => {
    for (const kind of STATE_NODE_KINDS) {
      assert.throws(() => decodeStateNode(kind, 'x', Buffer.from('not a protobuf message'), 'the test tree'), code('STATE_CORRUPTED', `${kind}/x in the test tree`));
    }
    // Valid protobuf, but a topology needs its id and state.
    assert.throws(() => decodeStateNode('topologies', 'x', Buffer.from([0x12, 0x01, 0x78]), 'here'), code('STATE_CORRUPTED', "missing required 'id'"));
  });

  it('refuses to encode what would not decode (STATE_INVALID, naming the field)', () => {
    assert.throws(() => encodeStateNode('topologies', 't', { name: 't' } as unknown as ProtoTopology), code('STATE_INVALID', 'topologies/t: id'));
    assert.throws(() => encodeStateNode('executionstate', 't', null as unknown as ProtoExecutionState), code('STATE_INVALID', 'not a message'));
  });

  it('shows enums by name and 64-bit integers as decimal strings', () => {
    const topology = ProtoTopology.create({ id: 'i', name: 'n', state: heron.proto.api.TopologyState.PAUSED });
    assert.equal(stateNodeToJson('topologies', topology)['state'], 'PAUSED');
    const execution = decodeStateNode(
      'executionstate',
      't',
      encodeStateNode('executionstate', 't', ProtoExecutionState.create({ topologyName: 't', topologyId: 'i', cluster: 'c', environ: 'e', role: 'r', submissionTime: 1_700_000_000 })),
      'here',
    );
    assert.equal(stateNodeToJson('executionstate', execution)['submissionTime'], '1700000000');
  });

  it('accepts topology names that can name a node and nothing else', () => {
    for (const good of ['word-count', 'a_b', 'v1.2', '0']) checkTopologyName(good);
    for (const bad of ['', '.', '..', '.x', 'a/b', '../etc', 'a b', 'ü']) assert.throws(() => checkTopologyName(bad), code('STATE_INVALID'), bad);
  });
});
