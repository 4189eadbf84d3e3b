import type { z } from 'zod';
import { requireCached } from '../core/cached-commonjs.js';

/** zod's `z`. */
export type Zod = typeof z;

let loaded: Zod | undefined;

/**
 * zod, loaded on first use. The API is loaded from dist/ as plain modules, shared with the topology's code
 * (scripts/bundle-entry-points.mjs says why), and only spec files need zod: a topology built in code, in the `egret`
 * command and in every instance's task thread, should not pay for loading it (about 45 ms of CPU on this machine).
 * The build writes dist/api/zod.cjs, zod in one CommonJS file, which can be loaded synchronously; through Node's
 * resolution zod would be some hundred files. It is loaded with its V8 code cache (core/cached-commonjs.ts), which
 * halves the cost. Egret's bundled processes take their zod from here too, so that a process holds one copy of it
 * (scripts/bundle-entry-points.mjs).
 */
export function zod(): Zod {
  return (loaded ??= (requireCached(new URL('./zod.cjs', import.meta.url)) as { z: Zod }).z);
}
