import type { PluginDescriptor } from '../core/plugins/plugin-descriptor.js';
import { localLauncherPlugin } from './local/local-launcher-plugin.js';
import { localSchedulerPlugin } from './local/local-scheduler-plugin.js';

/** The built-in scheduler and launcher plugins. */
export const schedulerPlugins: readonly PluginDescriptor[] = [localSchedulerPlugin, localLauncherPlugin];
