import { messageOf } from '../errors.js';

/**
 * What a multi-step operation has done so far, and how to undo each step. On failure {@link undoAll} undoes them in
 * reverse order, carrying on past an undo that fails, and reports both lists: the caller's message then says
 * exactly what was rolled back and what was not.
 */
export class UndoLog {
  private readonly steps: Array<{ readonly what: string; readonly undo: () => Promise<void> }> = [];

  /** Records a done step and how to undo it. */
  push(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
  }

  /** Undoes every recorded step, newest first; never throws. */
  async undoAll(): Promise<{ readonly undone: string[]; readonly failed: string[] }> {
    const undone: string[] = [];
    const failed: string[] = [];
    for (const step of [...this.steps].reverse()) {
      try {
        await step.undo();
        undone.push(step.what);
      } catch (error) {
        failed.push(`${step.what} (${messageOf(error)})`);
      }
    }
    this.steps.length = 0;
    return { undone, failed };
  }
}
