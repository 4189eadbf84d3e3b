import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigMap } from '../../../api/config-value.js';
import { TUPLE_SERIALIZER_KEY, type TupleSerializer } from '../../../api/serializer.js';
import { messageOf } from '../../../core/errors.js';
import { InstanceError } from '../instance-error.js';
import { egretValueCodec, valueCodecOf, type ValueCodec } from './value-codec.js';

/**
 * The value codec `topology.serializer` asks for: `egret` (also when unset), or a module whose exports, or default
 * export, have `serialize` and `deserialize` functions. A path starting with `.` or `/` is resolved from the package
 * directory; another name is resolved as a package from there. Throws INSTANCE_SERIALIZER_INVALID saying what was
 * wrong with the key's value.
 */
export async function loadValueCodec(config: ConfigMap, packageDir: string): Promise<ValueCodec> {
  const name = config[TUPLE_SERIALIZER_KEY] ?? 'egret';
  if (name === 'egret') return egretValueCodec;
  if (typeof name !== 'string' || name === '') {
    throw new InstanceError(`${TUPLE_SERIALIZER_KEY}: expected 'egret' or a module path, got ${JSON.stringify(name)}`, { code: 'INSTANCE_SERIALIZER_INVALID' });
  }
  let module: Record<string, unknown>;
  let file: string;
  try {
    file = name.startsWith('.') || isAbsolute(name) ? resolve(packageDir, name) : createRequire(join(packageDir, 'egret-package.json')).resolve(name);
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InstanceError(`${TUPLE_SERIALIZER_KEY}: cannot load '${name}' from ${packageDir}: ${messageOf(error)}`, { code: 'INSTANCE_SERIALIZER_INVALID', cause: error });
  }
  const serializer = [module, module['default']].find(isSerializer);
  if (!serializer) {
    throw new InstanceError(`${TUPLE_SERIALIZER_KEY}: ${file} exports no serialize and deserialize functions (as named exports or on its default export)`, {
      code: 'INSTANCE_SERIALIZER_INVALID',
    });
  }
  return valueCodecOf(serializer, name);
}

function isSerializer(value: unknown): value is TupleSerializer {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['serialize'] === 'function' && typeof candidate['deserialize'] === 'function';
}
