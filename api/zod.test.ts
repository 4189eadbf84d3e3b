import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const api = fileURLToPath(new URL('./index.js', import.meta.url));
const loader = new URL('../core/cached-commonjs.js', import.meta.url).href;
const zodFile = fileURLToPath(new URL('./zod.cjs', import.meta.url));

/** Imports the API in a new process, builds a topology in code, then reads a spec; says when zod was loaded. */
const PROBE = `
const { TopologyBuilder, topologyFromSpec } = await import(process.argv[1]);
const { codeCacheUse } = await import(process.argv[2]);
const zodLoaded = () => codeCacheUse(process.argv[3]) !== undefined;
const atImport = zodLoaded();
const builder = new TopologyBuilder();
builder.setSpout('word', { declareOutputFields: (d) => d.declare(['word']), open() {}, nextTuple() {} });
builder.build('t');
const afterBuild = zodLoaded();
topologyFromSpec({ name: 't', spouts: [{ name: 's', outputs: { default: ['w'] } }] }, 'spec.json');
console.log(JSON.stringify({ atImport, afterBuild, afterSpec: zodLoaded() }));
`;

describe('zod in the API', () => {
  it('is loaded only once a spec is read: importing the API and building a topology in code load none', () => {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, api, loader, zodFile], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(output), { atImport: false, afterBuild: false, afterSpec: true });
  });
});
