import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Config } from '../config/config.js';
import { parseYamlConfig } from '../config/yaml-config-file.js';
import { PluginError } from './plugin-error.js';
import { fakePlugin } from '../../test/helpers/fake-plugin.js';
import { PluginRegistry } from './plugin-registry.js';
import { selectedPluginName, selectPlugin } from './plugin-selection.js';

function configOf(yaml: string): Config {
  return new Config([parseYamlConfig(yaml, '/conf/c/scheduler.yaml')]);
}

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  for (const name of ['local', 'yarn', 'kubernetes']) r.register(fakePlugin({ family: 'scheduler', name }));
  r.register(fakePlugin({ family: 'launcher', name: 'local' }));
  return r;
}

describe('selectPlugin', () => {
  it('finds the plugin the config names', () => {
    assert.equal(selectPlugin(registry(), configOf('egret.scheduler: yarn\n'), 'scheduler').descriptor.name, 'yarn');
  });

  it('fails at once on a misspelled name, with the key, its file and line, a suggestion and the registered names', () => {
    assert.throws(
      () => selectPlugin(registry(), configOf('# the scheduler\negret.scheduler: kubernets\n'), 'scheduler'),
      (error: PluginError) =>
        error.code === 'PLUGIN_UNKNOWN' &&
        error.message.startsWith("/conf/c/scheduler.yaml:2: egret.scheduler: no scheduler plugin named 'kubernets' (did you mean 'kubernetes'?)") &&
        error.message.includes('registered scheduler plugins: kubernetes, local, yarn'),
    );
  });

  it('never falls back to a default when the key is unset', () => {
    assert.throws(() => selectPlugin(registry(), configOf('other: 1\n'), 'scheduler'), { code: 'PLUGIN_NOT_SELECTED', message: /egret\.scheduler is not set/ });
  });

  it('refuses a selection that is not a name', () => {
    assert.throws(() => selectPlugin(registry(), configOf('egret.scheduler: [a, b]\n'), 'scheduler'), { code: 'PLUGIN_NOT_SELECTED', message: /expected the name of a scheduler plugin/ });
  });

  it("defaults the launcher to the scheduler's own", () => {
    const selection = selectedPluginName(configOf('egret.scheduler: local\n'), 'launcher');
    assert.equal(selection.name, 'local');
    assert.match(selection.source, /the scheduler's own/);
    assert.equal(selectPlugin(registry(), configOf('egret.scheduler: local\n'), 'launcher').descriptor.family, 'launcher');
    assert.equal(selectedPluginName(configOf('egret.scheduler: local\negret.launcher: other\n'), 'launcher').name, 'other');
  });
});
