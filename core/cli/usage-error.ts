import { EgretError } from '../errors.js';

/** A command line that cannot be right: exit code 2. */
export class UsageError extends EgretError<'USAGE'> {
  constructor(message: string) {
    super(message, { code: 'USAGE' });
  }
}
