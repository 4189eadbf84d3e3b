import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isErrorOf } from './errors.js';
import { StateManagerError } from './spi/state-manager.js';
import { UploaderError } from './spi/uploader.js';

describe('isErrorOf', () => {
  it('recognises an error of the class and code, from this copy of Egret', () => {
    const error = new StateManagerError('bytes that are no plan', { code: 'STATE_CORRUPTED' });
    assert.equal(isErrorOf(error, StateManagerError), true);
    assert.equal(isErrorOf(error, StateManagerError, 'STATE_CORRUPTED'), true);
    assert.equal(isErrorOf(error, StateManagerError, 'STATE_IO'), false, 'another code');
    assert.equal(isErrorOf(error, UploaderError), false, 'another class');
  });

  it('recognises one from another copy (an external plugin bringing its own egret/spi), by name and code', async () => {
    // A second instance of the module: what a plugin's own copy of Egret is.
    const specifier = './errors.js?another-copy';
    const copy = (await import(specifier)) as typeof import('./errors.js');
    class StateManagerErrorOfTheCopy extends copy.EgretError {}
    Object.defineProperty(StateManagerErrorOfTheCopy, 'name', { value: 'StateManagerError' });
    const error = new StateManagerErrorOfTheCopy('bytes that are no plan', { code: 'STATE_CORRUPTED' });
    assert.equal(error instanceof StateManagerError, false, 'not ours by instanceof');
    assert.equal(isErrorOf(error, StateManagerError, 'STATE_CORRUPTED'), true);
    assert.equal(isErrorOf(error, StateManagerError, 'STATE_IO'), false);
  });

  it('does not take a plain Error that only borrows the name, nor a non-error', () => {
    const impostor = Object.assign(new Error('x'), { name: 'StateManagerError', code: 'STATE_CORRUPTED' });
    assert.equal(isErrorOf(impostor, StateManagerError), false);
    assert.equal(isErrorOf({ name: 'StateManagerError', code: 'STATE_CORRUPTED' }, StateManagerError), false);
    assert.equal(isErrorOf(undefined, StateManagerError), false);
  });
});
