import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { describe, it } from 'node:test';
import { Config, layerOf } from '../../core/config/config.js';
import { configVariables } from '../../core/config/config-variables.js';
import { validatePluginConfig } from '../../core/plugins/plugin-config-validator.js';
import { localLauncherPlugin } from './local-launcher-plugin.js';
import { localSchedulerPlugin } from './local-scheduler-plugin.js';

const variables = configVariables({ cluster: 'local', role: 'ann', environment: 'default', topology: 'wc' });

describe('the local scheduler config', () => {
  it('puts a topology under ~/.egret/topologies/<cluster>/<role>/<topology> by default, for the scheduler and its launcher alike', () => {
    const config = new Config([], variables);
    for (const plugin of [localSchedulerPlugin, localLauncherPlugin]) {
      const values = validatePluginConfig(plugin, config);
      assert.equal(values['egret.scheduler.local.working.directory'], `${homedir()}/.egret/topologies/local/ann/wc`);
      assert.equal(values['egret.scheduler.local.kill.grace.ms'], 15_000);
    }
  });

  it('refuses a maximum restart delay below the minimum, and a misspelled key, naming the file', () => {
    const config = new Config(
      [layerOf({ kind: 'file', file: 'conf/local/scheduler.yaml' }, { 'egret.scheduler.local.restart.backoff.min.ms': 500, 'egret.scheduler.local.restart.backoff.max.ms': 100, 'egret.scheduler.local.kill.grace': 1 })],
      variables,
    );
    assert.throws(() => validatePluginConfig(localSchedulerPlugin, config), (error: Error) => {
      assert.match(error.message, /conf\/local\/scheduler\.yaml: egret\.scheduler\.local\.restart\.backoff\.max\.ms: expected at least egret\.scheduler\.local\.restart\.backoff\.min\.ms \(500\)/);
      assert.match(error.message, /egret\.scheduler\.local\.kill\.grace is not a key of this plugin/);
      return true;
    });
  });
});
