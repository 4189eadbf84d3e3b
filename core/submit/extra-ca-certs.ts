/**
 * `NODE_EXTRA_CA_CERTS` names a file of certificate authorities that Node adds to its own for TLS. Node 20 reads it
 * as it starts, not at the first TLS connection: it builds its whole root store then (the ~140 bundled certificates
 * and the file's, each parsed by OpenSSL 3; nodejs/node#40524). With the system bundle named, `node -e 0` takes 100 ms
 * of CPU on our 2-core machine instead of 20 (median of 9), and a topology on 2 containers starts 14 processes.
 *
 * Where the topology's plugins all declare they open no TLS connection (core/plugins/plugins-use-tls.ts), the local
 * launcher starts the scheduler process with the variable held aside under {@link HELD_EXTRA_CA_CERTS_ENV}, so Egret's
 * own processes (scheduler, executors, topology manager, stream managers, metrics managers) inherit it held, and the
 * executors give it back to the processes that run user code (the instances), which may open any connection.
 */
export const EXTRA_CA_CERTS_ENV = 'NODE_EXTRA_CA_CERTS';
/** Where {@link holdExtraCaCerts} keeps the value for the descendants that need it. */
export const HELD_EXTRA_CA_CERTS_ENV = 'EGRET_HELD_NODE_EXTRA_CA_CERTS';

/** A copy of `env` for a process that opens no TLS connection: `NODE_EXTRA_CA_CERTS` moved to the held variable. */
export function holdExtraCaCerts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return withExtraCaCertsAs(env, HELD_EXTRA_CA_CERTS_ENV);
}

/** A copy of `env` for a process that may open TLS connections: a held `NODE_EXTRA_CA_CERTS` given back. */
export function restoreExtraCaCerts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return withExtraCaCertsAs(env, EXTRA_CA_CERTS_ENV);
}

function withExtraCaCertsAs(env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  const value = env[EXTRA_CA_CERTS_ENV] ?? env[HELD_EXTRA_CA_CERTS_ENV];
  const { [EXTRA_CA_CERTS_ENV]: _given, [HELD_EXTRA_CA_CERTS_ENV]: _held, ...rest } = env;
  return value === undefined ? rest : { ...rest, [name]: value };
}
