import { EgretError } from '../errors.js';

export type UploaderErrorCode =
  /** The package file to upload does not exist or cannot be read. */
  | 'UPLOADER_PACKAGE_UNREADABLE'
  /** The target (bucket, directory, namenode) does not exist. */
  | 'UPLOADER_TARGET_NOT_FOUND'
  /** The target refused the credentials or the operation. */
  | 'UPLOADER_ACCESS_DENIED'
  /** The target could not be reached, or did not answer within the timeout. */
  | 'UPLOADER_UNREACHABLE'
  /** Any other failure while uploading (disk full, a server error). */
  | 'UPLOADER_FAILED'
  /** {@link Uploader.undo} could not restore the previous state. */
  | 'UPLOADER_UNDO_FAILED';

/** Thrown by {@link Uploader}; the message names the target (path, bucket/key, URL). */
export class UploaderError extends EgretError<UploaderErrorCode> {}

/** DI token of the {@link Uploader} plugin chosen by `egret.uploader`. */
export const Uploader: unique symbol = Symbol.for('egret.spi.Uploader');

/**
 * Puts a topology package where the topology's containers can fetch it. Chosen by `egret.uploader`
 * (localfs, s3, hdfs). The topology comes from the injected {@link TopologyRuntime}.
 */
export interface Uploader {
  /**
   * Uploads the package file (a tarball) and returns the URI the executors fetch it from through a
   * {@link Downloader}. The package is never visible half-written: it is written under a temporary name and moved
   * into place. On failure nothing is left behind and the previous package of the topology, if any, stays.
   */
  upload(packageFile: string): Promise<string>;
  /**
   * Restores the state before {@link upload}: the previous package of the same topology comes back, or nothing is
   * left when there was none. Called by submit when a later step fails. A no-op when nothing was uploaded.
   */
  undo(): Promise<void>;
  /** Releases connections and temporary files. Safe to call twice. */
  close(): Promise<void>;
}
