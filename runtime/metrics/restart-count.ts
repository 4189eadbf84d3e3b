/**
 * How many times the executor has restarted this process: `EGRET_RESTART_COUNT`, which it sets for each process it
 * starts; 0 when absent or not a whole number. Instances and stream managers publish it as `__restarts`.
 */
export function restartCount(env: NodeJS.ProcessEnv): number {
  const value = Number(env['EGRET_RESTART_COUNT']);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
