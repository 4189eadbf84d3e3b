import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { describe, it } from 'node:test';
import { Config, layerOf } from './config.js';
import { configVariables, substituteVariables } from './config-variables.js';

const file = { kind: 'file', file: '/conf/c/uploader.yaml', line: 3 } as const;

describe('substituteVariables', () => {
  it('replaces every variable, inside lists and maps too', () => {
    const config = new Config([layerOf(file, { dir: '${HOME}/x/${CLUSTER}/${ROLE}/${ENVIRON}/${TOPOLOGY}', list: ['${CLUSTER}', 3], map: { a: '${ROLE}' } })]);
    const result = substituteVariables(config, configVariables({ cluster: 'c', role: 'r', environment: 'e', topology: 't' }));
    assert.equal(result.get('dir'), `${homedir()}/x/c/r/e/t`);
    assert.deepEqual(result.get('list'), ['c', 3]);
    assert.deepEqual(result.get('map'), { a: 'r' });
  });

  it('defaults the role to the OS user and the environment to default', () => {
    const variables = configVariables({ cluster: 'c' });
    assert.equal(variables.ENVIRON, 'default');
    assert.ok(variables.ROLE.length > 0);
  });

  it('leaves ${TOPOLOGY} in place while no topology is known', () => {
    const config = new Config([layerOf(file, { dir: '/d/${TOPOLOGY}' })]);
    assert.equal(substituteVariables(config, configVariables({ cluster: 'c' })).get('dir'), '/d/${TOPOLOGY}');
  });

  it('keeps $${NAME} as a literal ${NAME}', () => {
    const config = new Config([layerOf(file, { v: 'cost: $${HOME}' })]);
    assert.equal(substituteVariables(config, configVariables({ cluster: 'c' })).get('v'), 'cost: ${HOME}');
  });

  it('fails on an unknown variable, naming the file, line and key', () => {
    const config = new Config([{ source: { kind: 'file', file: '/conf/c/uploader.yaml' }, values: new Map([['egret.dir', { value: '${HOMEDIR}/x', source: file }]]) }]);
    assert.throws(() => substituteVariables(config, configVariables({ cluster: 'c' })), {
      code: 'CONFIG_UNKNOWN_VARIABLE',
      message: /\/conf\/c\/uploader\.yaml:3: egret\.dir: unknown variable \$\{HOMEDIR\}/,
    });
  });

  it('keeps sources through substitution', () => {
    const config = new Config([{ source: { kind: 'file', file: '/conf/c/uploader.yaml' }, values: new Map([['k', { value: '${CLUSTER}', source: file }]]) }]);
    assert.deepEqual(substituteVariables(config, configVariables({ cluster: 'c' })).entry('k')?.source, file);
  });
});
