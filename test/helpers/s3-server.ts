import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The credentials s3rver accepts out of the box. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running s3rver. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** Where s3rver keeps its buckets. */
  readonly directory: string;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** The parts of s3rver 3.7 this helper uses (it ships no types). */
interface S3rverInstance {
  store: S3rverStore;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: unknown }): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
  copyObject(...args: unknown[]): Promise<unknown>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

const S3rver = createRequire(import.meta.url)('s3rver') as new (options: object) => S3rverInstance;

/**
 * Starts s3rver 3.7.1 on 127.0.0.1 with a port the OS picks, in a fresh directory (`directory` to choose one, such
 * as a small tmpfs), with `buckets` created. s3rver does not check SigV4 signatures; see the signing proxy in
 * test/doubles for that. s3rver also writes objects in place, so a reader can see one half-written, which S3 never
 * shows ("S3 never adds partial objects"): this helper makes object writes atomic as S3's are (see
 * {@link makeObjectWritesAtomic}), so that contract tests test the uploader rather than s3rver's shortcut.
 */
export async function startS3Server(options: { buckets?: readonly string[]; directory?: string } = {}): Promise<S3TestServer> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'egret-s3rver-')));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  makeObjectWritesAtomic(server.store, directory);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    close: async () => {
      await server.close();
      await rm(`${directory}.staging`, { recursive: true, force: true });
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Makes s3rver's object writes appear at once: a PUT (or the completion of a multipart upload, which s3rver turns
 * into a PUT) streams to a file outside the bucket, then, holding the key's lock, renames it into place and writes
 * its metadata; GET, COPY and DELETE of the key take the same lock. A failed write (a full disk) leaves nothing.
 */
export function makeObjectWritesAtomic(store: S3rverStore, directory: string): void {
  const locks = new Map<string, Promise<unknown>>();
  const locked = <T>(bucket: string, key: string, action: () => Promise<T>): Promise<T> => {
    const id = `${bucket}/${key}`;
    const run = (locks.get(id) ?? Promise.resolve()).then(action, action);
    locks.set(id, run.catch(() => undefined));
    return run;
  };
  // Beside the directory, not in it (s3rver takes every directory there for a bucket), on the same file system.
  const staging = `${directory}.staging`;
  const getObject = store.getObject.bind(store);
  const copyObject = store.copyObject.bind(store);
  const deleteObject = store.deleteObject.bind(store);

  store.putObject = async (object) => {
    await mkdir(staging, { recursive: true });
    const temp = join(staging, randomUUID());
    const hash = createHash('md5');
    let size = 0;
    const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, counting, createWriteStream(temp));
      const md5 = hash.digest('hex');
      await locked(object.bucket, object.key, async () => {
        const path = store.getResourcePath(object.bucket, object.key, 'object');
        await mkdir(dirname(path), { recursive: true });
        await rename(temp, path);
        await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      });
      return { size, md5 };
    } finally {
      await rm(temp, { force: true });
    }
  };
  store.getObject = (bucket, key, options) => locked(bucket, key, () => getObject(bucket, key, options));
  store.copyObject = (...args) => locked(String(args[2]), String(args[3]), () => copyObject(...args));
  store.deleteObject = (bucket, key) => locked(bucket, key, () => deleteObject(bucket, key));
}
