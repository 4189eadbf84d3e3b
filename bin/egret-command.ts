// The composition root of the `egret` command (bin/egret.ts starts it, bundled or not): the CLI and the built-in
// plugins it chooses from.
import { runCli } from '../core/cli/egret-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  registry: async () => (await import('./built-in-plugins.js')).builtInRegistry(),
});
