import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TopologyListEntry } from '../../submit/topology-status-types.js';
import { renderTopologyList } from './list-output.js';

const WC: TopologyListEntry = {
  topology: 'wc',
  id: 'wc-1',
  role: 'alice',
  environment: 'default',
  state: 'PAUSED',
  containers: 2,
  instances: 4,
  instancesRunning: 4,
  submittedBy: 'alice',
  submittedAt: '2023-11-14T22:13:20.000Z',
};

describe('renderTopologyList', () => {
  it('says there is nothing, naming where it looked', () => {
    assert.equal(renderTopologyList({ cluster: 'local', role: null, environment: null, topologies: [] }), "no topologies are running in cluster 'local'\n");
    assert.equal(renderTopologyList({ cluster: 'local', role: 'bob', environment: 'prod', topologies: [] }), "no topologies are running in cluster 'local', role 'bob', environment 'prod'\n");
  });

  it('prints one row per topology, and a PROBLEM column only when one has a problem', () => {
    assert.equal(
      renderTopologyList({ cluster: 'local', role: null, environment: null, topologies: [WC] }),
      'TOPOLOGY  ROLE   ENV      STATE   CONTAINERS  INSTANCES  RUNNING  SUBMITTED BY  SUBMITTED AT\n' + 'wc        alice  default  PAUSED  2           4          4        alice         2023-11-14T22:13:20.000Z\n',
    );
    const broken: TopologyListEntry = { topology: 'half', id: null, role: null, environment: null, state: null, containers: null, instances: null, instancesRunning: null, submittedBy: null, submittedAt: null, problem: 'no execution state' };
    const lines = renderTopologyList({ cluster: 'local', role: null, environment: null, topologies: [broken, WC] }).trimEnd().split('\n');
    assert.match(lines[0] ?? '', /SUBMITTED AT\s+PROBLEM$/);
    assert.match(lines[1] ?? '', /^half(\s+-){8}\s+no execution state$/);
    assert.match(lines[2] ?? '', /^wc\s+alice\s+default\s+PAUSED\s+2\s+4\s+4\s+alice\s+2023-11-14T22:13:20\.000Z$/);
  });
});
