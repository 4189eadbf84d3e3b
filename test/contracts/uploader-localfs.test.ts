import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { localFsUploaderPlugin } from '../../uploaders/localfs/localfs-uploader-plugin.js';
import { describeUploaderContract } from './uploader.js';

describeUploaderContract('localfs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'egret-localfs-contract-'));
  const location = (r: { cluster: string; role: string; topologyName: string }) => join(root, r.cluster, r.role, r.topologyName);
  const list = async (r: Parameters<typeof location>[0]) => (await readdir(location(r)).catch(() => [] as string[])).sort();
  return {
    plugin: localFsUploaderPlugin,
    pluginModule: { url: new URL('../../uploaders/localfs/localfs-uploader-plugin.js', import.meta.url).href, exportName: 'localFsUploaderPlugin' },
    config: { 'egret.uploader.localfs.directory': join(root, '${CLUSTER}', '${ROLE}', '${TOPOLOGY}') },
    downloaderModules: [],
    listStored: list,
    atomicReplace: true,
    // No server to slow down: a package large enough that copying and syncing it takes a while on any disk.
    largePackageBytes: 64 * 1024 * 1024,
    slowUploads: () => undefined,
    uploadInFlight: async (r, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await list(r)).some((name) => name.endsWith('.partial'))) {
        if (Date.now() > deadline) throw new Error(`no upload of ${r.topologyName} started within ${timeoutMs} ms`);
        await sleep(2);
      }
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
});
