import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GiB } from '../../api/byte-amount.js';
import { createPackingPlan, type PackingPlan } from '../spi/packing-plan.js';
import { Resource } from '../spi/resource.js';
import { renderPackingPlanTable } from './packing-plan-table.js';

/** The round-robin plan of the classic fixture (spout ×4 with 2 GiB, bolt ×3 with 2 cores, two containers). */
function classicPlan(): PackingPlan {
  const spout = new Resource(1, 2 * GiB, GiB);
  const bolt = new Resource(2, GiB, GiB);
  return createPackingPlan('classic', [
    {
      id: 1,
      instances: [
        { component: 'spout', taskId: 1, componentIndex: 0, resources: spout },
        { component: 'spout', taskId: 3, componentIndex: 2, resources: spout },
        { component: 'bolt', taskId: 5, componentIndex: 0, resources: bolt },
        { component: 'bolt', taskId: 6, componentIndex: 1, resources: bolt },
        { component: 'bolt', taskId: 7, componentIndex: 2, resources: bolt },
      ],
      required: new Resource(9, 9 * GiB, 17 * GiB),
    },
    {
      id: 2,
      instances: [
        { component: 'spout', taskId: 2, componentIndex: 1, resources: spout },
        { component: 'spout', taskId: 4, componentIndex: 3, resources: spout },
      ],
      required: new Resource(3, 6 * GiB, 14 * GiB),
    },
  ]);
}

describe('the packing plan table', () => {
  it('shows one row per container, the totals and the utilisation against required', () => {
    assert.equal(
      renderPackingPlanTable(classicPlan(), { algorithm: 'round-robin' }),
      [
        "packing plan 'classic' (round-robin): 2 containers, 7 instances",
        "cpu, ram, disk: required per container (instances + padding); %: the instances' share of its required resources",
        '',
        'container  instances  cpu     ram    disk  cpu%  ram%  disk%  tasks',
        '        1          5    9   9 GiB  17 GiB   89%   78%    29%  spout#1,3 bolt#5-7',
        '        2          2    3   6 GiB  14 GiB   67%   67%    14%  spout#2,4',
        '    total          7   12  15 GiB  31 GiB   83%   73%    23%',
        '',
      ].join('\n'),
    );
  });

  it('measures utilisation against a capacity when given', () => {
    const table = renderPackingPlanTable(classicPlan(), { algorithm: 'ffd', capacity: new Resource(10, 10 * GiB, 20 * GiB) });
    assert.match(table, /share of a container's capacity \(cpu 10, ram 10 GiB, disk 20 GiB\)/);
    assert.match(table, /^ {8}1 .* 80% +70% +25%  spout#1,3 bolt#5-7$/m);
    assert.match(table, /^ {4}total .* 50% +55% +18%$/m);
  });
});
