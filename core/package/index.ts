/** The topology package (runtime/README.md): built on submit, unpacked by the executor, read by every runtime process. */
export { buildTopologyPackage, type BuiltTopologyPackage, type TopologyPackageRequest } from './package-builder.js';
export { TopologyPackageError, type TopologyPackageErrorCode } from './package-error.js';
export { CONFIG_ENTRY, DEFINITION_ENTRY, MANIFEST_ENTRY, MODULE_ENTRY, TOPOLOGY_PACKAGE_FORMAT, type TopologyPackageManifest } from './package-layout.js';
export { MAX_UNPACKED_PACKAGE_BYTES, readTopologyPackage, unpackTopologyPackage, type TopologyPackage } from './package-reader.js';
export { packageConfig, packageRuntime } from './package-config.js';
