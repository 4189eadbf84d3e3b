import { type EgretError, isEgretError } from '../errors.js';

/**
 * True when `error` is an Egret error of class `className` (StateManagerError, SchedulerError, ...) with `code`,
 * whichever copy of Egret made it. A plugin throws its contract's error from the copy of `egret/spi` it imports,
 * which is not this process's own when the process runs from a bundle (scripts/bundle-entry-points.mjs) or the
 * plugin brings its own copy, so `instanceof` would say no (core/uploader/upload-error.ts checks the same way).
 */
export function isPluginError(error: unknown, className: string, code: string): error is EgretError {
  return isEgretError(error) && error.name === className && error.code === code;
}
