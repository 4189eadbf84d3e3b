import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packageFileName } from './package-location.js';

const runtime = { topologyName: 'word-count', topologyId: 'word-count-1', cluster: 'prod', role: 'ads', environment: 'staging', submitUser: 'ann' };

describe('package locations', () => {
  it('names the package after its topology', () => {
    assert.equal(packageFileName(runtime), 'word-count.tar.gz');
  });
});
