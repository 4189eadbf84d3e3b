import { z } from 'zod';

const milliseconds = (min: number, fallback: number) =>
  z.number({ error: 'expected milliseconds' }).int({ error: 'expected whole milliseconds' }).min(min, { error: `expected at least ${min} ms` }).max(3_600_000).default(fallback);

/** The keys of the ZooKeeper state manager (`egret.statemgr: zookeeper`). */
export const zooKeeperStateManagerConfigSchema = z.object({
  /** `host:port[,host:port...]`, optionally followed by a chroot path, as every ZooKeeper client takes it. */
  'egret.statemgr.zookeeper.connection.string': z
    .string({ error: 'expected host:port[,host:port...][/chroot]' })
    .regex(/^[^\s,/]+:\d+(,[^\s,/]+:\d+)*(\/\S*)?$/, { error: 'expected host:port[,host:port...][/chroot]' })
    .default('127.0.0.1:2181'),
  /** The node under which the tree lives. */
  'egret.statemgr.zookeeper.root': z
    .string({ error: 'expected an absolute ZooKeeper path such as /egret' })
    .regex(/^(\/[^/\s]+)+$/, { error: 'expected an absolute ZooKeeper path such as /egret (no trailing /)' })
    .default('/egret'),
  /**
   * How long the server keeps the session (and so this process's ephemeral nodes and locks) after losing touch with
   * it. The server clamps it to [2, 20] × its tickTime.
   */
  'egret.statemgr.zookeeper.session.timeout.ms': milliseconds(100, 30_000),
  /** How long any call waits for a connection before failing with STATE_UNREACHABLE. */
  'egret.statemgr.zookeeper.connect.timeout.ms': milliseconds(100, 10_000),
});

/** DI token of the validated {@link ZooKeeperStateManagerConfig}. */
export const ZooKeeperStateManagerConfig: unique symbol = Symbol.for('egret.statemgr.zookeeper.config');

/** The ZooKeeper state manager's validated config. */
export type ZooKeeperStateManagerConfig = z.infer<typeof zooKeeperStateManagerConfigSchema>;
