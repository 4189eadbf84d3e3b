import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WakeUp } from './wake-up.js';

describe('WakeUp', () => {
  it('sleeps the whole time when nothing wakes it', async () => {
    const started = Date.now();
    await new WakeUp().sleep(50);
    assert.ok(Date.now() - started >= 45);
  });

  it('is cut short by a wake', async () => {
    const wakeUp = new WakeUp();
    const started = Date.now();
    setTimeout(wakeUp.wake, 10);
    await wakeUp.sleep(10_000);
    assert.ok(Date.now() - started < 5000);
  });

  it('remembers a wake that came before the sleep, until reset', async () => {
    const wakeUp = new WakeUp();
    wakeUp.wake();
    const started = Date.now();
    await wakeUp.sleep(10_000);
    assert.ok(Date.now() - started < 5000, 'a wake before the sleep ends it at once');
    wakeUp.reset();
    const again = Date.now();
    await wakeUp.sleep(50);
    assert.ok(Date.now() - again >= 45, 'reset forgets it');
  });
});
