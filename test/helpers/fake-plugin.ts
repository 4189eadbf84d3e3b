import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { definePlugin, type PluginDescriptor } from '../../core/plugins/plugin-descriptor.js';

/** A valid plugin descriptor that binds nothing, with any field overridden. */
export function fakePlugin(overrides: Partial<PluginDescriptor> = {}): PluginDescriptor {
  return definePlugin({
    family: 'packing',
    name: 'fake',
    description: 'a test plugin',
    configSchema: z.object({}),
    configToken: Symbol('fake.config'),
    module: new ContainerModule(() => {}),
    ...overrides,
  });
}
