/**
 * Uploads two packages with the localfs uploader into a directory on a small tmpfs (set up by the parent test): the
 * first fits, the second does not. Prints one JSON line: the error of the second upload, the directory's entries
 * afterwards, and the bytes left at the first upload's URI.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isEgretError } from '../../core/errors.js';
import { localFsUploaderPlugin } from '../../uploaders/localfs/localfs-uploader-plugin.js';
import { testRuntime, uploaderFromPlugin } from '../contracts/uploader-harness.js';

const [directory = '', fits = '', tooLarge = ''] = process.argv.slice(2);
const runtime = testRuntime('full');
const uploader = await uploaderFromPlugin(localFsUploaderPlugin, { 'egret.uploader.localfs.directory': directory }, runtime);
const uri = await uploader.upload(fits);
let error: { code: string; message: string } | undefined;
try {
  await uploader.upload(tooLarge);
} catch (caught) {
  error = isEgretError(caught) ? { code: caught.code, message: caught.message } : { code: 'not an EgretError', message: String(caught) };
}
const entries = await readdir(directory);
const left = await readFile(fileURLToPath(uri));
await uploader.close();
process.stdout.write(`${JSON.stringify({ error, entries, leftBytes: left.length })}\n`);
