import { relative } from 'node:path';

/** Where a config value came from, for `egret config` and for error messages. */
export type ConfigSource =
  /** A default: of Egret itself, or of the named plugin's schema. */
  | { readonly kind: 'default'; readonly plugin?: string }
  /** A cluster YAML file, with the line of the key. */
  | { readonly kind: 'file'; readonly file: string; readonly line?: number }
  /** The topology's own config (from its module or spec file). */
  | { readonly kind: 'topology'; readonly file?: string }
  /** A `--config-property key=value` argument. */
  | { readonly kind: 'command-line' };

/** Precedence: a later kind wins over an earlier one; files among themselves go by their order. */
export const SOURCE_RANK: Readonly<Record<ConfigSource['kind'], number>> = { default: 0, file: 1, topology: 2, 'command-line': 3 };

/** `conf/local/packing.yaml:4`, `--config-property`, `topology examples/x.ts`, `default (plugin round-robin)`. */
export function describeSource(source: ConfigSource, cwd = process.cwd()): string {
  switch (source.kind) {
    case 'default':
      return source.plugin ? `default (plugin ${source.plugin})` : 'default';
    case 'file': {
      const file = displayPath(source.file, cwd);
      return source.line === undefined ? file : `${file}:${source.line}`;
    }
    case 'topology':
      return source.file ? `topology ${displayPath(source.file, cwd)}` : 'topology';
    case 'command-line':
      return '--config-property';
  }
}

/** A path relative to `cwd` when it lies below it, else absolute. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
