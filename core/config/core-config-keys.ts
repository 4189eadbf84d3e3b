import { PLUGIN_SELECTION_KEYS } from '../plugins/plugin-descriptor.js';
import { PLUGINS_KEY } from '../plugins/external-plugin-loader.js';
import { RUNTIME_CONFIG_KEYS } from './runtime-config.js';

/** The `egret.*` keys Egret's core reads (plugins declare their own in their schemas). */
export const CORE_CONFIG_KEYS: readonly string[] = [...Object.values(PLUGIN_SELECTION_KEYS), PLUGINS_KEY, ...RUNTIME_CONFIG_KEYS];
