/**
 * A child process for the uploader contract's crash test: imports a plugin descriptor, builds its uploader as a
 * host would and uploads one package. Arguments: the module URL, the export name, the config values and the
 * runtime as JSON, the package file. Prints `uploading` before it starts and `uploaded <uri>` when done.
 */
import type { PluginDescriptor } from '../../core/plugins/plugin-descriptor.js';
import { uploaderFromPlugin } from './uploader-harness.js';

const [moduleUrl = '', exportName = '', values = '{}', runtime = '{}', packageFile = ''] = process.argv.slice(2);
const plugin = ((await import(moduleUrl)) as Record<string, PluginDescriptor>)[exportName];
if (!plugin) throw new Error(`${moduleUrl} exports no ${exportName}`);
const uploader = await uploaderFromPlugin(plugin, JSON.parse(values), JSON.parse(runtime));
process.stdout.write('uploading\n');
const uri = await uploader.upload(packageFile);
await uploader.close();
process.stdout.write(`uploaded ${uri}\n`);
