import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { fakePlugin } from '../../test/helpers/fake-plugin.js';
import { PluginError } from './plugin-error.js';
import { PluginRegistry } from './plugin-registry.js';

describe('PluginRegistry', () => {
  it('registers built-in plugins and finds them by family and name', () => {
    const registry = new PluginRegistry();
    registry.register(fakePlugin({ name: 'b' }));
    registry.register(fakePlugin({ name: 'a' }));
    registry.register(fakePlugin({ name: 'a', family: 'repacking' }));
    assert.equal(registry.find('packing', 'a')?.origin.kind, 'built-in');
    assert.equal(registry.find('scheduler', 'a'), undefined);
    assert.deepEqual(registry.names('packing'), ['a', 'b']);
    assert.deepEqual(registry.names('repacking'), ['a']);
  });

  it('refuses a second plugin of the same family and name', () => {
    const registry = new PluginRegistry();
    registry.register(fakePlugin());
    assert.throws(() => registry.register(fakePlugin()), (error: PluginError) => error.code === 'PLUGIN_DUPLICATE' && /already registered \(built in\)/.test(error.message));
  });

  it('lists every problem of a malformed descriptor, without a crash trace', () => {
    const registry = new PluginRegistry();
    assert.throws(
      () => registry.register({ family: 'packer', name: 'My_Packer', configSchema: {}, module: null }),
      (error: PluginError) =>
        error.code === 'PLUGIN_MALFORMED' &&
        error.message.includes("'My_Packer'") &&
        error.message.includes('family "packer" is not one of scheduler, launcher, uploader, statemgr, packing, repacking') &&
        error.message.includes('is not kebab-case') &&
        error.message.includes('description must be a non-empty string') &&
        error.message.includes('configSchema must be a zod object schema') &&
        error.message.includes('configToken must be a symbol') &&
        error.message.includes('module must be an inversify ContainerModule'),
    );
    assert.throws(() => registry.register(null), { code: 'PLUGIN_MALFORMED', message: /got null/ });
    assert.throws(() => registry.register('round-robin'), { code: 'PLUGIN_MALFORMED', message: /got string/ });
  });

  it('accepts usesTls as true, false or left out, and nothing else', () => {
    const registry = new PluginRegistry();
    registry.register(fakePlugin({ name: 'a', usesTls: true }));
    registry.register(fakePlugin({ name: 'b', usesTls: false }));
    registry.register(fakePlugin({ name: 'c' }));
    assert.throws(() => registry.register({ ...fakePlugin({ name: 'd' }), usesTls: 'no' }), { code: 'PLUGIN_MALFORMED', message: /usesTls must be true, false or left out, got "no"/ });
  });

  it('accepts kebab-case names only', () => {
    const registry = new PluginRegistry();
    for (const name of ['round-robin', 'ffd', 'resource-compliant-rr', 's3']) registry.register(fakePlugin({ name }));
    for (const name of ['RoundRobin', 'round_robin', '-x', 'x-', 'a--b', '1st']) {
      assert.throws(() => registry.register(fakePlugin({ name })), { code: 'PLUGIN_MALFORMED' }, name);
    }
  });

  it('knows every config key of its plugins', () => {
    const registry = new PluginRegistry();
    registry.register(fakePlugin({ configSchema: z.object({ 'egret.packing.fake.x': z.number().default(1) }) }));
    assert.deepEqual([...registry.knownConfigKeys()], ['egret.packing.fake.x']);
  });
});
