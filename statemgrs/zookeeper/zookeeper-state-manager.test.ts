import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Container } from 'inversify';
import { StateManager, StateManagerError } from '../../core/spi/state-manager.js';
import { ZooKeeperStateManager } from './zookeeper-state-manager.js';
import { ZooKeeperStateManagerConfig, zooKeeperStateManagerConfigSchema } from './zookeeper-state-manager-config.js';
import { zooKeeperStateManagerPlugin } from './zookeeper-state-manager-plugin.js';

// Behaviour against a server is in test/contracts/statemgr-zookeeper*.test.ts; these need none.

describe('the zookeeper state manager plugin', () => {
  it('describes itself and binds StateManager without connecting', async () => {
    assert.equal(zooKeeperStateManagerPlugin.family, 'statemgr');
    assert.equal(zooKeeperStateManagerPlugin.name, 'zookeeper');
    const container = new Container();
    container.bind(ZooKeeperStateManagerConfig).toConstantValue(zooKeeperStateManagerConfigSchema.parse({ 'egret.statemgr.zookeeper.connection.string': '127.0.0.1:1' }));
    await container.loadAsync(zooKeeperStateManagerPlugin.module);
    const state = container.get<StateManager>(StateManager);
    assert.ok(state instanceof ZooKeeperStateManager);
    await state.close();
    await state.close();
    await assert.rejects(state.listTopologies(), (error: unknown) => error instanceof StateManagerError && error.code === 'STATE_CLOSED');
  });

  it('has the issue’s defaults and checks its keys', () => {
    const defaults = zooKeeperStateManagerConfigSchema.parse({});
    assert.deepEqual(defaults, {
      'egret.statemgr.zookeeper.connection.string': '127.0.0.1:2181',
      'egret.statemgr.zookeeper.root': '/egret',
      'egret.statemgr.zookeeper.session.timeout.ms': 30_000,
      'egret.statemgr.zookeeper.connect.timeout.ms': 10_000,
    });
    for (const good of ['zk1:2181,zk2:2181,zk3:2181', 'localhost:2181/chroot', '[::1]:2181']) {
      assert.equal(zooKeeperStateManagerConfigSchema.safeParse({ 'egret.statemgr.zookeeper.connection.string': good }).success, true, good);
    }
    const bad: Array<[string, unknown]> = [
      ['egret.statemgr.zookeeper.connection.string', 'localhost'],
      ['egret.statemgr.zookeeper.connection.string', 'a:1, b:2'],
      ['egret.statemgr.zookeeper.root', 'egret'],
      ['egret.statemgr.zookeeper.root', '/egret/'],
      ['egret.statemgr.zookeeper.session.timeout.ms', 0],
      ['egret.statemgr.zookeeper.connect.timeout.ms', '5s'],
    ];
    for (const [key, value] of bad) assert.equal(zooKeeperStateManagerConfigSchema.safeParse({ [key]: value }).success, false, `${key}: ${String(value)}`);
  });
});
