/**
 * Runs s3rver (through the test helper) in a child process, for tests that put its storage on a small tmpfs: the
 * argument is the directory; prints `listening <port>` and serves until stdin closes.
 */
import { startS3Server } from '../helpers/s3-server.js';

const [directory = '', bucket = 'egret-full'] = process.argv.slice(2);
const server = await startS3Server({ buckets: [bucket], directory });
process.stdout.write(`listening ${server.port}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
