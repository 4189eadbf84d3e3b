import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { ConfigValue } from '../../api/config-value.js';
import { messageOf } from '../errors.js';
import type { ConfigLayer } from './config.js';
import { ConfigError } from './config-error.js';
import { displayPath } from './config-source.js';

/**
 * Reads one cluster YAML file into a config layer. The file is a map of dotted keys (`egret.scheduler`) to values;
 * an empty file is an empty layer. Every key remembers its line. Throws CONFIG_SYNTAX with file, line and column.
 */
export function readYamlConfigFile(file: string): ConfigLayer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${displayPath(file)}: ${messageOf(error)}`, { code: 'CONFIG_SYNTAX', cause: error });
  }
  return parseYamlConfig(text, file);
}

/** Parses YAML text as {@link readYamlConfigFile} does; `file` names it in messages and sources. */
export function parseYamlConfig(text: string, file: string): ConfigLayer {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const [firstError] = doc.errors;
  if (firstError) {
    const pos = firstError.linePos?.[0];
    const where = pos ? `${displayPath(file)}:${pos.line}:${pos.col}` : displayPath(file);
    throw new ConfigError(`${where}: invalid YAML: ${firstError.message.split('\n')[0]}`, { code: 'CONFIG_SYNTAX' });
  }
  const values = new Map<string, { value: ConfigValue; source: { kind: 'file'; file: string; line: number } }>();
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { source: { kind: 'file', file }, values };
  }
  if (!isMap(contents)) {
    throw new ConfigError(`${displayPath(file)}: expected a map of keys to values (key: value lines), found ${isScalar(contents) ? 'a single value' : 'a list'}`, { code: 'CONFIG_SYNTAX' });
  }
  for (const pair of contents.items) {
    const keyNode = pair.key;
    const offset = isScalar(keyNode) && keyNode.range ? keyNode.range[0] : 0;
    const line = lineCounter.linePos(offset).line;
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string' || keyNode.value === '') {
      throw new ConfigError(`${displayPath(file)}:${line}: keys must be non-empty strings such as 'egret.scheduler'`, { code: 'CONFIG_SYNTAX' });
    }
    const valueNode = pair.value as { toJS?: (doc: unknown) => unknown } | null;
    const value = (valueNode && typeof valueNode.toJS === 'function' ? valueNode.toJS(doc) : null) as ConfigValue;
    values.set(keyNode.value, { value, source: { kind: 'file', file, line } });
  }
  return { source: { kind: 'file', file }, values };
}
