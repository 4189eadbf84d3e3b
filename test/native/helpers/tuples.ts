/**
 * The data messages of native/PROTOCOL.md §3, encoded and decoded with core/proto's generated classes: what a
 * real instance sends and receives.
 */
import { heron } from '../../../core/proto/generated/egret-proto.js';
import { encodeFrame } from '../../../runtime/protocol/frames.js';

export const HERON_TUPLE_SET = 'heron.proto.system.HeronTupleSet';
export const HERON_TUPLE_SET2 = 'heron.proto.system.HeronTupleSet2';

/** One tuple as a test writes it: its values' bytes, and destinations for direct or custom grouping. */
export interface TestTuple {
  readonly values: readonly Buffer[];
  readonly destTaskIds?: readonly number[];
  readonly key?: bigint;
  readonly roots?: ReadonlyArray<{ readonly taskid: number; readonly key: bigint }>;
}

/** A RootId or an AckTuple as the tests write and read them. */
export interface TestRoot {
  readonly taskid: number;
  readonly key: bigint;
}
export interface TestAckTuple {
  readonly roots: readonly TestRoot[];
  readonly ackedtuple: bigint;
}

/** A tuple as an instance received it. */
export interface ReceivedTuple {
  readonly srcTaskId: number;
  readonly component: string;
  readonly stream: string;
  readonly values: Buffer[];
  readonly key: bigint;
  /** How many roots it carries; `rootIds` lists them. */
  readonly roots: number;
  readonly rootIds: readonly TestRoot[];
}

/** The control part of a HeronTupleSet2 an instance received (acks and fails for a spout). */
export interface ReceivedControl {
  readonly srcTaskId: number;
  readonly acks: readonly TestAckTuple[];
  readonly fails: readonly TestAckTuple[];
  readonly emits: readonly TestAckTuple[];
}

function toLong(value: bigint): { low: number; high: number; unsigned: boolean } {
  const u = BigInt.asUintN(64, value);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned: false };
}

/** The payload of a HeronTupleSet. */
export function encodeTupleSet(srcTaskId: number, component: string, stream: string, tuples: readonly TestTuple[]): Buffer {
  const message = heron.proto.system.HeronTupleSet.create({
    srcTaskId,
    data: {
      stream: { id: stream, componentName: component },
      tuples: tuples.map((t) => ({
        key: toLong(t.key ?? 0n) as never,
        roots: (t.roots ?? []).map((r) => ({ taskid: r.taskid, key: toLong(r.key) as never })),
        values: t.values.map((v) => new Uint8Array(v)),
        destTaskIds: [...(t.destTaskIds ?? [])],
      })),
    },
  });
  return Buffer.from(heron.proto.system.HeronTupleSet.encode(message).finish());
}

/** A whole HeronTupleSet frame. */
export function tupleSetFrame(srcTaskId: number, component: string, stream: string, tuples: readonly TestTuple[]): Buffer {
  return encodeFrame(HERON_TUPLE_SET, encodeTupleSet(srcTaskId, component, stream, tuples));
}

function longToBigInt(value: unknown): bigint {
  if (typeof value === 'number') return BigInt(value);
  const long = value as { low: number; high: number };
  return BigInt.asIntN(64, (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0));
}

function acksOf(list: readonly heron.proto.system.IAckTuple[] | null | undefined): TestAckTuple[] {
  return (list ?? []).map((a) => ({ roots: (a.roots ?? []).map((r) => ({ taskid: r.taskid, key: longToBigInt(r.key) })), ackedtuple: longToBigInt(a.ackedtuple) }));
}

/** The control part of a HeronTupleSet2 payload, if it has one. */
export function decodeControl2(payload: Uint8Array): ReceivedControl | undefined {
  const set = heron.proto.system.HeronTupleSet2.decode(payload);
  if (!set.control) return undefined;
  return { srcTaskId: set.srcTaskId, acks: acksOf(set.control.acks), fails: acksOf(set.control.fails), emits: acksOf(set.control.emits) };
}

/** A HeronTupleSet frame carrying only control tuples, as a bolt acks or fails its inputs. */
export function controlFrame(srcTaskId: number, control: { readonly acks?: readonly TestAckTuple[]; readonly fails?: readonly TestAckTuple[] }): Buffer {
  const acks = (list: readonly TestAckTuple[] = []) => list.map((a) => ({ roots: a.roots.map((r) => ({ taskid: r.taskid, key: toLong(r.key) as never })), ackedtuple: toLong(a.ackedtuple) as never }));
  const message = heron.proto.system.HeronTupleSet.create({ srcTaskId, control: { acks: acks(control.acks), fails: acks(control.fails) } });
  return encodeFrame(HERON_TUPLE_SET, Buffer.from(heron.proto.system.HeronTupleSet.encode(message).finish()));
}

/** The tuples of a HeronTupleSet2 payload, each decoded as the HeronDataTuple the source wrote. */
export function decodeTupleSet2(payload: Uint8Array): ReceivedTuple[] {
  const set = heron.proto.system.HeronTupleSet2.decode(payload);
  if (!set.data) return [];
  const { id, componentName } = set.data.stream;
  return (set.data.tuples ?? []).map((bytes) => {
    const tuple = heron.proto.system.HeronDataTuple.decode(bytes);
    return {
      srcTaskId: set.srcTaskId,
      component: componentName,
      stream: id,
      values: tuple.values.map((v) => Buffer.from(v)),
      key: longToBigInt(tuple.key),
      roots: tuple.roots.length,
      rootIds: tuple.roots.map((r) => ({ taskid: r.taskid, key: longToBigInt(r.key) })),
    };
  });
}

/** The fields grouping hash of PROTOCOL.md §4, written independently of the addon's: FNV-1a 64. */
export function fieldsHash(values: readonly Buffer[]): bigint {
  let hash = 14695981039346656037n;
  const mix = (byte: number): void => {
    hash ^= BigInt(byte);
    hash = (hash * 1099511628211n) & 0xffffffffffffffffn;
  };
  for (const value of values) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(value.length);
    for (const byte of length) mix(byte);
    for (const byte of value) mix(byte);
  }
  return fmix64(hash);
}

/** MurmurHash3's 64-bit finalizer, as native/src/fnv.h applies it. */
function fmix64(k: bigint): bigint {
  const M = 0xffffffffffffffffn;
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & M;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & M;
  return k ^ (k >> 33n);
}
