import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareStmgrIds } from './runtime-ids.js';

describe('compareStmgrIds', () => {
  it('orders stream managers by container number, ids of another form last', () => {
    assert.deepEqual(['stmgr-10', 'other', 'stmgr-2', 'stmgr-1', 'another'].sort(compareStmgrIds), ['stmgr-1', 'stmgr-2', 'stmgr-10', 'another', 'other']);
  });
});
