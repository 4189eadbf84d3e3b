import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp-dir.js';
import { stateManagerContract } from './statemgr.js';

const base = tempDir();

stateManagerContract({
  name: 'localfs',
  plugin: { module: fileURLToPath(new URL('../../statemgrs/localfs/localfs-state-manager-plugin.js', import.meta.url)), exportName: 'localFsStateManagerPlugin' },
  freshTree: () => ({ 'egret.statemgr.localfs.root': mkdtempSync(join(base, 'tree-')), 'egret.statemgr.localfs.poll.interval.ms': 200 }),
  writeRawNodes: async (config, nodes) => {
    for (const { kind, topology, text } of nodes) writeFileSync(join(String(config['egret.statemgr.localfs.root']), kind, topology), text);
  },
  // The poll of watches (200 ms here) and of lock waiters notice a dead owner.
  releaseAfterDeathMs: 1000,
});
