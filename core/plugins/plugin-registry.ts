import { type PluginDescriptor, type PluginFamily } from './plugin-descriptor.js';
import { descriptorProblems } from './plugin-descriptor-validation.js';
import { PluginError } from './plugin-error.js';

/** Where a registered plugin came from. */
export type PluginOrigin =
  | { readonly kind: 'built-in' }
  /** Loaded from `egret.plugins`: the specifier as written, the file it resolved to, and where it was declared. */
  | { readonly kind: 'external'; readonly specifier: string; readonly resolved: string; readonly declaredIn: string };

export interface RegisteredPlugin {
  readonly descriptor: PluginDescriptor;
  readonly origin: PluginOrigin;
}

const BUILT_IN: PluginOrigin = { kind: 'built-in' };

/**
 * The plugins this process knows, by family and name. The entry points (bin/) register the built-in ones; external
 * ones are added by loadExternalPlugins. Registration validates the descriptor, so nothing malformed gets in.
 */
export class PluginRegistry {
  private readonly plugins = new Map<string, RegisteredPlugin>();
  private readonly modules = new Map<string, RegisteredPlugin[]>();

  /** A registry holding the built-in `plugins` (each validated as {@link register} does). */
  static of(plugins: readonly PluginDescriptor[]): PluginRegistry {
    const registry = new PluginRegistry();
    for (const plugin of plugins) registry.register(plugin);
    return registry;
  }

  /**
   * The plugins an external module registered, if it was loaded into this registry already: a process that builds
   * several containers from one config loads each module once.
   */
  loadedModule(resolved: string): readonly RegisteredPlugin[] | undefined {
    return this.modules.get(resolved);
  }

  /** Records what an external module registered (see {@link loadedModule}). */
  markModuleLoaded(resolved: string, plugins: readonly RegisteredPlugin[]): void {
    this.modules.set(resolved, [...plugins]);
  }

  /**
   * Registers a descriptor. Throws PLUGIN_MALFORMED listing every problem of a bad descriptor, and PLUGIN_DUPLICATE
   * when the family already has a plugin of that name.
   */
  register(descriptor: unknown, origin: PluginOrigin = BUILT_IN): RegisteredPlugin {
    const where = origin.kind === 'external' ? ` from ${origin.specifier} (${origin.resolved})` : '';
    const problems = descriptorProblems(descriptor);
    if (problems.length > 0) {
      const name = typeof (descriptor as { name?: unknown } | null)?.name === 'string' ? ` '${(descriptor as { name: string }).name}'` : '';
      throw new PluginError(`malformed plugin descriptor${name}${where}: ${problems.join('; ')}`, { code: 'PLUGIN_MALFORMED' });
    }
    const valid = descriptor as PluginDescriptor;
    const key = `${valid.family}/${valid.name}`;
    const existing = this.plugins.get(key);
    if (existing) {
      const before = existing.origin.kind === 'external' ? `from ${existing.origin.specifier}` : 'built in';
      throw new PluginError(`a ${valid.family} plugin named '${valid.name}'${where} is already registered (${before})`, { code: 'PLUGIN_DUPLICATE' });
    }
    const registered = Object.freeze({ descriptor: valid, origin });
    this.plugins.set(key, registered);
    return registered;
  }

  find(family: PluginFamily, name: string): RegisteredPlugin | undefined {
    return this.plugins.get(`${family}/${name}`);
  }

  /** The names registered in a family, sorted. */
  names(family: PluginFamily): string[] {
    return this.all()
      .filter((p) => p.descriptor.family === family)
      .map((p) => p.descriptor.name)
      .sort();
  }

  all(): RegisteredPlugin[] {
    return [...this.plugins.values()];
  }

  /** Every config key some registered plugin's schema owns. */
  knownConfigKeys(): Set<string> {
    return new Set(this.all().flatMap((p) => Object.keys(p.descriptor.configSchema.shape)));
  }
}
