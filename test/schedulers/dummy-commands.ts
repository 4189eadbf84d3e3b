import { fileURLToPath } from 'node:url';
import type { LocalCommand } from '../../schedulers/local/local-commands.js';

/** The dummy executor (dummy-executor.ts) as the local scheduler's executor command. */
export const DUMMY_EXECUTOR_COMMAND: LocalCommand = { command: process.execPath, args: [fileURLToPath(new URL('./dummy-executor.js', import.meta.url))] };

/** The scheduler process composed with dummy executors (scheduler-main-dummies.ts), as the local launcher's command. */
export const DUMMY_SCHEDULER_COMMAND: LocalCommand = { command: process.execPath, args: ['--enable-source-maps', fileURLToPath(new URL('./scheduler-main-dummies.js', import.meta.url))] };
