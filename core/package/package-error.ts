import { EgretError } from '../errors.js';

export type TopologyPackageErrorCode =
  /** The topology cannot run from a package: a spec file names no code. */
  | 'PACKAGE_NOT_RUNNABLE'
  /** The file is not a gzipped tarball, or the tarball is truncated or corrupt. */
  | 'PACKAGE_NOT_A_TARBALL'
  /** A required entry is absent. */
  | 'PACKAGE_MISSING_ENTRY'
  /** An entry a package never holds: another name, a link, a directory, a path with a `/`, a duplicate. */
  | 'PACKAGE_UNEXPECTED_ENTRY'
  /** `egret-package.json` is not JSON, or a field is missing or of the wrong type. */
  | 'PACKAGE_BAD_MANIFEST'
  /** The manifest's `format` is one this Egret does not read. */
  | 'PACKAGE_UNSUPPORTED_FORMAT'
  /** An entry's content is wrong: the definition does not decode or names another topology, config.json is not an object. */
  | 'PACKAGE_BAD_ENTRY'
  /** Reading or writing the package's files failed. */
  | 'PACKAGE_IO';

/** Thrown by core/package; the message names the package file or directory and, where one is at fault, the entry. */
export class TopologyPackageError extends EgretError<TopologyPackageErrorCode> {}
