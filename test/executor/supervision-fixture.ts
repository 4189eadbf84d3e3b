import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../core/logging.js';
import type { ProcessCommands, ProcessSpec } from '../../runtime/executor/container-processes.js';
import { ProcessFiles } from '../../runtime/executor/process-files.js';
import { ProcessSupervisor } from '../../runtime/executor/process-supervisor.js';
import type { ProcessEvent } from '../../runtime/executor/supervised-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import type { DummyBehaviour } from './dummy-child.js';

/** The dummy child (dummy-child.ts) for every kind of process. */
export const DUMMY_COMMANDS: ProcessCommands = (() => {
  const dummy = fileURLToPath(new URL('./dummy-child.js', import.meta.url));
  return {
    tmanager: { command: process.execPath, args: [dummy, 'tmanager'] },
    stmgr: { command: process.execPath, args: [dummy, 'stmgr'] },
    metricsmgr: { command: process.execPath, args: [dummy, 'metricsmgr'] },
    instance: { command: process.execPath, args: [dummy, 'instance'] },
  };
})();

/** A process event with the time it was observed. */
export type TimedEvent = ProcessEvent & { readonly at: number };

/** A supervisor of dummy children in a fresh working directory, recording every event. */
export interface SupervisionFixture {
  readonly supervisor: ProcessSupervisor;
  readonly files: ProcessFiles;
  readonly events: TimedEvent[];
  /** Sets what the dummies do from their next start on. */
  behave(behaviours: Readonly<Record<string, DummyBehaviour>>): void;
}

/** Builds a {@link SupervisionFixture}; the behaviour file is passed to the dummies through the environment. */
export function supervisionFixture(options: { minMs: number; maxMs: number; resetAfterMs?: number; stopGraceMs?: number; commands?: ProcessCommands }): SupervisionFixture {
  const dir = tempDir();
  const behaviourFile = join(dir, 'behaviour.json');
  process.env['EGRET_DUMMY_BEHAVIOUR'] = behaviourFile;
  const files = new ProcessFiles(join(dir, 'work'));
  files.prepare();
  const events: TimedEvent[] = [];
  const supervisor = new ProcessSupervisor({
    commands: options.commands ?? DUMMY_COMMANDS,
    files,
    backoff: { minMs: options.minMs, maxMs: options.maxMs, ...(options.resetAfterMs === undefined ? {} : { resetAfterMs: options.resetAfterMs }) },
    stopGraceMs: options.stopGraceMs ?? 2000,
    logger: createLogger('executor-test'),
    onEvent: (event) => events.push({ ...event, at: Date.now() }),
  });
  return { supervisor, files, events, behave: (behaviours) => writeFileSync(behaviourFile, JSON.stringify(behaviours)) };
}

/** The specs of dummy processes by name (kind from the name). */
export function specs(...names: string[]): Map<string, ProcessSpec> {
  return new Map(names.map((name) => [name, { name, kind: name.startsWith('stmgr') ? 'stmgr' : name.startsWith('metricsmgr') ? 'metricsmgr' : name === 'tmanager' ? 'tmanager' : 'instance', args: ['--name', name] }]));
}
