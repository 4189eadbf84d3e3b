import { isErrorOf, messageOf } from '../errors.js';
import { toSafeNumber } from '../proto/index.js';
import { STATE_NODE_KINDS, StateManagerError, type StateManager, type StateNodeKind } from '../spi/state-manager.js';
import { stateNodeToJson } from './state-node-codec.js';

/** What `egret state <cluster> <topology>` shows: each node of the topology, decoded, or why it could not be. */
export interface TopologyStateReport {
  readonly topology: string;
  /** The topology node exists. */
  readonly running: boolean;
  /** Every kind, in the tree's order: the message as JSON, null when absent. */
  readonly nodes: Readonly<Record<StateNodeKind, Record<string, unknown> | null>>;
  /** The nodes that exist but could not be read (corrupted bytes), with the reason. */
  readonly problems: Readonly<Partial<Record<StateNodeKind, string>>>;
}

/** One line of `egret state <cluster>`: a running topology and who submitted it, from its execution state. */
export interface TopologySummary {
  readonly topology: string;
  readonly id?: string;
  readonly role?: string;
  readonly environment?: string;
  readonly submittedBy?: string;
  /** ISO 8601. */
  readonly submittedAt?: string;
  readonly problem?: string;
}

/**
 * Reads every node of `topology`. A corrupted node is reported in `problems` rather than thrown, so that the
 * other nodes still show; other failures (unreachable backend) throw the state manager's error. Throws STATE_NO_NODE
 * when the topology has no node at all.
 */
export async function readTopologyState(state: StateManager, topology: string, cluster: string): Promise<TopologyStateReport> {
  const nodes = {} as Record<StateNodeKind, Record<string, unknown> | null>;
  const problems: Partial<Record<StateNodeKind, string>> = {};
  for (const kind of STATE_NODE_KINDS) {
    try {
      const value = await state.find(kind, topology);
      nodes[kind] = value === undefined ? null : stateNodeToJson(kind, value);
    } catch (error) {
      if (!isErrorOf(error, StateManagerError, 'STATE_CORRUPTED')) throw error;
      nodes[kind] = null;
      problems[kind] = messageOf(error);
    }
  }
  if (Object.values(nodes).every((node) => node === null) && Object.keys(problems).length === 0) {
    throw new StateManagerError(`cluster '${cluster}' has no state for topology '${topology}'`, { code: 'STATE_NO_NODE' });
  }
  return { topology, running: nodes.topologies !== null || problems.topologies !== undefined, nodes, problems };
}

/** The running topologies with their execution states (a corrupted one is reported in `problem`). */
export async function summarizeTopologies(state: StateManager): Promise<TopologySummary[]> {
  const summaries: TopologySummary[] = [];
  for (const topology of await state.listTopologies()) {
    try {
      const execution = await state.find('executionstate', topology);
      if (!execution) {
        summaries.push({ topology });
        continue;
      }
      const seconds = execution.submissionTime === undefined || execution.submissionTime === null ? undefined : toSafeNumber(execution.submissionTime, 'submission_time');
      summaries.push({
        topology,
        id: execution.topologyId,
        role: execution.role,
        environment: execution.environ,
        ...(execution.submissionUser ? { submittedBy: execution.submissionUser } : {}),
        ...(seconds === undefined ? {} : { submittedAt: new Date(seconds * 1000).toISOString() }),
      });
    } catch (error) {
      if (!isErrorOf(error, StateManagerError, 'STATE_CORRUPTED')) throw error;
      summaries.push({ topology, problem: messageOf(error) });
    }
  }
  return summaries;
}
