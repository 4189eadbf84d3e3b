import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareStmgrIds, instanceIdOf, taskIdOfInstanceId } from './runtime-ids.js';

describe('compareStmgrIds', () => {
  it('orders stream managers by container number, ids of another form last', () => {
    assert.deepEqual(['stmgr-10', 'other', 'stmgr-2', 'stmgr-1', 'another'].sort(compareStmgrIds), ['stmgr-1', 'stmgr-2', 'stmgr-10', 'another', 'other']);
  });
});

describe('taskIdOfInstanceId', () => {
  it('reads the task back from an instance id, component names with underscores and digits included', () => {
    assert.equal(taskIdOfInstanceId(instanceIdOf(3, 'count_words_2', 17)), 17);
    assert.equal(taskIdOfInstanceId(instanceIdOf(0, 'w', 1)), 1);
    for (const other of ['container_1_count', 'stmgr-1', 'container_x_count_3', 'container_1_count_3a', '']) assert.equal(taskIdOfInstanceId(other), undefined, other);
  });
});
