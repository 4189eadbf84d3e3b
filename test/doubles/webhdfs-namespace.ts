import { posix } from 'node:path';
import { remoteExceptions as errors } from './webhdfs-remote-exception.js';

/** A file or directory of the double's namespace. */
interface INode {
  readonly type: 'FILE' | 'DIRECTORY';
  owner: string;
  group: string;
  /** Permission bits, such as 0o755. */
  permission: number;
  modificationTime: number;
  readonly fileId: number;
  readonly children?: Map<string, INode>;
  /** A file's bytes, grown chunk by chunk while a datanode receives them (HDFS shows files under construction). */
  chunks?: Buffer[];
  length: number;
  /** Bytes the directory may hold below it (HDFS space quota, replication counted as 1). */
  spaceQuota?: number;
}

/** A FileStatus object as GETFILESTATUS and LISTSTATUS return it. */
export type FileStatusJson = Record<string, string | number>;

/**
 * The in-memory namespace of the WebHDFS test double, with HDFS's semantics as the FileSystem docs describe them:
 * files and directories with owner, group and permission bits checked for every user but the superuser; MKDIRS
 * creating parents; RENAME refusing (false) to overwrite or to move into a missing parent, and moving into an
 * existing directory; DELETE refusing a non-empty directory unless recursive; space quotas.
 */
export class WebHdfsNamespace {
  private nextFileId = 16386;
  private readonly root: INode;

  constructor(
    readonly superuser = 'hdfs',
    /** Group memberships; every user is also in a group of its own name. */
    private readonly groups: Readonly<Record<string, readonly string[]>> = {},
  ) {
    this.root = this.node('DIRECTORY', superuser, 'supergroup', 0o777);
  }

  /** GETFILESTATUS; FileNotFoundException when absent. */
  status(path: string): FileStatusJson {
    return this.statusOf(this.existing(path), '');
  }

