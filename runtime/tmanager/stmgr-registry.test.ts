import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heron } from '../../core/proto/index.js';
import { packingPlanOf, wordCountPackingPlan } from '../../test/helpers/runtime-plans.js';
import { expectedInstancesOf, stmgrIdOf } from '../common/runtime-ids.js';
import { StMgrRegistry } from './stmgr-registry.js';

import system = heron.proto.system;

const plan = wordCountPackingPlan();

function request(container: number, options: { port?: number; pid?: number; instances?: system.Instance[] } = {}): heron.proto.tmanager.StMgrRegisterRequest {
  return heron.proto.tmanager.StMgrRegisterRequest.create({
    stmgr: { id: stmgrIdOf(container), hostName: '127.0.0.1', dataPort: options.port ?? 6000 + container, localEndpoint: `unix-abstract:x/${container}`, pid: options.pid ?? 42 },
    instances: options.instances ?? expectedInstancesOf(plan, container),
  });
}

describe('StMgrRegistry', () => {
  it('waits for every stream manager of the packing plan, with its container’s instances', () => {
    const registry = new StMgrRegistry<string>(plan);
    assert.deepEqual(
      registry.absent().map((a) => a.id),
      ['stmgr-1', 'stmgr-2'],
    );
    assert.deepEqual(registry.register(request(1), 'a', 0), { accepted: true });
    assert.equal(registry.isComplete(), false);
    assert.deepEqual(registry.absent(), [{ id: 'stmgr-2', reason: 'not registered' }]);
    assert.deepEqual(registry.register(request(2), 'b', 0), { accepted: true });
    assert.equal(registry.isComplete(), true);
    assert.deepEqual(
      registry.registrations().map((r) => [r.stmgr.id, r.connection, r.instances.length]),
      [
        ['stmgr-1', 'a', 3],
        ['stmgr-2', 'b', 2],
      ],
    );
  });

  it('refuses an id outside the plan (INVALID_STMGR) and a second live process with a taken id (DUPLICATE_STRMGR)', () => {
    const registry = new StMgrRegistry<string>(plan);
    const invalid = registry.register(request(7), 'x', 0);
    assert.equal(invalid.accepted, false);
    assert.equal(!invalid.accepted && invalid.status, system.StatusCode.INVALID_STMGR);
    assert.match(!invalid.accepted ? invalid.message : '', /stmgr-7 is not a stream manager of packing plan 'wc-1' \(expected: stmgr-1, stmgr-2\)/);
    registry.register(request(1), 'a', 0);
    const duplicate = registry.register(request(1, { port: 7777, pid: 43 }), 'other', 0);
    assert.equal(!duplicate.accepted && duplicate.status, system.StatusCode.DUPLICATE_STRMGR);
    assert.match(!duplicate.accepted ? duplicate.message : '', /already registered by a live process \(host 127\.0\.0\.1, data port 6001, pid 42\)/);
    assert.equal(registry.registrationOf('a')?.stmgr.dataPort, 6001, 'the first registration stays');
  });

  it('lets the same process register again on a new connection, replacing the old one', () => {
    const registry = new StMgrRegistry<string>(plan);
    registry.register(request(1), 'old', 0);
    assert.deepEqual(registry.register(request(1), 'new', 5), { accepted: true, replaced: 'old' });
    assert.equal(registry.remove('old'), undefined, 'the old connection’s close forgets nothing');
    assert.equal(registry.registrationOf('new')?.lastHeardMs, 5);
  });

  it('takes a re-registration on the same connection as an update of the instances', () => {
    const registry = new StMgrRegistry<string>(plan);
    registry.register(request(1, { instances: expectedInstancesOf(plan, 1).slice(0, 1) }), 'a', 0);
    registry.register(request(2), 'b', 0);
    assert.match(registry.absent()[0]?.reason ?? '', /registered tasks \[1\], packing plan 'wc-1' has \[1, 3, 5\]/);
    assert.deepEqual(registry.register(request(1), 'a', 1), { accepted: true });
    assert.equal(registry.isComplete(), true);
  });

  it('refuses instances of another stream manager, and one connection registering two ids', () => {
    const registry = new StMgrRegistry<string>(plan);
    const foreign = registry.register(request(1, { instances: expectedInstancesOf(plan, 2) }), 'a', 0);
    assert.match(!foreign.accepted ? foreign.message : '', /instance container_2_words_2, which names stmgr-2/);
    registry.register(request(1), 'a', 0);
    const second = registry.register(request(2), 'a', 0);
    assert.match(!second.accepted ? second.message : '', /already registered as stmgr-1/);
  });

  it('forgets a closed connection and a silent stream manager, which may then register again', () => {
    const registry = new StMgrRegistry<string>(plan);
    registry.register(request(1), 'a', 0);
    registry.register(request(2), 'b', 0);
    assert.equal(registry.heartbeat('a', 900), true);
    assert.equal(registry.heartbeat('nobody', 900), false);
    assert.deepEqual(
      registry.expire(1000, 1000).map((r) => r.stmgr.id),
      ['stmgr-2'],
    );
    assert.equal(registry.remove('a')?.stmgr.id, 'stmgr-1');
    assert.equal(registry.isComplete(), false);
    assert.deepEqual(registry.register(request(2, { port: 9999, pid: 77 }), 'c', 1000), { accepted: true }, 'no longer live: not a duplicate');
  });

  it('follows a new packing plan: drops stream managers it no longer has and waits for new ones', () => {
    const registry = new StMgrRegistry<string>(plan);
    registry.register(request(1), 'a', 0);
    registry.register(request(2), 'b', 0);
    const next = packingPlanOf('wc-1', { 1: [['words', 1, 0], ['counter', 3, 0], ['sink', 5, 0], ['words', 2, 1]], 3: [['counter', 4, 1]] });
    assert.deepEqual(
      registry.setPackingPlan(next).map((r) => r.connection),
      ['b'],
    );
    assert.deepEqual(
      registry.absent().map((a) => a.id),
      ['stmgr-1', 'stmgr-3'],
    );
    assert.match(registry.absent()[0]?.reason ?? '', /has \[1, 2, 3, 5\]/);
  });
});
