// NODE_EXTRA_CA_CERTS on the local cluster, end to end: the shipped clusters' plugins declare that they open no TLS
// connection, so the topology's own processes start with the variable held aside (Node 20 builds its root store as
// a process starts when it is set: core/submit/extra-ca-certs.ts) and the instances, which run user code, get it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { after, describe, it } from 'node:test';
import { builtInRegistry } from '../../bin/built-in-plugins.js';
import { loadClusterConfig } from '../../core/config/cluster-config-loader.js';
import { pluginsUseTls } from '../../core/plugins/plugins-use-tls.js';
import { EXTRA_CA_CERTS_ENV, HELD_EXTRA_CA_CERTS_ENV } from '../../core/submit/extra-ca-certs.js';
import { REPO_ROOT } from '../helpers/run-egret.js';
import { tempDir } from '../helpers/temp-dir.js';
import { E2eCluster } from './e2e-cluster.js';
import { environmentOf } from './process-census.js';

/** A real certificate file, as an operator's NODE_EXTRA_CA_CERTS names one (Node warns on stderr about a bad one). */
const CA_FILE = join(tempDir({ 'ca.pem': `${rootCertificates[0]}\n` }), 'ca.pem');
const cluster = new E2eCluster('local', () => [], { [EXTRA_CA_CERTS_ENV]: CA_FILE });

/** The two variables as /proc holds the environment `pid` was started with. */
function caVariables(pid: number): { given?: string; held?: string } {
  const vars = environmentOf(pid);
  assert.ok(vars, `process ${pid} is gone`);
  const given = vars.get(EXTRA_CA_CERTS_ENV);
  const held = vars.get(HELD_EXTRA_CA_CERTS_ENV);
  return { ...(given === undefined ? {} : { given }), ...(held === undefined ? {} : { held }) };
}

describe('NODE_EXTRA_CA_CERTS on the local cluster', { timeout: 3 * 60_000 }, () => {
  after(() => cluster.cleanUp());

  it('the shipped clusters select plugins that open no TLS connection; an S3 uploader may', () => {
    const registry = builtInRegistry();
    const config = (name: string, properties: readonly string[] = []) => loadClusterConfig({ configPath: join(REPO_ROOT, 'conf'), cluster: name, properties });
    assert.equal(pluginsUseTls(registry, config('local')), false);
    assert.equal(pluginsUseTls(registry, config('localzk')), false);
    assert.equal(pluginsUseTls(registry, config('local', ['egret.uploader=s3'])), true);
  });

  it('starts the instances with it, and every other process of the topology with it held aside', async () => {
    await cluster.submitWordCount({ args: ['2'], extra: ['--config-property', 'topology.stmgrs=2'] });
    const processes = cluster.processes();
    assert.equal(processes.length, 14);
    for (const p of processes) {
      const expected = p.name.startsWith('container_') ? { given: CA_FILE } : { held: CA_FILE };
      assert.deepEqual(caVariables(p.pid), expected, p.name);
    }
    assert.equal(processes.filter((p) => p.name.startsWith('container_')).length, 4);
  });
});
