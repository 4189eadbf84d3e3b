import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRuntimeConfig } from './runtime-config.js';

describe('readRuntimeConfig', () => {
  it('fills in the defaults', () => {
    const config = readRuntimeConfig({});
    assert.equal(config['egret.stmgr.drain.interval.ms'], 0.5);
    assert.equal(config['egret.instance.emit.batch.ms'], 2);
  });

  it('takes a drain interval of 0 (drain at the end of each turn of the data thread) and refuses a negative one', () => {
    assert.equal(readRuntimeConfig({ 'egret.stmgr.drain.interval.ms': 0 })['egret.stmgr.drain.interval.ms'], 0);
    assert.throws(
      () => readRuntimeConfig({ 'egret.stmgr.drain.interval.ms': -1, 'egret.instance.emit.batch.ms': 0 }),
      /^Error: invalid runtime config: egret\.stmgr\.drain\.interval\.ms: expected a number of milliseconds >= 0, got -1; egret\.instance\.emit\.batch\.ms: expected a number of milliseconds > 0, got 0$/,
    );
  });
});
