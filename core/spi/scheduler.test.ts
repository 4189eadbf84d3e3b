import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isScalable, LIBRARY_MODE_ENDPOINT, type Scheduler, schedulerModeOf } from './scheduler.js';

const base: Scheduler = {
  onSchedule: async () => {},
  jobLinks: () => [],
  onKill: async () => {},
  onRestart: async () => {},
  onUpdate: async () => {},
  close: async () => {},
};

describe('Scheduler contract helpers', () => {
  it('tells a Scalable scheduler from one that is not', () => {
    assert.equal(isScalable(base), false);
    assert.equal(isScalable({ ...base, addContainers: async () => [] } as Scheduler), false);
    assert.equal(isScalable({ ...base, addContainers: async () => [], removeContainers: async () => {} } as Scheduler), true);
  });

  it("reads the mode from a scheduler location's endpoint, Heron's marker included", () => {
    assert.equal(schedulerModeOf(LIBRARY_MODE_ENDPOINT), 'library');
    assert.equal(schedulerModeOf('scheduler_as_lib_no_endpoint'), 'library');
    assert.equal(schedulerModeOf('127.0.0.1:4040'), 'service');
  });
});
