#!/usr/bin/env node
// The `egret` command. It runs the bundle of its composition root, dist/bundle/egret-command.js (scripts/build.mjs
// makes it; the command then starts in well under half the CPU time, and `egret submit` and `egret kill` are on the
// clock), or the compiled modules when EGRET_UNBUNDLED is set or no bundle was built.
import { existsSync } from 'node:fs';
import { unbundledRequested } from '../core/submit/installed-entry-point.js';

const bundle = new URL('../bundle/egret-command.js', import.meta.url);
await import(!unbundledRequested() && existsSync(bundle) ? bundle.href : './egret-command.js');
