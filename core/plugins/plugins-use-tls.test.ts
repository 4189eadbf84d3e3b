import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakePlugin } from '../../test/helpers/fake-plugin.js';
import { Config } from '../config/config.js';
import { parseYamlConfig } from '../config/yaml-config-file.js';
import { PluginsUseTls } from '../spi/launcher.js';
import { createPluginContainer } from './plugin-container.js';
import type { PluginDescriptor } from './plugin-descriptor.js';
import { PluginRegistry } from './plugin-registry.js';
import { pluginsUseTls } from './plugins-use-tls.js';

const SELECTION = 'egret.statemgr: files\negret.uploader: copy\negret.scheduler: here\n';

function configOf(yaml: string): Config {
  return new Config([parseYamlConfig(yaml, '/conf/c/client.yaml')]);
}

/** A registry of a state manager, an uploader and a scheduler, each declaring `usesTls` as given (or not at all). */
function registry(usesTls: { statemgr?: boolean; uploader?: boolean; scheduler?: boolean }): PluginRegistry {
  const plugin = (family: PluginDescriptor['family'], name: string, declared: boolean | undefined) =>
    fakePlugin({ family, name, ...(declared === undefined ? {} : { usesTls: declared }) });
  return PluginRegistry.of([plugin('statemgr', 'files', usesTls.statemgr), plugin('uploader', 'copy', usesTls.uploader), plugin('scheduler', 'here', usesTls.scheduler)]);
}

describe('pluginsUseTls', () => {
  it('is false only when the state manager, uploader and scheduler all declare usesTls: false', () => {
    assert.equal(pluginsUseTls(registry({ statemgr: false, uploader: false, scheduler: false }), configOf(SELECTION)), false);
    for (const family of ['statemgr', 'uploader', 'scheduler'] as const) {
      assert.equal(pluginsUseTls(registry({ statemgr: false, uploader: false, scheduler: false, [family]: true }), configOf(SELECTION)), true, family);
    }
  });

  it('takes a plugin that declares nothing (an external plugin written before usesTls) as one that may', () => {
    assert.equal(pluginsUseTls(registry({ statemgr: false, scheduler: false }), configOf(SELECTION)), true);
  });

  it('takes a family left unselected, or a plugin this registry does not hold, as one that may', () => {
    const none = registry({ statemgr: false, uploader: false, scheduler: false });
    assert.equal(pluginsUseTls(none, configOf('egret.statemgr: files\negret.scheduler: here\n')), true);
    assert.equal(pluginsUseTls(none, configOf('egret.statemgr: files\negret.uploader: s3\negret.scheduler: here\n')), true);
  });

  it('ignores the families that run in the submitting command only', () => {
    const withPacking = PluginRegistry.of([fakePlugin({ family: 'packing', name: 'greedy', usesTls: true })]);
    for (const p of ['files', 'copy', 'here'].map((name, i) => fakePlugin({ family: (['statemgr', 'uploader', 'scheduler'] as const)[i], name, usesTls: false }))) withPacking.register(p);
    assert.equal(pluginsUseTls(withPacking, configOf(`${SELECTION}egret.packing: greedy\n`)), false);
  });

  it('is bound in every plugin container, for the launchers', async () => {
    for (const usesTls of [false, true]) {
      const container = await createPluginContainer({ config: configOf(SELECTION), registry: registry({ statemgr: false, uploader: usesTls, scheduler: false }), families: [] });
      assert.equal(container.get<boolean>(PluginsUseTls), usesTls);
    }
  });
});
