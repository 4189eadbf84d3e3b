import type { ContainerModule } from 'inversify';
import type { z } from 'zod';

/** The plugin families, each selected by one config key. */
export const PLUGIN_FAMILIES = ['scheduler', 'launcher', 'uploader', 'statemgr', 'packing', 'repacking'] as const;
export type PluginFamily = (typeof PLUGIN_FAMILIES)[number];

/** The config key that selects each family's plugin by name. */
export const PLUGIN_SELECTION_KEYS: Readonly<Record<PluginFamily, string>> = {
  scheduler: 'egret.scheduler',
  launcher: 'egret.launcher',
  uploader: 'egret.uploader',
  statemgr: 'egret.statemgr',
  packing: 'egret.packing',
  repacking: 'egret.repacking',
};

/** Plugin names are kebab-case: lower-case letters and digits in dash-separated words (`resource-compliant-rr`). */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The zod schema a plugin gives for the config keys it owns: a `z.object` of dotted keys with defaults. */
export type PluginConfigSchema = z.ZodObject;

/**
 * What a plugin exports so that Egret can load it: built-in plugins register one with the registry; an external
 * plugin's module (named in `egret.plugins`) exports one, or an array of them, as `default` or `plugins`.
 *
 * Loading a plugin means: validate the plugin's keys of the effective config against `configSchema` (applying its
 * defaults), bind the result to `configToken`, then load `module`, which must bind the family's token (`Packing`,
 * `Scheduler`, ...) to the implementation.
 */
export interface PluginDescriptor<Schema extends PluginConfigSchema = PluginConfigSchema> {
  readonly family: PluginFamily;
  /** The name `egret.<family>` selects it by; kebab-case, unique within the family. */
  readonly name: string;
  /** One line for `egret config` and error messages. */
  readonly description: string;
  /**
   * The config keys the plugin reads, with their types and defaults. Keys under `egret.<family>.<name>.` that the
   * schema does not list are rejected as misspellings.
   */
  readonly configSchema: Schema;
  /** Where the validated config is bound for injection. */
  readonly configToken: symbol;
  /**
   * Binds the family's token to the implementation. It may be asynchronous (`new ContainerModule(async (options) =>
   * ...)`, loaded with `loadAsync`), to import a heavy implementation only when the plugin is selected: every
   * process registers every built-in plugin, and only the selected ones are loaded.
   */
  readonly module: ContainerModule;
  /**
   * Whether the plugin may open TLS connections (HTTPS included) in the processes that host it; unset means it may.
   * Declare `false` only for a plugin that never does: where a topology's state manager, uploader and scheduler all
   * declare it, its own processes start without `NODE_EXTRA_CA_CERTS`, which Node 20 loads as each process starts
   * (core/submit/extra-ca-certs.ts).
   */
  readonly usesTls?: boolean;
}

/** The validated config type of a plugin descriptor. */
export type PluginConfigOf<D extends PluginDescriptor> = z.infer<D['configSchema']>;

/** Declares a plugin descriptor with its types inferred; the registry validates it again when it is registered. */
export function definePlugin<Schema extends PluginConfigSchema>(descriptor: PluginDescriptor<Schema>): PluginDescriptor<Schema> {
  return Object.freeze({ ...descriptor });
}
