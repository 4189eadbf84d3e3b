import type { Message, Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayPath } from '../config/config-source.js';
import { TopologyError } from '../../api/topology-error.js';

/** Egret's own entry points, which a topology module imports as `egret`, `egret/api` or `egret/spi`. */
const EGRET_ENTRIES: Readonly<Record<string, URL>> = {
  egret: new URL('../../api/index.js', import.meta.url),
  'egret/api': new URL('../../api/index.js', import.meta.url),
  'egret/spi': new URL('../spi/index.js', import.meta.url),
};

/**
 * Points `egret` imports at this very copy of Egret instead of bundling one: the topology and the engine then share
 * one set of classes, and a bundle stays small.
 */
const egretImports: Plugin = {
  name: 'egret-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^egret(\/.*)?$/ }, (args) => {
      const entry = EGRET_ENTRIES[args.path];
      if (!entry) return { errors: [{ text: `'${args.path}' is not an entry point of egret (use 'egret', 'egret/api' or 'egret/spi')` }] };
      return { path: entry.href, external: true };
    });
  },
};

/**
 * Bundles a topology module (TypeScript or JavaScript) with everything it imports, except Node's built-ins and
 * Egret itself, into one ES module with an inline source map, to be written at `outfile`. Throws TOPOLOGY_LOAD_FAILED with `file:line:column`
 * for syntax errors and unresolvable imports.
 */
export async function bundleTopologyModule(file: string, outfile: string): Promise<string> {
  try {
    // Loaded here: every runtime process reads packages through core/package, which exports the package builder
    // too, and only `egret submit` bundles; loading esbuild's API costs each of them tens of milliseconds of CPU.
    // Required, not imported: esbuild's API is a CommonJS file, and Node's ES module loader first scans such a file
    // for its exports, 10 ms of the submit's CPU for this one.
    const { build } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const result = await build({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      // Not written (write: false), but named so that the source map's paths are right relative to where it will be.
      outfile,
      write: false,
      logLevel: 'silent',
      plugins: [egretImports],
      // CommonJS dependencies bundled into an ES module need a `require` for Node's built-ins.
      banner: { js: "import { createRequire as __egretCreateRequire } from 'node:module'; const require = __egretCreateRequire(import.meta.url);" },
    });
    const [output] = result.outputFiles;
    if (!output) throw new Error('esbuild produced no output');
    return output.text;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors || errors.length === 0) throw error;
    const lines = errors.slice(0, 5).map(describeMessage);
    throw new TopologyError(lines.length === 1 ? (lines[0] ?? '') : lines.join('\n'), { code: 'TOPOLOGY_LOAD_FAILED', problems: lines, cause: error });
  }
}

function describeMessage(message: Message): string {
  const location = message.location;
  if (!location) return message.text;
  const file = location.file.startsWith('file:') ? fileURLToPath(location.file) : resolve(location.file);
  return `${displayPath(file)}:${location.line}:${location.column + 1}: ${message.text}`;
}
