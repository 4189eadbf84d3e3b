import { z } from 'zod';
import { TopologyPackageError } from './package-error.js';

/** The package format this Egret writes and reads (runtime/README.md, "The topology package"). */
export const TOPOLOGY_PACKAGE_FORMAT = 1;

/** The entry holding the {@link TopologyPackageManifest}. */
export const MANIFEST_ENTRY = 'egret-package.json';
/** The entry holding the bundled topology module, as the builder names it (the manifest's `module` says). */
export const MODULE_ENTRY = 'topology.mjs';
/** The entry holding the logical plan, an encoded `heron.proto.api.Topology`. */
export const DEFINITION_ENTRY = 'topology.defn';
/** The entry holding the effective configuration as one JSON object. */
export const CONFIG_ENTRY = 'config.json';

/** Where a package's topology module came from and which submission it belongs to. */
export interface TopologyPackageManifest {
  readonly format: typeof TOPOLOGY_PACKAGE_FORMAT;
  readonly topologyName: string;
  readonly topologyId: string;
  readonly cluster: string;
  readonly role: string;
  readonly environment: string;
  /** The Egret that built the package. */
  readonly egretVersion: string;
  /** The entry holding the bundled module (a plain file name ending in `.mjs`). */
  readonly module: string;
  /**
   * The words given after the topology file on the command line. A module whose default export is a function
   * gets them again in every process that rebuilds the topology; absent means none. (An addition to the fields
   * runtime/README.md lists: without it, a module that reads its arguments would build another topology at runtime.)
   */
  readonly topologyArgs?: readonly string[];
}

const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty string` });

const manifestSchema = z.object({
  format: z.literal(TOPOLOGY_PACKAGE_FORMAT),
  topologyName: text('the topology name'),
  topologyId: text('the topology id'),
  cluster: text('the cluster name'),
  role: text('the role'),
  environment: text('the environment'),
  egretVersion: text('a version'),
  module: text('a file name').regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.mjs$/, { error: 'expected the plain name of a .mjs entry' }),
  topologyArgs: z.array(z.string({ error: 'expected strings' }), { error: 'expected a list of strings' }).optional(),
});

/**
 * Checks the bytes of `egret-package.json`. Throws PACKAGE_BAD_MANIFEST (not JSON, a field missing or of the wrong
 * type, each named) or PACKAGE_UNSUPPORTED_FORMAT (another format number, checked first: a later format may change
 * every other field). `where` names the package for messages. Unknown fields are ignored, so a later Egret may add some.
 */
export function parseManifest(bytes: Buffer, where: string): TopologyPackageManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new TopologyPackageError(`${where}: ${MANIFEST_ENTRY} is not JSON: ${(error as Error).message}`, { code: 'PACKAGE_BAD_MANIFEST', cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TopologyPackageError(`${where}: ${MANIFEST_ENTRY} must hold a JSON object`, { code: 'PACKAGE_BAD_MANIFEST' });
  }
  const format = (value as Record<string, unknown>)['format'];
  if (format !== TOPOLOGY_PACKAGE_FORMAT) {
    const found = format === undefined ? 'no format field' : `format ${JSON.stringify(format)}`;
    throw new TopologyPackageError(`${where}: ${MANIFEST_ENTRY} has ${found}; this Egret reads package format ${TOPOLOGY_PACKAGE_FORMAT}`, { code: 'PACKAGE_UNSUPPORTED_FORMAT' });
  }
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new TopologyPackageError(`${where}: ${MANIFEST_ENTRY}: ${problems.join('; ')}`, { code: 'PACKAGE_BAD_MANIFEST' });
  }
  return result.data;
}

/** The entries a package with this manifest holds, manifest first (the order the builder writes them in). */
export function packageEntries(manifest: Pick<TopologyPackageManifest, 'module'>): readonly string[] {
  return [MANIFEST_ENTRY, manifest.module, DEFINITION_ENTRY, CONFIG_ENTRY];
}
