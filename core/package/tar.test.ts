import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { readTar, TarFormatError } from './tar-reader.js';
import { TAR_BLOCK, writeTar } from './tar-writer.js';

function hasSystemTar(): boolean {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('tar writer and reader', () => {
  it('round-trip files of every size around a block boundary', () => {
    const files = [0, 1, 511, 512, 513, 5000].map((size, i) => ({ name: `f${i}.bin`, data: Buffer.alloc(size, i + 1) }));
    const tarball = writeTar(files);
    assert.equal(tarball.length % TAR_BLOCK, 0);
    assert.deepEqual(
      readTar(tarball).map((e) => [e.name, e.data]),
      files.map((f) => [f.name, f.data]),
    );
  });

  it('write what GNU tar reads, and read what GNU tar writes', { skip: !hasSystemTar() && 'no tar command' }, () => {
    const dir = tempDir({ 'in/a.txt': 'alpha', 'in/b.json': '{"b":1}' });
    const ours = join(dir, 'ours.tar');
    writeFileSync(ours, writeTar([{ name: 'a.txt', data: Buffer.from('alpha') }, { name: 'b.json', data: Buffer.from('{"b":1}') }]));
    assert.deepEqual(execFileSync('tar', ['-tf', ours], { encoding: 'utf8' }).trim().split('\n'), ['a.txt', 'b.json']);
    assert.equal(execFileSync('tar', ['-xOf', ours, 'b.json'], { encoding: 'utf8' }), '{"b":1}');
    for (const format of ['gnu', 'ustar', 'pax']) {
      const theirs = join(dir, `theirs-${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', theirs, '-C', join(dir, 'in'), '.']);
      const entries = readTar(readFileSync(theirs)).map((e) => [e.name, e.data.toString()]);
      assert.deepEqual(entries.sort(), [['a.txt', 'alpha'], ['b.json', '{"b":1}']], format);
    }
  });

  it('refuse links, sub-directories, and names with a directory part', { skip: !hasSystemTar() && 'no tar command' }, () => {
    const dir = tempDir({ 'in/sub/x.txt': 'x', 'in/a.txt': 'a' });
    symlinkSync('a.txt', join(dir, 'in', 'link'));
    for (const member of ['sub', 'sub/x.txt', 'link']) {
      const tarball = join(dir, 'bad.tar');
      execFileSync('tar', ['--no-recursion', '-cf', tarball, '-C', join(dir, 'in'), member]);
      assert.throws(() => readTar(readFileSync(tarball)), (error: unknown) => error instanceof TarFormatError && error.unexpected && error.message.includes(member), member);
    }
  });

  it('refuse a corrupt header and a truncated archive', () => {
    const tarball = writeTar([{ name: 'a.txt', data: Buffer.alloc(2000, 7) }]);
    const corrupt = Buffer.from(tarball);
    corrupt[10] = 0x41;
    assert.throws(() => readTar(corrupt), /bad checksum/);
    assert.throws(() => readTar(tarball.subarray(0, 1024)), /entry 'a\.txt' is truncated/);
    assert.throws(() => readTar(tarball.subarray(0, tarball.length - 2 * TAR_BLOCK)), /end-of-archive/);
    assert.throws(() => readTar(Buffer.from('hello')), /not even one header/);
  });
});
