// Writes the V8 code caches of the cached CommonJS files (core/cached-commonjs.ts), for scripts/cached-modules.mjs's
// writeCodeCaches, which runs it with the Node options of a topology's processes: `node [options]
// scripts/write-code-caches.mjs <dist> <kind>=<file>...`, a kind being zod, proto (the messages) or vendor
// (scripts/vendor-packages.mjs).
// Each file is exercised the way Egret's processes use it, so that the functions they call on start are in the
// cache too: for zod, building and checking a few schemas (a process builds its config schemas and parses its package
// manifest and runtime config on start). Building and checking a small schema right after loading took 13-16 ms
// with a cache of the loading alone, 8.5-9.5 ms with this.
// For the vendor file: every package loaded, a container with a binding, and a logger's first line.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const [dist, ...files] = process.argv.slice(2);
const { writeCodeCache } = await import(pathToFileURL(join(dist, 'core', 'cached-commonjs.js')).href);

const exercises = {
  zod: exerciseZod,
  proto: undefined,
  vendor: exerciseVendor,
};

for (const argument of files) {
  const [kind, file] = [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)];
  if (!(kind in exercises) || !file) throw new Error(`write-code-caches: expected <kind>=<file> with a kind of ${Object.keys(exercises).join(', ')}, got '${argument}'`);
  writeCodeCache(file, exercises[kind]);
}

function exerciseZod({ z }) {
  const keys = z.strictObject({
    name: z.string({ error: 'expected a name' }).min(1, { error: 'expected a name' }),
    port: z.number().int().positive().max(65_535).optional(),
    mode: z.enum(['a', 'b']).default('a'),
    ratio: z.number().min(0).max(1).default(0.5),
    on: z.boolean().default(false),
    size: z.union([z.number(), z.string()]).transform((value) => Number(value)),
    list: z.array(z.string()).default([]),
    map: z.record(z.string(), z.number()).optional(),
    url: z.url().optional(),
    kind: z.literal(1),
  });
  const loose = z.object({ nested: keys.partial() }).superRefine(() => undefined);
  for (const value of [{ name: 'x', port: 1, size: '2', kind: 1 }, { name: '', port: -1, extra: true }]) {
    keys.safeParse(value);
    loose.safeParse({ nested: value });
  }
}

function exerciseVendor(vendor) {
  for (const name of Object.keys(vendor)) void vendor[name];
  new vendor.inversify.Container().bind('x').toConstantValue(1);
  const { createLogger, format, transports } = vendor.winston;
  const stream = new Writable({ write: (chunk, encoding, done) => done() });
  createLogger({ format: format.combine(format.timestamp(), format.errors({ stack: true }), format.json()), transports: [new transports.Stream({ stream })] }).info('cached');
}
