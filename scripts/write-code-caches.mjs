// Writes the V8 code caches of the cached CommonJS files (core/cached-commonjs.ts), for scripts/cached-modules.mjs,
// which runs it with the Node options of a topology's processes: `node [options] scripts/write-code-caches.mjs <dist>
// <zod.cjs> <egret-proto.cjs>`.
// Each file is exercised the way Egret's processes use it, so that the functions they call on start are in the
// cache too: for zod, building and checking a few schemas (a process builds its config schemas and parses its package
// manifest and runtime config on start). Building and checking a small schema right after loading took 13-16 ms
// with a cache of the loading alone, 8.5-9.5 ms with this.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, zodFile, protoFile] = process.argv.slice(2);
const { writeCodeCache } = await import(pathToFileURL(join(dist, 'core', 'cached-commonjs.js')).href);

writeCodeCache(zodFile, ({ z }) => {
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
});
writeCodeCache(protoFile);
