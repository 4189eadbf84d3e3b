import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { S3SigningProxy } from '../doubles/s3-signing-proxy.js';
import { S3RVER_CREDENTIALS, startS3Server } from '../helpers/s3-server.js';
import { s3DownloaderModule } from '../../uploaders/s3/s3-downloader-module.js';
import { s3UploaderPlugin } from '../../uploaders/s3/s3-uploader-plugin.js';
import { describeUploaderContract } from './uploader.js';

const BUCKET = 'egret-contract';

describeUploaderContract('s3', async () => {
  const s3 = await startS3Server({ buckets: [BUCKET] });
  // Every request goes through the signature-checking proxy: s3rver itself accepts unsigned or badly signed ones.
  const proxy = await S3SigningProxy.start(s3.endpoint, { [S3RVER_CREDENTIALS.accessKeyId]: S3RVER_CREDENTIALS.secretAccessKey });
  const lister = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  const prefix = (r: { cluster: string; role: string; topologyName: string }) => `egret/packages/${r.cluster}/${r.role}/${r.topologyName}/`;
  return {
    plugin: s3UploaderPlugin,
    pluginModule: { url: new URL('../../uploaders/s3/s3-uploader-plugin.js', import.meta.url).href, exportName: 's3UploaderPlugin' },
    config: {
      'egret.uploader.s3.bucket': BUCKET,
      'egret.uploader.s3.endpoint': proxy.endpoint,
      'egret.uploader.s3.path.style': true,
      'egret.uploader.s3.access.key': S3RVER_CREDENTIALS.accessKeyId,
      'egret.uploader.s3.secret.key': S3RVER_CREDENTIALS.secretAccessKey,
      'egret.uploader.s3.multipart.part.size': '5MiB',
      'egret.uploader.s3.timeout.ms': 10_000,
    },
    downloaderModules: [s3DownloaderModule],
    listStored: async (r) => {
      const listed = await lister.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix(r) }));
      return (listed.Contents ?? []).map((object) => (object.Key ?? '').slice(prefix(r).length)).sort();
    },
    atomicReplace: true,
    // Three 5 MiB parts, read by the proxy at 4 MiB/s while slowed.
    largePackageBytes: 12 * 1024 * 1024,
    slowUploads: (slow) => proxy.throttle(slow ? 4 * 1024 * 1024 : undefined),
    uploadInFlight: (r, timeoutMs) => proxy.waitForBody((method, target) => method === 'PUT' && target.includes(`/${r.topologyName}/${r.topologyName}.tar.gz`), timeoutMs),
    close: async () => {
      lister.destroy();
      await proxy.close();
      await s3.close();
    },
  };
});
