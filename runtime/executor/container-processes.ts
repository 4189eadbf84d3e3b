import { dirname } from 'node:path';
import type { ContainerPlan } from '../../core/spi/packing-plan.js';
import { defaultLocalEndpoint as stmgrEndpoint, instanceIdOf as instanceName, stmgrIdOf as stmgrName } from '../common/runtime-ids.js';

/** The kinds of process an executor starts; each has its own entry point (see {@link ProcessCommands}). */
export type ProcessKind = 'tmanager' | 'stmgr' | 'metricsmgr' | 'instance';

/** One process an executor keeps running: its log and pid file name, its kind and the arguments of that kind. */
export interface ProcessSpec {
  /** `tmanager`, `stmgr-<c>`, `metricsmgr-<c>` or `container_<c>_<component>_<task>` (runtime/README.md). */
  readonly name: string;
  readonly kind: ProcessKind;
  /**
   * The command line after the kind's entry point: `--package-dir DIR ...` as runtime/README.md says, and for an
   * instance also `--component NAME --component-index I` (from the packing plan).
   */
  readonly args: readonly string[];
  /**
   * How much lower than the executor's own the process's CPU priority is (nice), 0 when unset. The metrics manager
   * runs lower: it is background work, and where processes compete for the cores (every process of a container
   * starting at once) the topology's data path gets there first.
   */
  readonly niceness?: number;
}

/** How to start a process of one kind: a command and the arguments that come before a {@link ProcessSpec}'s. */
export interface ProcessCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The command of every kind. The executor's entry point names the real `egret-*` entry points; tests name dummy
 * scripts, so that supervision is tested without a topology manager, stream manager or instance.
 */
export type ProcessCommands = Readonly<Record<ProcessKind, ProcessCommand>>;

/** Process names are the ids the processes give each other (runtime/common/runtime-ids.ts). */
export { instanceName, stmgrEndpoint, stmgrName };

/**
 * See {@link ProcessSpec.niceness}. 19, the lowest priority: while a container starts, its metrics managers (one per
 * container, about 0.2 s of CPU each to load) then take almost nothing from the processes the topology needs to run
 * (the publishers keep their reports until it is up). On two cores, 6 starts of word count on 2 containers each way,
 * interleaved: submit to running median 3770 ms at nice 5, 3520 ms at nice 19, every pair faster at 19. Once
 * running it still gets the CPU it needs: a metrics interval's work is milliseconds, and a sleeping process that
 * wakes is run soon whatever its weight.
 */
export const METRICS_MANAGER_NICENESS = 19;

/** `metricsmgr-<container>`: the name of a container's metrics manager, as Heron names it. */
export function metricsManagerName(container: number): string {
  return `metricsmgr-${container}`;
}

/** The container a process name belongs to, or undefined for a name no executor gives. */
export function containerOfProcess(name: string): number | undefined {
  if (name === 'tmanager') return 0;
  const match = /^(?:stmgr|metricsmgr)-(\d+)$|^container_(\d+)_./.exec(name);
  return match ? Number(match[1] ?? match[2]) : undefined;
}

/** What {@link containerProcesses} needs to name and start a container's processes. */
export interface ContainerProcessesOptions {
  readonly container: number;
  readonly packageDir: string;
  /** The executor's working directory (the metrics manager's files go there); default: the parent of `packageDir`. */
  readonly workingDir?: string;
  readonly topologyId: string;
  readonly plan?: ContainerPlan;
}

/**
 * The processes of one container, by name: container 0 runs the topology manager and its metrics manager;
 * container c ≥ 1 its stream manager, its metrics manager and one instance per task of its plan (`plan` is
 * required then).
 */
export function containerProcesses(options: ContainerProcessesOptions): Map<string, ProcessSpec> {
  const { container, packageDir, topologyId, plan } = options;
  const processes = new Map<string, ProcessSpec>();
  const add = (spec: ProcessSpec) => processes.set(spec.name, spec);
  const metricsManager: ProcessSpec = {
    name: metricsManagerName(container),
    kind: 'metricsmgr',
    args: ['--package-dir', packageDir, '--container', String(container), '--working-dir', options.workingDir ?? dirname(packageDir)],
    niceness: METRICS_MANAGER_NICENESS,
  };
  if (container === 0) {
    add({ name: 'tmanager', kind: 'tmanager', args: ['--package-dir', packageDir] });
    add(metricsManager);
    return processes;
  }
  if (!plan || plan.id !== container) throw new Error(`container ${container} needs its own container plan`);
  const base = ['--package-dir', packageDir, '--container', String(container)];
  add({ name: stmgrName(container), kind: 'stmgr', args: base });
  add(metricsManager);
  const endpoint = stmgrEndpoint(topologyId, container);
  for (const instance of plan.instances) {
    add({
      name: instanceName(container, instance.component, instance.taskId),
      kind: 'instance',
      // --component and --component-index go beyond runtime/README.md's command line: the instance registers with
      // them, and the packing plan the executor follows is where they are known for sure.
      args: [...base, '--task-id', String(instance.taskId), '--stmgr-endpoint', endpoint, '--component', instance.component, '--component-index', String(instance.componentIndex)],
    });
  }
  return processes;
}

