import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * Resolves a module specifier the way a user expects from a config file: a path (`./x.js`, `../p`, `/abs`) relative
 * to `baseDir`; a package name from the node_modules above `baseDir`, then above the working directory, then
 * Egret's own. ESM-only packages (whose exports have no `require` condition) are resolved through their
 * package.json. Returns the absolute file, or undefined when nothing is found.
 */
export function resolveModule(specifier: string, baseDir: string): string | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    return resolvePath(isAbsolute(specifier) ? specifier : resolve(baseDir, specifier));
  }
  for (const from of [baseDir, process.cwd(), dirname(new URL(import.meta.url).pathname)]) {
    const found = resolvePackage(specifier, from);
    if (found) return found;
  }
  return undefined;
}

function resolvePath(path: string): string | undefined {
  if (existsSync(path) && statSync(path).isFile()) return path;
  if (existsSync(path) && statSync(path).isDirectory()) return packageEntry(path);
  return undefined;
}

function resolvePackage(specifier: string, from: string): string | undefined {
  try {
    return createRequire(join(from, 'noop.js')).resolve(specifier);
  } catch {
    // Fall through: an ESM-only package, or one not below `from`.
  }
  const [scopeOrName, maybeName, ...rest] = specifier.split('/');
  const packageName = scopeOrName?.startsWith('@') ? `${scopeOrName}/${maybeName}` : (scopeOrName ?? '');
  const subpath = scopeOrName?.startsWith('@') ? rest : [maybeName, ...rest].filter((p): p is string => p !== undefined);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', packageName);
    if (existsSync(join(candidate, 'package.json'))) {
      return subpath.length > 0 ? resolvePath(join(candidate, ...subpath)) : packageEntry(candidate);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The entry file of a package directory: exports["."] (import or default condition), then main, then index.js. */
function packageEntry(dir: string): string | undefined {
  const manifestPath = join(dir, 'package.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: string };
    const target = exportTarget(manifest.exports) ?? manifest.main;
    if (target) return resolvePath(join(dir, target));
  }
  return resolvePath(join(dir, 'index.js'));
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (exports === null || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const root = '.' in map ? map['.'] : map;
  if (typeof root === 'string') return root;
  if (root === null || typeof root !== 'object') return undefined;
  const conditions = root as Record<string, unknown>;
  for (const condition of ['import', 'node', 'default']) {
    const target = exportTarget(conditions[condition]);
    if (target) return target;
  }
  return undefined;
}
