#!/usr/bin/env node
// `egret-instance`: one spout or bolt task of a running topology (runtime/README.md), started by the executor.
import { runInstance } from '../runtime/instance/run-instance.js';

const code = await runInstance(process.argv.slice(2));
// Logs go to stderr through winston's stream pipeline: let it drain before leaving.
await new Promise<void>((resolve) => setImmediate(resolve));
process.stderr.write('', () => process.exit(code));
