import type { ConfigMap, ConfigValue } from '../../api/config-value.js';
import { heron } from './generated/egret-proto.js';
import { ProtoCodecError } from './proto-codec-error.js';

type ProtoConfig = heron.proto.api.Config.$Properties;
type ProtoKeyValue = heron.proto.api.Config.KeyValue.$Properties;

const ValueType = heron.proto.api.ConfigValueType;

/**
 * A config map as a Heron `Config`: strings as STRING_VALUE (so Heron's tools read them as they are), every
 * other value as its JSON text with type JSON_VALUE. `where` names the owner in errors ("component 'split'").
 * Throws {@link ProtoCodecError} (PROTO_UNENCODABLE) for a value JSON cannot carry exactly.
 */
export function configToProto(config: ConfigMap, where: string): ProtoConfig {
  return { kvs: Object.entries(config).map(([key, value]) => keyValueToProto(key, value, where)) };
}

/** One entry, as {@link configToProto} writes it. */
export function keyValueToProto(key: string, value: ConfigValue, where: string): ProtoKeyValue {
  if (typeof value === 'string') return { key, value, type: ValueType.STRING_VALUE };
  checkJsonable(value, () => `${where}: config key '${key}'`);
  return { key, value: JSON.stringify(value), type: ValueType.JSON_VALUE };
}

/**
 * The reverse of {@link configToProto}. An entry without a type (as older Heron writers leave it) is a string.
 * Throws {@link ProtoCodecError} (PROTO_MALFORMED) naming `where` and the key for bad JSON, a serialized Java or
 * Python value, or a key given twice.
 */
export function configFromProto(config: ProtoConfig | null | undefined, where: string): Record<string, ConfigValue> {
  const result: Record<string, ConfigValue> = {};
  for (const kv of config?.kvs ?? []) {
    if (Object.hasOwn(result, kv.key)) throw malformed(`${where}: config key '${kv.key}' appears twice`);
    result[kv.key] = keyValueFromProto(kv, where);
  }
  return result;
}

/** One entry's value, as {@link configFromProto} reads it. */
export function keyValueFromProto(kv: ProtoKeyValue, where: string): ConfigValue {
  const type = kv.type ?? ValueType.STRING_VALUE;
  switch (type) {
    case ValueType.STRING_VALUE:
      if (typeof kv.value !== 'string') throw malformed(`${where}: config key '${kv.key}' has no value`);
      return kv.value;
    case ValueType.JSON_VALUE:
      try {
        return JSON.parse(kv.value ?? '') as ConfigValue;
      } catch (error) {
        throw malformed(`${where}: config key '${kv.key}' is not valid JSON (${JSON.stringify(kv.value ?? '')})`, error);
      }
    case ValueType.JAVA_SERIALIZED_VALUE:
    case ValueType.PYTHON_SERIALIZED_VALUE:
      throw malformed(`${where}: config key '${kv.key}' holds a serialized ${type === ValueType.JAVA_SERIALIZED_VALUE ? 'Java' : 'Python'} value, which Egret cannot read`);
    default:
      throw malformed(`${where}: config key '${kv.key}' has unknown value type ${String(type)}`);
  }
}

/** JSON drops or rewrites NaN, infinities, undefined and functions; refuse them rather than change the value. */
function checkJsonable(value: unknown, where: () => string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ProtoCodecError(`${where()}: ${value} has no JSON form`, { code: 'PROTO_UNENCODABLE' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item) => checkJsonable(item, where));
    return;
  }
  if (typeof value === 'object') {
    for (const item of Object.values(value)) checkJsonable(item, where);
    return;
  }
  throw new ProtoCodecError(`${where()}: a ${typeof value} is not a config value`, { code: 'PROTO_UNENCODABLE' });
}

function malformed(message: string, cause?: unknown): ProtoCodecError {
  return new ProtoCodecError(message, { code: 'PROTO_MALFORMED', cause });
}
