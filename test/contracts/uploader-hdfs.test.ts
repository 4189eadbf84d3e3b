import { posix } from 'node:path';
import { WebHdfsServerDouble } from '../doubles/webhdfs-server.js';
import { hdfsUploaderPlugin } from '../../uploaders/hdfs/hdfs-uploader-plugin.js';
import { webHdfsDownloaderModule } from '../../uploaders/hdfs/webhdfs-downloader-module.js';
import { describeUploaderContract } from './uploader.js';

describeUploaderContract('hdfs', async () => {
  const hdfs = await WebHdfsServerDouble.start();
  const directory = (r: { cluster: string; role: string; topologyName: string }) => posix.join('/egret/packages', r.cluster, r.role, r.topologyName);
  return {
    plugin: hdfsUploaderPlugin,
    pluginModule: { url: new URL('../../uploaders/hdfs/hdfs-uploader-plugin.js', import.meta.url).href, exportName: 'hdfsUploaderPlugin' },
    config: { 'egret.uploader.hdfs.namenode.uri': hdfs.namenodeUrl, 'egret.uploader.hdfs.timeout.ms': 10_000 },
    downloaderModules: [webHdfsDownloaderModule],
    listStored: async (r) => {
      try {
        return hdfs.namespace.list(directory(r)).map((status) => String(status['pathSuffix'])).sort();
      } catch {
        return [];
      }
    },
    // HDFS's RENAME does not overwrite: the old package is moved aside, then the new one in.
    atomicReplace: false,
    largePackageBytes: 4 * 1024 * 1024,
    slowUploads: (slow) => hdfs.throttleWrites(slow ? 2 * 1024 * 1024 : undefined),
    uploadInFlight: async (r, timeoutMs) => void (await hdfs.waitForWrite((path) => path.startsWith(`${directory(r)}/.`), timeoutMs)),
    close: () => hdfs.close(),
  };
});