  /** LISTSTATUS: a directory's children in name order, or a file's own status. */
  list(path: string): FileStatusJson[] {
    const node = this.existing(path);
    if (!node.children) return [this.statusOf(node, '')];
    return [...node.children.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, child]) => this.statusOf(child, name));
  }

  mkdirs(path: string, user: string, permission: number): boolean {
    const parts = split(path);
    let dir = this.root;
    let checked = false;
    for (const [i, name] of parts.entries()) {
      const current = posix.join('/', ...parts.slice(0, i + 1));
      let child = dir.children?.get(name);
      if (child && child.type === 'FILE') throw errors.parentNotDirectory(current);
      if (!child) {
        // HDFS checks WRITE on the deepest directory that exists, once.
        if (!checked) this.check(dir, user, 'WRITE', posix.dirname(current));
        checked = true;
        child = this.node('DIRECTORY', user, dir.group, permission);
        dir.children?.set(name, child);
        dir.modificationTime = Date.now();
      }
      dir = child;
    }
    return true;
  }

  /** Creates an empty file under construction (parents too); returns a function appending bytes to it. */
  create(path: string, user: string, options: { overwrite: boolean; permission: number }): (chunk: Buffer) => void {
    const existing = this.find(path);
    if (existing?.type === 'DIRECTORY') throw errors.alreadyExists(`${path} already exists as a directory`);
    if (existing && !options.overwrite) throw errors.alreadyExists(`${path} for client 127.0.0.1 already exists`);
    const parentPath = posix.dirname(path);
    if (!this.find(parentPath)) this.mkdirs(parentPath, user, 0o755);
    const parent = this.existing(parentPath);
    this.check(parent, user, 'WRITE', parentPath);
    const file = this.node('FILE', user, parent.group, options.permission);
    file.chunks = [];
    parent.children?.set(posix.basename(path), file);
    return (chunk) => {
      const quota = this.quotaAbove(path);
      if (quota && this.used(quota.node) + chunk.length > (quota.node.spaceQuota ?? 0)) {
        throw errors.quotaExceeded(quota.path, quota.node.spaceQuota ?? 0, this.used(quota.node) + chunk.length);
      }
      file.chunks?.push(chunk);
      file.length += chunk.length;
      file.modificationTime = Date.now();
    };
  }

  /** A file's bytes from `offset`, at most `length`; checks READ. */
  read(path: string, user: string, offset = 0, length?: number): Buffer {
    const node = this.existing(path);
    if (node.type !== 'FILE') throw errors.fileNotFound(`Path is not a file: ${path}`);
    this.check(node, user, 'READ', path);
    const data = Buffer.concat(node.chunks ?? []);
    return data.subarray(offset, length === undefined ? undefined : offset + length);
  }

  /** FileSystem.rename(src, dst) as HDFS does it: false rather than an error for most refusals. */
  rename(source: string, destination: string, user: string): boolean {
    const node = this.find(source);
    if (!node || source === '/') return false;
    let target = destination;
    const atTarget = this.find(target);
    if (atTarget?.type === 'DIRECTORY') target = posix.join(target, posix.basename(source));
    if (target === source) return true;
    if (this.find(target) || `${target}/`.startsWith(`${source}/`)) return false;
    const targetParent = this.find(posix.dirname(target));
    if (targetParent?.type !== 'DIRECTORY') return false;
    const sourceParent = this.existing(posix.dirname(source));
    this.check(sourceParent, user, 'WRITE', posix.dirname(source));
    this.check(targetParent, user, 'WRITE', posix.dirname(target));
    sourceParent.children?.delete(posix.basename(source));
    targetParent.children?.set(posix.basename(target), node);
    sourceParent.modificationTime = targetParent.modificationTime = Date.now();
    return true;
  }

  delete(path: string, recursive: boolean, user: string): boolean {
    const node = this.find(path);
    if (!node || path === '/') return false;
    if (node.children && node.children.size > 0 && !recursive) throw errors.notEmpty(path);
    const parent = this.existing(posix.dirname(path));
    this.check(parent, user, 'WRITE', posix.dirname(path));
    parent.children?.delete(posix.basename(path));
    parent.modificationTime = Date.now();
    return true;
  }

  /** Test setup: changes owner, group or permission of an existing path. */
  setAttributes(path: string, attributes: { owner?: string; group?: string; permission?: number }): void {
    Object.assign(this.existing(path), attributes);
  }

  /** Test setup: limits the bytes below a directory (creating it, as the superuser, when absent). */
  setSpaceQuota(path: string, bytes: number | undefined): void {
    if (!this.find(path)) this.mkdirs(path, this.superuser, 0o777);
    const node = this.existing(path);
    if (bytes === undefined) delete node.spaceQuota;
    else node.spaceQuota = bytes;
  }

  /** Every path below `path` (files and directories), for assertions. */
  walk(path = '/'): string[] {
    const node = this.find(path);
    if (!node?.children) return [];
    return [...node.children.entries()].flatMap(([name, child]) => [posix.join(path, name), ...this.walk(posix.join(path, name))]);
  }

  private node(type: INode['type'], owner: string, group: string, permission: number): INode {
    return { type, owner, group, permission, modificationTime: Date.now(), fileId: this.nextFileId++, length: 0, ...(type === 'DIRECTORY' ? { children: new Map() } : {}) };
  }

  private find(path: string): INode | undefined {
    let node: INode | undefined = this.root;
    for (const name of split(path)) node = node?.children?.get(name);
    return node;
  }

  private existing(path: string): INode {
    const node = this.find(path);
    if (!node) throw errors.fileNotFound(`File does not exist: ${path}`);
    return node;
  }

  private check(node: INode, user: string, access: 'READ' | 'WRITE', path: string): void {
    if (user === this.superuser) return;
    const inGroup = user === node.group || (this.groups[user] ?? []).includes(node.group);
    const shift = user === node.owner ? 6 : inGroup ? 3 : 0;
    const bit = access === 'READ' ? 4 : 2;
    if (((node.permission >> shift) & bit) === 0) {
      throw errors.accessControl(user, access, `${path}:${node.owner}:${node.group}:${node.type === 'DIRECTORY' ? 'd' : '-'}${symbolic(node.permission)}`);
    }
  }

  private statusOf(node: INode, pathSuffix: string): FileStatusJson {
    return {
      accessTime: node.type === 'FILE' ? node.modificationTime : 0,
      blockSize: node.type === 'FILE' ? 134217728 : 0,
      childrenNum: node.children?.size ?? 0,
      fileId: node.fileId,
      group: node.group,
      length: node.type === 'FILE' ? node.length : 0,
      modificationTime: node.modificationTime,
      owner: node.owner,
      pathSuffix,
      permission: node.permission.toString(8),
      replication: node.type === 'FILE' ? 1 : 0,
      storagePolicy: 0,
      type: node.type,
    };
  }

  private quotaAbove(path: string): { node: INode; path: string } | undefined {
    let found: { node: INode; path: string } | undefined;
    let node: INode | undefined = this.root;
    let current = '/';
    for (const name of split(path)) {
      if (node?.spaceQuota !== undefined) found = { node, path: current };
      node = node?.children?.get(name);
      current = posix.join(current, name);
    }
    return found;
  }

  private used(node: INode): number {
    return node.type === 'FILE' ? node.length : [...(node.children?.values() ?? [])].reduce((sum, child) => sum + this.used(child), 0);
  }
}

function split(path: string): string[] {
  return posix.normalize(path).split('/').filter((part) => part !== '');
}

function symbolic(permission: number): string {
  return [6, 3, 0].map((shift) => ['r', 'w', 'x'].map((letter, i) => ((permission >> (shift + 2 - i)) & 1 ? letter : '-')).join('')).join('');
}
