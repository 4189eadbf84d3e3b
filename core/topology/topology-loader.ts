import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { TopologyError } from '../../api/topology-error.js';
import { isTopologyDefinition, type TopologyModuleContext } from '../../api/topology-module.js';
import { topologyFromSpec } from '../../api/topology-spec.js';
import { validateTopology } from '../../api/topology-validation.js';
import { displayPath } from '../config/config-source.js';
import { isEgretError, messageOf } from '../errors.js';
import { bundleTopologyModule } from './topology-bundler.js';

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const SPEC_EXTENSIONS = ['.json', '.yaml', '.yml'];

export interface LoadedTopology {
  readonly topology: TopologyDefinition;
  /** The absolute path of the file. */
  readonly file: string;
  /** A module can run; a spec names no code and can only be packed and inspected. */
  readonly kind: 'module' | 'spec';
}

/**
 * Loads and validates a topology from a module (`.ts`/`.js`: its default export is a topology or a function of a
 * {@link TopologyModuleContext} returning one) or a spec file (`.json`/`.yaml`). Throws {@link TopologyError}:
 * TOPOLOGY_FILE_NOT_FOUND, TOPOLOGY_LOAD_FAILED (syntax errors with file:line:column, a module that throws, a
 * wrong default export) or TOPOLOGY_INVALID (every rule broken, by component).
 */
export async function loadTopology(file: string, context: TopologyModuleContext = { args: [], config: {} }): Promise<LoadedTopology> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new TopologyError(`topology file '${file}' does not exist (looked at ${path})`, { code: 'TOPOLOGY_FILE_NOT_FOUND' });
  }
  if (!statSync(path).isFile()) {
    throw new TopologyError(`topology file '${file}' is not a file`, { code: 'TOPOLOGY_FILE_NOT_FOUND' });
  }
  const extension = extname(path).toLowerCase();
  if (SPEC_EXTENSIONS.includes(extension)) {
    return { topology: topologyFromSpec(readSpec(path, extension), displayPath(path)), file: path, kind: 'spec' };
  }
  if (MODULE_EXTENSIONS.includes(extension)) {
    return { topology: await loadModuleTopology(path, context), file: path, kind: 'module' };
  }
  throw new TopologyError(`topology file '${file}': expected a module (${MODULE_EXTENSIONS.join(', ')}) or a spec (${SPEC_EXTENSIONS.join(', ')})`, { code: 'TOPOLOGY_LOAD_FAILED' });
}

function readSpec(path: string, extension: string): unknown {
  const text = readFileSync(path, 'utf8');
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new TopologyError(`${displayPath(path)}${jsonErrorPosition(text, messageOf(error))}: invalid JSON: ${messageOf(error)}`, { code: 'TOPOLOGY_LOAD_FAILED', cause: error });
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    const pos = first.linePos?.[0];
    throw new TopologyError(`${displayPath(path)}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`, { code: 'TOPOLOGY_LOAD_FAILED' });
  }
  return doc.toJS() as unknown;
}

/**
 * `:line:column` of a JSON syntax error, or "". JSON.parse names a position only for some errors, so ask the
 * YAML parser (JSON is YAML) where the text breaks, and fall back to the position in JSON.parse's message.
 */
function jsonErrorPosition(text: string, message: string): string {
  const pos = parseDocument(text, { lineCounter: new LineCounter() }).errors[0]?.linePos?.[0];
  if (pos) return `:${pos.line}:${pos.col}`;
  const match = /position (\d+)/.exec(message);
  if (!match) return '';
  const before = text.slice(0, Number(match[1]));
  return `:${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`;
}

async function loadModuleTopology(path: string, context: TopologyModuleContext): Promise<TopologyDefinition> {
  const dir = mkdtempSync(join(tmpdir(), 'egret-topology-'));
  const bundle = join(dir, `${basename(path, extname(path))}.mjs`);
  let exported: unknown;
  try {
    const code = await bundleTopologyModule(path, bundle);
    writeFileSync(bundle, code);
    process.setSourceMapsEnabled(true);
    const module = (await import(pathToFileURL(bundle).href)) as { default?: unknown };
    exported = module.default;
  } catch (error) {
    if (isEgretError(error)) throw error;
    throw new TopologyError(`loading topology module ${displayPath(path)} failed: ${describeThrown(error)}`, { code: 'TOPOLOGY_LOAD_FAILED', cause: error });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (exported === undefined) {
    throw new TopologyError(`topology module ${displayPath(path)} has no default export (expected \`export default builder.build(name)\` or a function returning a topology)`, {
      code: 'TOPOLOGY_LOAD_FAILED',
    });
  }
  let topology: unknown = exported;
  if (typeof exported === 'function') {
    try {
      topology = await (exported as (context: TopologyModuleContext) => unknown)(context);
    } catch (error) {
      if (isEgretError(error)) throw error;
      throw new TopologyError(`building the topology of ${displayPath(path)} failed: ${describeThrown(error)}`, { code: 'TOPOLOGY_LOAD_FAILED', cause: error });
    }
  }
  if (!isTopologyDefinition(topology)) {
    throw new TopologyError(`the default export of ${displayPath(path)} is not a topology (expected the result of TopologyBuilder.build, or a function returning it)`, {
      code: 'TOPOLOGY_LOAD_FAILED',
    });
  }
  const problems = validateTopology(topology);
  if (problems.length > 0) throw TopologyError.invalid(topology.name, problems);
  return topology;
}

/** The message and where it was thrown (the first stack frame, source-mapped to the user's file). */
function describeThrown(error: unknown): string {
  const message = messageOf(error);
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frame = stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .find((line) => line.startsWith('at ') && !line.includes('node:internal'));
  const location = frame ? /\(?((?:file:\/\/)?\/[^()]+:\d+:\d+)\)?$/.exec(frame)?.[1] : undefined;
  return location ? `${message} (at ${displayPath(location.replace(/^file:\/\//, ''))})` : message;
}
