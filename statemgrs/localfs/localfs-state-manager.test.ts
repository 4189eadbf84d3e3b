import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { ProtoPackingPlan } from '../../core/proto/index.js';
import { StateManager, StateManagerError, STATE_NODE_KINDS } from '../../core/spi/state-manager.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { LocalFsStateManager } from './localfs-state-manager.js';
import { LocalFsStateManagerConfig, localFsStateManagerConfigSchema } from './localfs-state-manager-config.js';
import { localFsStateManagerPlugin } from './localfs-state-manager-plugin.js';

const base = tempDir();

async function open(config: Record<string, unknown>): Promise<StateManager> {
  const container = new Container();
  container.bind(LocalFsStateManagerConfig).toConstantValue(localFsStateManagerPlugin.configSchema.parse(config));
  await container.load(localFsStateManagerPlugin.module);
  return container.get<StateManager>(StateManager);
}

describe('the localfs state manager plugin', () => {
  it('describes itself and binds StateManager in singleton scope', async () => {
    assert.equal(localFsStateManagerPlugin.family, 'statemgr');
    assert.equal(localFsStateManagerPlugin.name, 'localfs');
    const container = new Container();
    container.bind(LocalFsStateManagerConfig).toConstantValue(localFsStateManagerConfigSchema.parse({ 'egret.statemgr.localfs.root': join(base, 'di') }));
    await container.load(localFsStateManagerPlugin.module);
    const state = container.get<StateManager>(StateManager);
    assert.ok(state instanceof LocalFsStateManager);
    assert.equal(container.get<StateManager>(StateManager), state);
  });

  it('defaults the root to ${HOME}/.egret/state/${CLUSTER} and checks its keys', () => {
    const defaults = localFsStateManagerConfigSchema.parse({});
    assert.equal(defaults['egret.statemgr.localfs.root'], '${HOME}/.egret/state/${CLUSTER}');
    assert.equal(defaults['egret.statemgr.localfs.poll.interval.ms'], 1000);
    assert.equal(localFsStateManagerConfigSchema.safeParse({ 'egret.statemgr.localfs.root': '' }).success, false);
    assert.equal(localFsStateManagerConfigSchema.safeParse({ 'egret.statemgr.localfs.poll.interval.ms': 1.5 }).success, false);
  });

  it('refuses a root whose variables were never substituted, naming the key, and creates nothing', async () => {
    const state = await open({ 'egret.statemgr.localfs.root': '${HOME}/x' });
    await assert.rejects(state.listTopologies(), (error: unknown) => {
      assert.ok(error instanceof StateManagerError);
      assert.equal(error.code, 'STATE_INVALID');
      assert.match(error.message, /egret\.statemgr\.localfs\.root.*\$\{HOME\}\/x/);
      return true;
    });
  });

  it('keeps Heron’s layout: <root>/<kind>/<topology> holds the raw message, nothing else shows in the tree', async () => {
    const root = join(base, 'layout');
    const state = await open({ 'egret.statemgr.localfs.root': root });
    const plan = ProtoPackingPlan.create({ id: 'p', containerPlans: [] });
    await state.set('packingplans', 'p', plan);
    await state.set('tmanagers', 'p', { topologyName: 'p', topologyId: 'p', host: 'h', controllerPort: 1, serverPort: 2 } as never, { ephemeral: true });
    for (const kind of STATE_NODE_KINDS) assert.ok(readdirSync(root).includes(kind), kind);
    assert.deepEqual(readFileSync(join(root, 'packingplans', 'p')), Buffer.from(ProtoPackingPlan.encode(plan).finish()));
    assert.deepEqual(readdirSync(join(root, 'packingplans')), ['p']);
    assert.deepEqual(readdirSync(join(root, 'tmanagers')), ['p']);
    await state.close();
    assert.deepEqual(readdirSync(join(root, 'tmanagers')), [], 'close() removes its ephemeral node');
  });
});
