import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { fakePlugin } from '../../test/helpers/fake-plugin.js';
import { Config, layerOf } from '../config/config.js';
import { byteAmountSchema } from '../config/config-schema.js';
import { configVariables, substituteVariables } from '../config/config-variables.js';
import { parseYamlConfig } from '../config/yaml-config-file.js';
import { homedir } from 'node:os';
import { validatePluginConfig } from './plugin-config-validator.js';
import { PluginError } from './plugin-error.js';

const plugin = fakePlugin({
  family: 'uploader',
  name: 'demo',
  configSchema: z.object({
    'egret.uploader.demo.directory': z.string({ error: 'expected a directory path' }),
    'egret.uploader.demo.size': byteAmountSchema.default(1024),
    'egret.uploader.demo.retries': z.number().int().min(0).default(3),
  }),
});

describe('validatePluginConfig', () => {
  it('returns the validated values with defaults applied, parsing sizes', () => {
    const config = new Config([parseYamlConfig('egret.uploader.demo.directory: /d\negret.uploader.demo.size: 2KiB\n', '/conf/c/uploader.yaml')]);
    assert.deepEqual(validatePluginConfig(plugin, config), { 'egret.uploader.demo.directory': '/d', 'egret.uploader.demo.size': 2048, 'egret.uploader.demo.retries': 3 });
  });

  it('names the file, line, key, expectation and value of every bad key', () => {
    const config = new Config([parseYamlConfig('egret.uploader.demo.directory: 42\negret.uploader.demo.size: lots\n', '/conf/c/uploader.yaml')]);
    assert.throws(
      () => validatePluginConfig(plugin, config),
      (error: PluginError) =>
        error.code === 'PLUGIN_CONFIG_INVALID' &&
        error.message.includes("invalid config for uploader plugin 'demo'") &&
        error.message.includes('/conf/c/uploader.yaml:1: egret.uploader.demo.directory: expected a directory path, got 42') &&
        error.message.includes("/conf/c/uploader.yaml:2: egret.uploader.demo.size: expected a whole number of bytes or a size such as '512MiB' or '2GiB', got \"lots\""),
    );
  });

  it('reports a required key that is missing', () => {
    assert.throws(() => validatePluginConfig(plugin, Config.empty()), { code: 'PLUGIN_CONFIG_INVALID', message: /unset: egret\.uploader\.demo\.directory: expected a directory path/ });
  });

  it("rejects misspelled keys under the plugin's own prefix, suggesting the right one", () => {
    const config = new Config([layerOf({ kind: 'command-line' }, { 'egret.uploader.demo.directory': '/d', 'egret.uploader.demo.retry': 2, 'egret.uploader.other.x': 1 })]);
    assert.throws(() => validatePluginConfig(plugin, config), {
      code: 'PLUGIN_CONFIG_INVALID',
      message: "invalid config for uploader plugin 'demo': --config-property: egret.uploader.demo.retry is not a key of this plugin (did you mean 'egret.uploader.demo.retries'?)",
    });
  });

  it('substitutes the variables of the config in schema defaults, and only there', () => {
    const templated = fakePlugin({
      family: 'statemgr',
      name: 'demo',
      configSchema: z.object({ 'egret.statemgr.demo.root': z.string().default('${HOME}/.egret/state/${CLUSTER}'), 'egret.statemgr.demo.other': z.string().default('x') }),
    });
    const loaded = new Config([parseYamlConfig('egret.statemgr.demo.other: cost $${HOME}\n', '/conf/c/statemgr.yaml')]);
    const values = validatePluginConfig(templated, substituteVariables(loaded, configVariables({ cluster: 'prod' })));
    assert.equal(values['egret.statemgr.demo.root'], `${homedir()}/.egret/state/prod`);
    // The file's escaped `$${HOME}` became the literal `${HOME}` on loading; it must not be substituted again.
    assert.equal(values['egret.statemgr.demo.other'], 'cost ${HOME}');
  });

  it("refuses a default whose variable is not known here, unless asked to keep it for display", () => {
    const templated = fakePlugin({ family: 'uploader', name: 'demo', configSchema: z.object({ 'egret.uploader.demo.dir': z.string().default('/p/${TOPOLOGY}') }) });
    const config = substituteVariables(Config.empty(), configVariables({ cluster: 'c' }));
    assert.throws(() => validatePluginConfig(templated, config), {
      code: 'PLUGIN_CONFIG_INVALID',
      message: "default of uploader plugin 'demo': egret.uploader.demo.dir: ${TOPOLOGY} is not known here; set egret.uploader.demo.dir explicitly",
    });
    assert.equal(validatePluginConfig(templated, config, { unresolved: 'keep' })['egret.uploader.demo.dir'], '/p/${TOPOLOGY}');
    const withTopology = substituteVariables(Config.empty(), configVariables({ cluster: 'c', topology: 't' }));
    assert.equal(validatePluginConfig(templated, withTopology)['egret.uploader.demo.dir'], '/p/t');
  });
});
