import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../../api/byte-amount.js';
import { readTopologyConfig } from '../../api/topology-config.js';
import { egretVersion } from '../cli/commands/version-command.js';
import { isEgretError, messageOf } from '../errors.js';
import { buildTopologyPackage } from '../package/package-builder.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { selectedPluginName } from '../plugins/plugin-selection.js';
import { packingPlanToProto, ProtoExecutionState, topologyToProto } from '../proto/index.js';
import { Launcher } from '../spi/launcher.js';
import { Packing } from '../spi/packing.js';
import type { SchedulerMode } from '../spi/scheduler.js';
import { instancesOf, type PackingPlan } from '../spi/packing-plan.js';
import { StateManager } from '../spi/state-manager.js';
import type { TopologyRuntime } from '../spi/topology-runtime.js';
import { Uploader } from '../spi/uploader.js';
import { pluginContainerFor, prepareTopology, type TopologyRequest } from './dry-run.js';
import { SubmitError } from './submit-error.js';
import { UndoLog } from './undo-log.js';
import { isPluginError } from './plugin-error-check.js';

/** The steps of a submit, in order; progress and errors name them. */
export type SubmitStep = 'load' | 'check' | 'pack' | 'package' | 'upload' | 'state' | 'launch';

export interface SubmitRequest extends TopologyRequest {
  readonly registry: PluginRegistry;
  /** Start the topology PAUSED: spouts wait for `egret activate`. */
  readonly deployDeactivated?: boolean;
  /** Called as each step completes, for the user to follow. */
  readonly progress?: (step: SubmitStep, message: string) => void;
}

export interface SubmitResult {
  readonly runtime: TopologyRuntime;
  readonly plan: PackingPlan;
  readonly packageUri: string;
  readonly warnings: readonly string[];
}

/**
 * `egret submit`: load and validate the topology, refuse a name already running, pack, build the package, upload
 * it, write the topology, packing plan and execution state, launch. A failure after any step undoes every step
 * before it, newest first (state nodes deleted, upload undone), and the SubmitError says which step failed, why,
 * and what was (and, should an undo fail, was not) undone. Errors before anything is done (config, topology,
 * plugin names) pass through as they are.
 */
