import { dirname, extname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ConfigMap } from '../../api/config-value.js';
import type { TopologyDefinition } from '../../api/topology-definition.js';
import { egretVersion } from '../cli/commands/version-command.js';
import { writeFileAtomically } from '../download/atomic-file.js';
import { messageOf } from '../errors.js';
import { ProtoTopology, topologyToProto } from '../proto/index.js';
import type { TopologyRuntime } from '../spi/topology-runtime.js';
import { bundleTopologyModule } from '../topology/topology-bundler.js';
import { TopologyPackageError } from './package-error.js';
import { CONFIG_ENTRY, DEFINITION_ENTRY, MANIFEST_ENTRY, MODULE_ENTRY, TOPOLOGY_PACKAGE_FORMAT, type TopologyPackageManifest } from './package-layout.js';
import { writeTar } from './tar-writer.js';
import { byCodeUnit } from '../code-unit-order.js';

const gzipAsync = promisify(gzip);
const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** What {@link buildTopologyPackage} packages. */
export interface TopologyPackageRequest {
  /** The topology module the definition was loaded from (TypeScript or JavaScript). */
  readonly topologyFile: string;
  /** The loaded topology, with its effective config (as `prepareTopology` returns it). */
  readonly topology: TopologyDefinition;
  /** The submission: its name must be the topology's, its id goes into the definition and the manifest. */
  readonly runtime: Pick<TopologyRuntime, 'topologyName' | 'topologyId' | 'cluster' | 'role' | 'environment'>;
  /** The effective configuration (cluster, topology and command-line layers merged, variables substituted). */
  readonly config: ConfigMap;
  /** The words after the topology file on the command line, recorded for the processes that rebuild the topology. */
  readonly topologyArgs?: readonly string[];
  /** Where to write the gzipped tarball; its directory must exist. */
  readonly output: string;
}

/** A package written by {@link buildTopologyPackage}. */
export interface BuiltTopologyPackage {
  readonly file: string;
  readonly bytes: number;
  readonly manifest: TopologyPackageManifest;
}

/**
 * Writes the topology package of runtime/README.md: the module bundled with what it imports (Egret itself stays
 * external), the definition encoded as a Heron `Topology`, the effective config and the manifest, as a gzipped
 * tarball that appears at `output` complete or not at all. Throws TopologyPackageError: PACKAGE_NOT_RUNNABLE for a
 * spec file (it names no code to run) or a name that is not the runtime's, PACKAGE_IO when the file cannot be
 * written; the bundler's TopologyError (TOPOLOGY_LOAD_FAILED) and the codec's ProtoCodecError pass through.
 */
export async function buildTopologyPackage(request: TopologyPackageRequest): Promise<BuiltTopologyPackage> {
  const file = resolve(request.topologyFile);
  const { runtime, topology } = request;
  if (!MODULE_EXTENSIONS.has(extname(file).toLowerCase())) {
    throw new TopologyPackageError(
      `topology ${topology.name} from ${request.topologyFile} cannot be packaged to run: a spec file names no code; write the topology as a module (${[...MODULE_EXTENSIONS].join(', ')})`,
      { code: 'PACKAGE_NOT_RUNNABLE' },
    );
  }
  if (topology.name !== runtime.topologyName) {
    throw new TopologyPackageError(`cannot package topology '${topology.name}' as '${runtime.topologyName}': the names must match`, { code: 'PACKAGE_NOT_RUNNABLE' });
  }
  // Named as if beside the source, so that the inline source map points at the user's files by short relative paths.
  const moduleCode = await bundleTopologyModule(file, join(dirname(file), MODULE_ENTRY));
  const definition = Buffer.from(ProtoTopology.encode(topologyToProto(topology, { id: runtime.topologyId })).finish());
  const manifest: TopologyPackageManifest = {
    format: TOPOLOGY_PACKAGE_FORMAT,
    topologyName: runtime.topologyName,
    topologyId: runtime.topologyId,
    cluster: runtime.cluster,
    role: runtime.role,
    environment: runtime.environment,
    egretVersion: egretVersion(),
    module: MODULE_ENTRY,
    ...(request.topologyArgs && request.topologyArgs.length > 0 ? { topologyArgs: [...request.topologyArgs] } : {}),
  };
  const sortedConfig = Object.fromEntries(Object.entries(request.config).sort(([a], [b]) => byCodeUnit(a, b)));
  const mtime = new Date();
  const tarball = writeTar([
    { name: MANIFEST_ENTRY, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), mtime },
    { name: MODULE_ENTRY, data: Buffer.from(moduleCode), mtime },
    { name: DEFINITION_ENTRY, data: definition, mtime },
    { name: CONFIG_ENTRY, data: Buffer.from(`${JSON.stringify(sortedConfig, null, 2)}\n`), mtime },
  ]);
  const output = resolve(request.output);
  try {
    const bytes = await writeFileAtomically(output, Readable.from([await gzipAsync(tarball)]));
    return { file: output, bytes, manifest };
  } catch (error) {
    throw new TopologyPackageError(`writing the topology package ${output} failed: ${messageOf(error)}`, { code: 'PACKAGE_IO', cause: error });
  }
}
