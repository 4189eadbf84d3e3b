import { createRequire } from 'node:module';
import type { z } from 'zod';

/** zod's `z`. */
export type Zod = typeof z;

let loaded: Zod | undefined;

/**
 * zod, loaded on first use. The API is loaded from dist/ as plain modules, shared with the topology's code
 * (scripts/bundle-entry-points.mjs says why), and only spec files need zod: a topology built in code, in the `egret`
 * command and in every instance's task thread, should not pay for loading it (about 45 ms of CPU on this machine).
 * The build writes dist/api/zod.cjs, zod in one CommonJS file, which can be loaded synchronously; through Node's
 * resolution zod would be some hundred files. Egret's bundled processes take their zod from here too, so that a
 * process holds one copy of it (scripts/bundle-entry-points.mjs).
 */
export function zod(): Zod {
  return (loaded ??= (createRequire(import.meta.url)('./zod.cjs') as { z: Zod }).z);
}
