/** Where a topology runs: `<cluster>[/<role>[/<environment>]]`. */
export interface ClusterTarget {
  readonly cluster: string;
  /** Defaults to the OS user. */
  readonly role: string;
  /** Defaults to `default`. */
  readonly environment: string;
}
