import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtoTopology } from '../../core/proto/index.js';
import { StateManagerError, STATE_NODE_KINDS, type StateManagerErrorCode, type StateNodeKind, type StateNodeTypes } from '../../core/spi/state-manager.js';
import { stateNodeToJson } from '../../core/state/state-node-codec.js';
import { contractContext, type ContractContext, type StateManagerContractTarget } from './statemgr-context.js';
import { lockAndWatchContract } from './statemgr-locks-watches.js';
import { processContract } from './statemgr-processes.js';
import { sampleNode } from './statemgr-samples.js';

export type { StateManagerContractTarget } from './statemgr-context.js';

/**
 * The contract every `StateManager` keeps (core/spi/state-manager.ts), as node:test suites. An implementation's
 * test file calls this once with its target; an external plugin's author can run it on theirs the same way.
 * Registers: nodes (create / set / get / find / delete of every kind, the failure codes), watches, locks,
 * ephemeral nodes and multi-process races and crashes.
 */
export function stateManagerContract(target: StateManagerContractTarget): void {
  describe(`StateManager contract: ${target.name}`, () => {
    const context = contractContext(target);
    nodeContract(context);
    lockAndWatchContract(context);
    processContract(context);
  });
}

/** An assert.rejects matcher: a StateManagerError with `code` whose message mentions every fragment. */
export function stateError(code: StateManagerErrorCode, ...fragments: string[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof StateManagerError, `expected a StateManagerError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `'${error.message}' should mention '${fragment}'`);
    return true;
  };
}

/** Asserts that a read message is `expected` (compared as their JSON forms). */
export function assertSameNode<K extends StateNodeKind>(kind: K, actual: StateNodeTypes[K] | undefined, expected: StateNodeTypes[K]): void {
  assert.ok(actual !== undefined, `${kind}: expected a node`);
  assert.deepEqual(stateNodeToJson(kind, actual), stateNodeToJson(kind, expected));
}

function nodeContract(context: ContractContext): void {
  describe('nodes', () => {
    it('creates, reads, replaces and deletes a node of every kind', async () => {
      const state = await context.open();
      for (const kind of STATE_NODE_KINDS) {
        assert.equal(await state.find(kind, 't1'), undefined, `${kind} starts absent`);
        await state.create(kind, 't1', sampleNode(kind, 't1', 1));
        assertSameNode(kind, await state.get(kind, 't1'), sampleNode(kind, 't1', 1));
        await state.set(kind, 't1', sampleNode(kind, 't1', 2));
        assertSameNode(kind, await state.find(kind, 't1'), sampleNode(kind, 't1', 2));
        await state.delete(kind, 't1');
        assert.equal(await state.find(kind, 't1'), undefined, `${kind} deleted`);
        await state.delete(kind, 't1');
        await state.set(kind, 't1', sampleNode(kind, 't1', 3));
        assertSameNode(kind, await state.get(kind, 't1'), sampleNode(kind, 't1', 3));
      }
    });

    it('refuses to create a node that exists (STATE_NODE_EXISTS), leaving it as it was', async () => {
      const state = await context.open();
      for (const kind of STATE_NODE_KINDS) {
        await state.create(kind, 'dup', sampleNode(kind, 'dup', 1));
        await assert.rejects(state.create(kind, 'dup', sampleNode(kind, 'dup', 2)), stateError('STATE_NODE_EXISTS', `${kind}/dup`));
        assertSameNode(kind, await state.get(kind, 'dup'), sampleNode(kind, 'dup', 1));
      }
    });

    it('fails get of an absent node with STATE_NO_NODE naming it; find gives undefined', async () => {
      const state = await context.open();
      for (const kind of STATE_NODE_KINDS) {
        await assert.rejects(state.get(kind, 'absent'), stateError('STATE_NO_NODE', `${kind}/absent`));
        assert.equal(await state.find(kind, 'absent'), undefined);
      }
    });

    it('fails reading bytes that are not the kind’s message with STATE_CORRUPTED naming the node', async () => {
      const state = await context.open();
      await state.listTopologies();
      await context.target.writeRawNodes(
        context.config(),
        STATE_NODE_KINDS.map((kind) => ({ kind, topology: 'bad', text: 'not a protobuf message' })),
      );
      for (const kind of STATE_NODE_KINDS) {
        await assert.rejects(state.get(kind, 'bad'), stateError('STATE_CORRUPTED', `${kind}/bad`));
        await assert.rejects(state.find(kind, 'bad'), stateError('STATE_CORRUPTED', `${kind}/bad`));
      }
      await state.set('packingplans', 'bad', sampleNode('packingplans', 'bad'));
      assertSameNode('packingplans', await state.get('packingplans', 'bad'), sampleNode('packingplans', 'bad'));
    });

    it('lists the topologies whose topology node exists, sorted, and says which are running', async () => {
      const state = await context.open();
      assert.deepEqual(await state.listTopologies(), []);
      for (const name of ['b-topology', 'a_topology', 'c.topology']) await state.create('topologies', name, sampleNode('topologies', name));
      await state.set('packingplans', 'plan-only', sampleNode('packingplans', 'plan-only'));
      assert.deepEqual(await state.listTopologies(), ['a_topology', 'b-topology', 'c.topology']);
      assert.equal(await state.isTopologyRunning('a_topology'), true);
      assert.equal(await state.isTopologyRunning('plan-only'), false);
      await state.delete('topologies', 'b-topology');
      assert.deepEqual(await state.listTopologies(), ['a_topology', 'c.topology']);
    });

    it('refuses names that cannot name a node and malformed messages (STATE_INVALID), writing nothing', async () => {
      const state = await context.open();
      for (const name of ['', '.', '..', '../escape', 'a/b', '.hidden']) {
        await assert.rejects(state.set('topologies', name, sampleNode('topologies', 'x')), stateError('STATE_INVALID'), JSON.stringify(name));
        await assert.rejects(state.find('topologies', name), stateError('STATE_INVALID'), JSON.stringify(name));
      }
      // What a JavaScript caller may hand over: a plain object without the required id and state, a mistyped field.
      const incomplete = { name: 'no-id' } as unknown as ProtoTopology;
      await assert.rejects(state.create('topologies', 'no-id', incomplete), stateError('STATE_INVALID', 'topologies/no-id', 'id'));
      const mistyped = ProtoTopology.create({ id: 42, name: 'no-id', state: 1 } as unknown as ProtoTopology);
      await assert.rejects(state.set('topologies', 'no-id', mistyped), stateError('STATE_INVALID', 'topologies/no-id', 'id: string expected'));
      assert.equal(await state.isTopologyRunning('no-id'), false);
      assert.deepEqual(await state.listTopologies(), []);
    });

    it('shares the tree between state managers', async () => {
      const writer = await context.open();
      const reader = await context.open();
      await writer.create('topologies', 'shared', sampleNode('topologies', 'shared', 7));
      assertSameNode('topologies', await reader.get('topologies', 'shared'), sampleNode('topologies', 'shared', 7));
      await reader.delete('topologies', 'shared');
      assert.equal(await writer.isTopologyRunning('shared'), false);
    });

    it('closes twice without error and refuses calls after close (STATE_CLOSED)', async () => {
      const state = await context.open();
      await state.set('packingplans', 'c', sampleNode('packingplans', 'c'));
      await state.close();
      await state.close();
      await assert.rejects(state.get('packingplans', 'c'), stateError('STATE_CLOSED'));
      await assert.rejects(state.listTopologies(), stateError('STATE_CLOSED'));
      const other = await context.open();
      assertSameNode('packingplans', await other.get('packingplans', 'c'), sampleNode('packingplans', 'c'));
    });
  });
}
