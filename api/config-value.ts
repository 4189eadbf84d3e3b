/** A configuration value as YAML, JSON or a topology module can state it. */
export type ConfigValue = string | number | boolean | null | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };

/** A flat map of dotted keys (`topology.stmgrs`) to values. */
export type ConfigMap = Readonly<Record<string, ConfigValue>>;
