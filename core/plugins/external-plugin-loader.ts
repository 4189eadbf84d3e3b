import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config/config.js';
import { describeSource, displayPath } from '../config/config-source.js';
import { messageOf } from '../errors.js';
import { resolveModule } from './module-resolution.js';
import { PluginError } from './plugin-error.js';
import type { PluginRegistry, RegisteredPlugin } from './plugin-registry.js';

/** The key listing external plugin modules: npm package names or paths relative to the file that lists them. */
export const PLUGINS_KEY = 'egret.plugins';

/**
 * Loads the modules listed in `egret.plugins` and registers the descriptors they export (`default`, or `plugins`,
 * each a descriptor or an array of them). Throws PLUGIN_LOAD_FAILED for a module that cannot be found or fails to
 * load, PLUGIN_MALFORMED for one that exports no valid descriptor; each message names the list entry and its file.
 */
export async function loadExternalPlugins(config: Config, registry: PluginRegistry): Promise<RegisteredPlugin[]> {
  const entry = config.entry(PLUGINS_KEY);
  if (!entry || entry.value === null) return [];
  const where = describeSource(entry.source);
  const specifiers = typeof entry.value === 'string' ? [entry.value] : entry.value;
  if (!Array.isArray(specifiers) || !specifiers.every((s): s is string => typeof s === 'string' && s.trim() !== '')) {
    throw new PluginError(`${where}: ${PLUGINS_KEY}: expected a list of npm package names or module paths, got ${JSON.stringify(entry.value)}`, {
      code: 'PLUGIN_LOAD_FAILED',
    });
  }
  const baseDir = entry.source.kind === 'file' ? dirname(entry.source.file) : process.cwd();
  const registered: RegisteredPlugin[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const label = `${where}: ${PLUGINS_KEY}[${index}] '${specifier}'`;
    const resolved = resolveModule(specifier, baseDir);
    if (!resolved) {
      throw new PluginError(`${label}: no such module (looked ${specifier.startsWith('.') ? `at ${displayPath(baseDir)}/${specifier}` : `for the package in node_modules above ${displayPath(baseDir)}`})`, {
        code: 'PLUGIN_LOAD_FAILED',
      });
    }
    const already = registry.loadedModule(resolved);
    if (already) {
      registered.push(...already);
      continue;
    }
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    } catch (error) {
      throw new PluginError(`${label}: loading ${displayPath(resolved)} failed: ${messageOf(error)}`, { code: 'PLUGIN_LOAD_FAILED', cause: error });
    }
    const exported = module['default'] ?? module['plugins'];
    if (exported === undefined) {
      throw new PluginError(`${label}: ${displayPath(resolved)} exports no plugin descriptor (expected a default export or 'plugins': a descriptor or an array of them)`, {
        code: 'PLUGIN_MALFORMED',
      });
    }
    const fromModule: RegisteredPlugin[] = [];
    for (const descriptor of Array.isArray(exported) ? exported : [exported]) {
      try {
        fromModule.push(registry.register(descriptor, { kind: 'external', specifier, resolved, declaredIn: where }));
      } catch (error) {
        if (error instanceof PluginError) throw new PluginError(`${label}: ${error.message}`, { code: error.code, cause: error });
        throw error;
      }
    }
    registry.markModuleLoaded(resolved, fromModule);
    registered.push(...fromModule);
  }
  return registered;
}
