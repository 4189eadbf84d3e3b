import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigMap } from '../../api/config-value.js';
import { containersNeededAtLeast, packingWorkload } from '../../bench/packing-workloads.js';
import { FfdPacking } from '../ffd/ffd-packing.js';
import { balancedConfigSchema } from './balanced-config.js';
import { BalancedPacking } from './balanced-packing.js';

// Compares with the real ffd on workloads like the packing benchmark's (bench/packing-workloads.ts), smaller so that
// the test stays quick: 20 components of cpu-, RAM- and disk-heavy instances, under two container shapes.
const config = balancedConfigSchema.parse({});
const SIZES = [40, 100, 400];
const SEEDS = 10;
const SHAPES: readonly ConfigMap[] = [{}, { 'topology.container.max.instances': 10 }];

describe('balanced against ffd', () => {
  it('never uses more containers than ffd on the random workloads, and at least 8 % fewer on average', () => {
    const balanced = new BalancedPacking(config);
    const ffd = new FfdPacking(config);
    const ratios: number[] = [];
    for (const shape of SHAPES) {
      for (const size of SIZES) {
        for (let seed = 1; seed <= SEEDS; seed++) {
          const t = packingWorkload(size * 1000 + seed, size, shape);
          const ours = balanced.pack(t).containers.length;
          const theirs = ffd.pack(t).containers.length;
          assert.ok(ours <= theirs, `${t.name} ${JSON.stringify(shape)}: balanced ${ours} > ffd ${theirs}`);
          assert.ok(ours >= containersNeededAtLeast(t, config), `${t.name}: below the lower bound`);
          ratios.push(ours / theirs);
        }
      }
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    assert.ok(mean <= 0.92, `balanced / ffd containers: mean ${mean.toFixed(3)}`);
  });
});
