// Field numbers and wire types are Heron's: bytes computed by hand from (field number << 3 | wire type).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import { heron, ProtoPackingPlan, ProtoTManagerLocation } from './index.js';

const { api, system } = heron.proto;

/** A little-endian IEEE 754 double. */
function double(value: number): number[] {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleLE(value);
  return [...buffer];
}

function hex(bytes: Uint8Array | number[]): string {
  return Buffer.from(bytes).toString('hex');
}

describe('proto wire format', () => {
  it('Resource: double cpu = 1, int64 ram = 2, int64 disk = 3', () => {
    const bytes = system.Resource.encode({ cpu: 1, ram: 2, disk: 3 }).finish();
    assert.equal(hex(bytes), hex([0x09, ...double(1), 0x10, 0x02, 0x18, 0x03]));
  });

  it('Resource: 64 GiB of RAM is a varint int64', () => {
    const bytes = system.Resource.encode({ cpu: 0.5, ram: 64 * 2 ** 30, disk: 0 }).finish();
    // 2^36 in base-128 groups, least significant first: five groups of 0, then 2^36 >> 35 = 2.
    assert.equal(hex(bytes), hex([0x09, ...double(0.5), 0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x18, 0x00]));
  });

  it('RootId: int32 taskid = 1, sfixed64 key = 2 (little-endian two\'s complement)', () => {
    const key = Long.fromBits(0x89abcdef, 0x01234567);
    const bytes = system.RootId.encode({ taskid: 5, key }).finish();
    assert.equal(hex(bytes), hex([0x08, 0x05, 0x11, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01]));
    const negative = system.RootId.encode({ taskid: 5, key: Long.fromInt(-2) }).finish();
    assert.equal(hex(negative), hex([0x08, 0x05, 0x11, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
  });

  it('RootId: a decoded key stays a 64-bit Long, sign and all', () => {
    const key = Long.fromString('-8070450532247928833'); // 0x8fffffffffffffff
    const decoded = system.RootId.decode(system.RootId.encode({ taskid: 7, key }).finish());
    assert.ok(Long.isLong(decoded.key));
    assert.ok(key.equals(decoded.key as Long));
    assert.equal(decoded.key.toString(), '-8070450532247928833');
  });

  it('InstancePlan: string component_name = 1, int32 task_id = 2, int32 component_index = 3, Resource resource = 4', () => {
    const bytes = system.InstancePlan.encode({ componentName: 'a', taskId: 1, componentIndex: 0, resource: { cpu: 0.5, ram: 1024, disk: 0 } }).finish();
    const resource = [0x09, ...double(0.5), 0x10, 0x80, 0x08, 0x18, 0x00];
    assert.equal(hex(bytes), hex([0x0a, 0x01, 0x61, 0x10, 0x01, 0x18, 0x00, 0x22, resource.length, ...resource]));
  });

  it('ContainerPlan: requiredResource = 3, scheduledResource = 4', () => {
    const r = { cpu: 0, ram: 1, disk: 1 };
    const bytes = system.ContainerPlan.encode({ id: 1, requiredResource: r, scheduledResource: r }).finish();
    const resource = [0x09, ...double(0), 0x10, 0x01, 0x18, 0x01];
    assert.equal(hex(bytes), hex([0x08, 0x01, 0x1a, resource.length, ...resource, 0x22, resource.length, ...resource]));
  });

  it('OutputStream: our direct flag is field 100 (tag varint 0xa0 0x06)', () => {
    const bytes = api.OutputStream.encode({ stream: { id: 's', componentName: 'c' }, schema: {}, direct: true }).finish();
    const streamId = [0x0a, 0x01, 0x73, 0x12, 0x01, 0x63];
    assert.equal(hex(bytes), hex([0x0a, streamId.length, ...streamId, 0x12, 0x00, 0xa0, 0x06, 0x01]));
  });

  it('Config.KeyValue: JSON_VALUE is enum value 100 in field 4', () => {
    const bytes = api.Config.KeyValue.encode({ key: 'k', value: '1', type: api.ConfigValueType.JSON_VALUE }).finish();
    assert.equal(hex(bytes), hex([0x0a, 0x01, 0x6b, 0x12, 0x01, 0x31, 0x20, 0x64]));
  });

  it('TManagerLocation: fields 1 to 6', () => {
    const bytes = ProtoTManagerLocation.encode({ topologyName: 't', topologyId: 'i', host: 'h', controllerPort: 1, serverPort: 2, statsPort: 3 }).finish();
    assert.equal(hex(bytes), hex([0x0a, 0x01, 0x74, 0x12, 0x01, 0x69, 0x1a, 0x01, 0x68, 0x20, 0x01, 0x28, 0x02, 0x30, 0x03]));
  });

  it('Topology: state is enum field 5', () => {
    const bytes = api.Topology.encode({ id: 'i', name: 'n', state: api.TopologyState.PAUSED }).finish();
    assert.equal(hex(bytes), hex([0x0a, 0x01, 0x69, 0x12, 0x01, 0x6e, 0x28, 0x02]));
  });

  it('a message missing a required field does not decode', () => {
    // Resource with cpu only: ram and disk are required.
    assert.throws(() => system.Resource.decode(Uint8Array.from([0x09, ...double(1)])), /missing required 'ram'/);
    // TManagerLocation without host (field 3).
    assert.throws(() => ProtoTManagerLocation.decode(Uint8Array.from([0x0a, 0x01, 0x74, 0x12, 0x01, 0x69, 0x20, 0x01, 0x28, 0x02])), /missing required 'host'/);
    // PackingPlan without id.
    assert.throws(() => ProtoPackingPlan.decode(Uint8Array.from([])), /missing required 'id'/);
  });

  it('a Config.KeyValue without a type (as Heron writes strings) reads as STRING_VALUE', () => {
    const decoded = api.Config.KeyValue.decode(Uint8Array.from([0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76]));
    assert.equal(decoded.value, 'v');
    assert.equal(decoded.type, api.ConfigValueType.STRING_VALUE);
  });
});
