/** Marks Egret errors across copies of the package (an external plugin may bring its own). */
const EGRET_ERROR = Symbol.for('egret.error');

/**
 * The base of every error Egret throws on purpose. Each contract in core/spi has its own subclass, and each
 * subclass has a closed set of stable `code`s that callers and tests may switch on; the message is for people.
 */
export class EgretError<Code extends string = string> extends Error {
  /** A stable, machine-readable identifier such as `PACKING_INSUFFICIENT_RESOURCES`. */
  readonly code: Code;

  constructor(message: string, options: { code: Code; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    Object.defineProperty(this, EGRET_ERROR, { value: true });
  }
}

/** True when `error` is an {@link EgretError}, from this copy of Egret or another one. */
export function isEgretError(error: unknown): error is EgretError {
  return error instanceof EgretError || (error instanceof Error && (error as unknown as Record<symbol, unknown>)[EGRET_ERROR] === true);
}

/**
 * True when `error` is a `type` (an {@link EgretError} subclass) with `code` when given, from this copy of Egret or
 * another one: an external plugin that brings its own copy of egret/spi throws errors that are not `instanceof`
 * ours, but carry the class's name (`error.name`) and its codes.
 */
export function isErrorOf<T extends EgretError>(error: unknown, type: abstract new (...args: never[]) => T, code?: T['code']): error is T {
  if (!(error instanceof type) && !(isEgretError(error) && error.name === type.name)) return false;
  return code === undefined || (error as EgretError).code === code;
}

/** The message of any thrown value, for wrapping it in a sentence that says what was being done. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
