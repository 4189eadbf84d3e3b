import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXTRA_CA_CERTS_ENV, HELD_EXTRA_CA_CERTS_ENV, holdExtraCaCerts, restoreExtraCaCerts } from './extra-ca-certs.js';

const FILE = '/etc/corp/ca.pem';

describe('holding NODE_EXTRA_CA_CERTS aside', () => {
  it('moves the variable to the held one, keeping every other variable, and does not touch its argument', () => {
    const env = { PATH: '/bin', [EXTRA_CA_CERTS_ENV]: FILE };
    assert.deepEqual(holdExtraCaCerts(env), { PATH: '/bin', [HELD_EXTRA_CA_CERTS_ENV]: FILE });
    assert.deepEqual(env, { PATH: '/bin', [EXTRA_CA_CERTS_ENV]: FILE });
  });

  it('gives a held value back, and passes a given one through', () => {
    assert.deepEqual(restoreExtraCaCerts({ PATH: '/bin', [HELD_EXTRA_CA_CERTS_ENV]: FILE }), { PATH: '/bin', [EXTRA_CA_CERTS_ENV]: FILE });
    assert.deepEqual(restoreExtraCaCerts({ [EXTRA_CA_CERTS_ENV]: FILE }), { [EXTRA_CA_CERTS_ENV]: FILE });
  });

  it('keeps a held value held through a process that holds it again, and prefers a value given directly', () => {
    assert.deepEqual(holdExtraCaCerts(holdExtraCaCerts({ [EXTRA_CA_CERTS_ENV]: FILE })), { [HELD_EXTRA_CA_CERTS_ENV]: FILE });
    assert.deepEqual(restoreExtraCaCerts({ [EXTRA_CA_CERTS_ENV]: FILE, [HELD_EXTRA_CA_CERTS_ENV]: '/old.pem' }), { [EXTRA_CA_CERTS_ENV]: FILE });
  });

  it('adds nothing when the variable is not set', () => {
    assert.deepEqual(holdExtraCaCerts({ PATH: '/bin' }), { PATH: '/bin' });
    assert.deepEqual(restoreExtraCaCerts({ PATH: '/bin' }), { PATH: '/bin' });
  });
});
