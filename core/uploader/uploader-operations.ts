import { UploaderError } from '../spi/uploader.js';

/**
 * The life cycle rules every uploader keeps: one upload or undo at a time (a second one while one runs fails rather
 * than interleaving with it), and none after {@link close}. Uploaders run their operations through it.
 */
export class UploaderOperations {
  private busy = false;
  private closed = false;

  /** `target` names what the uploader writes, for the messages (a path, `s3://bucket/key`). */
  constructor(private readonly target: string) {}

  /**
   * Runs `action` as the uploader's `operation`. Throws UPLOADER_FAILED (UPLOADER_UNDO_FAILED for an undo) when the
   * uploader is closed or another operation is running; otherwise returns or throws what `action` does.
   */
  async run<T>(operation: 'upload' | 'undo', action: () => Promise<T>): Promise<T> {
    const code = operation === 'undo' ? 'UPLOADER_UNDO_FAILED' : 'UPLOADER_FAILED';
    if (this.closed) throw new UploaderError(`cannot ${operation} ${this.target}: the uploader is closed`, { code });
    if (this.busy) throw new UploaderError(`cannot ${operation} ${this.target}: another upload or undo is running`, { code });
    this.busy = true;
    try {
      return await action();
    } finally {
      this.busy = false;
    }
  }

  /** Marks the uploader closed; true the first time, false when it already was (close is safe to call twice). */
  close(): boolean {
    if (this.closed) return false;
    this.closed = true;
    return true;
  }
}
