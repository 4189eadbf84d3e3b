import { afterEach, beforeEach } from 'node:test';
import type { PluginDescriptor } from '../../core/plugins/plugin-descriptor.js';
import type { StateManager, StateNodeKind } from '../../core/spi/state-manager.js';
import { ChildProcesses, loadDescriptor, openStateManager, type ChildOrder, type PluginLocation, type StateManagerChild } from './statemgr-harness.js';

/** What the state-manager contract suite needs to know about an implementation. */
export interface StateManagerContractTarget {
  /** Shown in the suite's name. */
  readonly name: string;
  /** Where the plugin descriptor is exported; the suite and its child processes load it from there. */
  readonly plugin: PluginLocation;
  /** The plugin's config for a fresh, empty tree (JSON only: child processes get it too); called before each test. */
  freshTree(): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Puts `text` straight into nodes of the tree `config` names, bypassing the state manager: the suite writes text
   * that is no protobuf message to check STATE_CORRUPTED. The tree's directories exist already.
   */
  writeRawNodes(config: Readonly<Record<string, unknown>>, nodes: ReadonlyArray<{ kind: StateNodeKind; topology: string; text: string }>): Promise<void>;
  /** The longest the ephemeral nodes and locks of a killed process may outlive it (a ZooKeeper session timeout). */
  readonly releaseAfterDeathMs: number;
}

/** Per-test helpers shared by the parts of the suite. */
export interface ContractContext {
  readonly target: StateManagerContractTarget;
  /** This test's tree. */
  config(): Record<string, unknown>;
  /** A state manager on this test's tree; closed after the test. */
  open(): Promise<StateManager>;
  /** A child process working on this test's tree; killed after the test. */
  child(order: Omit<ChildOrder, 'plugin' | 'config'>): StateManagerChild;
}

/** Registers the hooks that give each test a fresh tree and clean up its managers and processes. */
export function contractContext(target: StateManagerContractTarget): ContractContext {
  let config: Record<string, unknown> | undefined;
  let descriptor: PluginDescriptor | undefined;
  const opened: StateManager[] = [];
  const children = new ChildProcesses();

  beforeEach(async () => {
    descriptor ??= await loadDescriptor(target.plugin);
    config = await target.freshTree();
  });
  afterEach(async () => {
    await children.killAll();
    await Promise.all(opened.splice(0).map((state) => state.close()));
  });

  return {
    target,
    config: () => {
      if (!config) throw new Error('no tree: the suite’s beforeEach did not run');
      return config;
    },
    open: async () => {
      if (!descriptor || !config) throw new Error('no tree: the suite’s beforeEach did not run');
      const state = await openStateManager(descriptor, config);
      opened.push(state);
      return state;
    },
    child: (order) => {
      if (!config) throw new Error('no tree: the suite’s beforeEach did not run');
      return children.start({ ...order, plugin: target.plugin, config });
    },
  };
}
