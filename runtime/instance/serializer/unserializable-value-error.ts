import { SUPPORTED_VALUES } from './egret-format.js';

/**
 * Thrown by the egret serializer for a value it does not take. `path` locates the value inside the tuple value
 * (`[2].name`, empty for the value itself); the emitter adds the component, stream and field.
 */
export class UnserializableValueError extends Error {
  override readonly name = 'UnserializableValueError';
  /** Where the value sits inside the serialized value, as JavaScript would reach it. */
  path = '';

  /** @param what describes the value: "a function", "an instance of Foo" */
  constructor(readonly what: string) {
    super('');
    this.message = this.describe();
  }

  /** Prepends one step (`[3]`, `.name`) to the path, on the way out of the value. */
  within(step: string): this {
    this.path = step + this.path;
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    return `${this.what}${this.path === '' ? '' : ` at ${this.path}`} cannot be serialized (the egret serializer takes ${SUPPORTED_VALUES})`;
  }
}

/** A value in words, for {@link UnserializableValueError}. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return value.name ? `a function (${value.name})` : 'a function';
  if (typeof value === 'symbol') return `a symbol (${String(value.description)})`;
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} (only Buffer and Uint8Array are taken as bytes)`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const builtIn = value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp || value instanceof Promise || value instanceof Error;
  if (typeof name === 'string' && name !== '') return builtIn ? `a ${name}` : `an instance of class ${name}`;
  return 'an object with a custom prototype';
}

/** `.name` for an identifier, `["a b"]` otherwise. */
export function keyStep(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