export async function submitTopology(request: SubmitRequest): Promise<SubmitResult> {
  const progress = request.progress ?? (() => undefined);
  const prepared = await prepareTopology(request);
  const { topology, runtime } = prepared;
  const settings = readTopologyConfig(topology.config);
  if (settings.reliabilityMode === 'EFFECTIVELY_ONCE') {
    throw new SubmitError(`topology '${topology.name}' asks for topology.reliability.mode EFFECTIVELY_ONCE, which this Egret does not run yet; use ATLEAST_ONCE or ATMOST_ONCE`, {
      code: 'SUBMIT_UNSUPPORTED',
    });
  }
  progress('load', `topology ${topology.name}: ${topology.spouts.length} spout(s), ${topology.bolts.length} bolt(s), ${settings.reliabilityMode}`);
  // Every plugin is selected and its config checked now, before anything is done: a misspelled name changes nothing.
  const container = await pluginContainerFor(prepared, request.registry, ['statemgr', 'packing', 'uploader', 'scheduler', 'launcher']);
  const state = container.get<StateManager>(StateManager);
  const undo = new UndoLog();
  const workDir = mkdtempSync(join(tmpdir(), 'egret-submit-'));
  let step: SubmitStep = 'check';
  let uploader: Uploader | undefined;
  let launcher: Launcher | undefined;
  try {
    await refuseRunning(state, runtime);
    step = 'pack';
    const plan = container.get<Packing>(Packing).pack(topology);
    progress('pack', `${plan.containers.length} container(s), ${instancesOf(plan).length} instance(s) (${selectedPluginName(prepared.config, 'packing').name})`);
    step = 'package';
    const built = await buildTopologyPackage({
      topologyFile: request.topologyFile,
      topology,
      runtime,
      config: prepared.config.toMap(),
      topologyArgs: request.topologyArgs,
      output: join(workDir, `${topology.name}.tar.gz`),
    });
    progress('package', `package ${formatBytes(built.bytes)}`);
    step = 'upload';
    const activeUploader = container.get<Uploader>(Uploader);
    uploader = activeUploader;
    const packageUri = await activeUploader.upload(built.file);
    undo.push('upload', () => activeUploader.undo());
    progress('upload', `uploaded to ${packageUri} (${selectedPluginName(prepared.config, 'uploader').name})`);
    step = 'state';
    const activeLauncher = container.get<Launcher>(Launcher);
    launcher = activeLauncher;
    await writeState(state, undo, { ...runtime, packageUri }, activeLauncher.mode, prepared.topology, plan, request.deployDeactivated === true);
    progress('state', `topology, packing plan and execution state written (${selectedPluginName(prepared.config, 'statemgr').name})`);
    step = 'launch';
    await activeLauncher.launch(plan, packageUri);
    progress('launch', `launched (${selectedPluginName(prepared.config, 'launcher').name} launcher, ${selectedPluginName(prepared.config, 'scheduler').name} scheduler)`);
    return { runtime: { ...runtime, packageUri }, plan, packageUri, warnings: prepared.warnings };
  } catch (error) {
    const { undone, failed } = await undo.undoAll();
    if (error instanceof SubmitError) throw error;
    const undoneText = undone.length > 0 ? `; undone: ${undone.join(', ')}` : '; nothing had been done';
    const failedText = failed.length > 0 ? `; COULD NOT UNDO: ${failed.join(', ')}` : '';
    throw new SubmitError(`submit of '${topology.name}' failed at step '${step}': ${messageOf(error)}${undoneText}${failedText}`, { code: 'SUBMIT_FAILED', cause: error });
  } finally {
    await closeQuietly(launcher, uploader, state);
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function refuseRunning(state: StateManager, runtime: TopologyRuntime): Promise<void> {
  if (!(await state.isTopologyRunning(runtime.topologyName))) return;
  throw await alreadyRunning(state, runtime.topologyName);
}

async function alreadyRunning(state: StateManager, name: string): Promise<SubmitError> {
  const execution = await state.find('executionstate', name).catch(() => undefined);
  const where = execution
    ? ` on ${execution.cluster}/${execution.role}/${execution.environ}, submitted by ${execution.submissionUser ?? 'unknown'}` +
      (execution.submissionTime ? ` at ${new Date(Number(execution.submissionTime) * 1000).toISOString()}` : '')
    : '';
  return new SubmitError(`topology '${name}' is already running${where}; kill it first (egret kill) or submit under another name`, { code: 'SUBMIT_ALREADY_RUNNING' });
}

/** The topology node first (it means "running"), then the packing plan, then the execution state. */
async function writeState(state: StateManager, undo: UndoLog, runtime: TopologyRuntime & { packageUri: string }, schedulerMode: SchedulerMode, topology: Parameters<typeof topologyToProto>[0], plan: PackingPlan, paused: boolean): Promise<void> {
  const name = runtime.topologyName;
  try {
    await state.create('topologies', name, topologyToProto(topology, { id: runtime.topologyId, state: paused ? 'PAUSED' : 'RUNNING' }));
  } catch (error) {
    // Another submit of the same name got there between the check and now.
    if (isPluginError(error, 'StateManagerError', 'STATE_NODE_EXISTS')) throw await alreadyRunning(state, name);
    throw error;
  }
  undo.push('topology node', () => state.delete('topologies', name));
  await state.set('packingplans', name, packingPlanToProto(plan));
  undo.push('packing plan node', () => state.delete('packingplans', name));
  await state.create(
    'executionstate',
    name,
    ProtoExecutionState.create({
      topologyName: name,
      topologyId: runtime.topologyId,
      submissionTime: Math.floor(Date.now() / 1000),
      submissionUser: runtime.submitUser,
      cluster: runtime.cluster,
      role: runtime.role,
      environ: runtime.environment,
      releaseState: { releaseUsername: runtime.submitUser, releaseTag: '', releaseVersion: egretVersion() },
      packageUri: runtime.packageUri,
      schedulerMode,
    }),
  );
  undo.push('execution state node', () => state.delete('executionstate', name));
}

async function closeQuietly(...closables: Array<{ close(): Promise<void> } | undefined>): Promise<void> {
  for (const closable of closables) {
    try {
      await closable?.close();
    } catch (error) {
      if (!isEgretError(error)) throw error;
    }
  }
}
