/**
 * The AWS SDK, imported on first use. Every command of Egret registers the built-in plugins, and so imports their
 * modules; loading the SDK with them would slow down commands and clusters that never touch S3 by a third of a
 * second. The plugin's module binds the uploader synchronously (the plugin loader loads modules synchronously) and
 * the uploader awaits this when it first talks to S3.
 */
export interface S3Sdk {
  readonly client: typeof import('@aws-sdk/client-s3');
  readonly storage: typeof import('@aws-sdk/lib-storage');
  readonly presigner: typeof import('@aws-sdk/s3-request-presigner');
}

let loading: Promise<S3Sdk> | undefined;

/** The SDK's modules, imported once. */
export function loadS3Sdk(): Promise<S3Sdk> {
  loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage'), import('@aws-sdk/s3-request-presigner')]).then(([client, storage, presigner]) => ({
    client,
    storage,
    presigner,
  }));
  return loading;
}
