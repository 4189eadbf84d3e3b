import type { StateWatch, StateWatchEvent } from '../spi/state-manager.js';
import { messageOf } from '../errors.js';

/**
 * What a node looks like at one moment: `undefined` when absent, else a token that changes whenever its content is
 * replaced (ZooKeeper's czxid and mzxid, a file's inode and mtime).
 */
export type NodeVersion = string | undefined;

export interface NodeWatcherOptions {
  /** Reads the node's current version; a backend that needs it re-arms its own notification here. */
  readonly probe: () => Promise<NodeVersion>;
  readonly callback: (event: StateWatchEvent) => void | Promise<void>;
  /** Told about a failed probe or a throwing callback; the watch goes on. */
  readonly onError: (error: unknown) => void;
}

/**
 * Turns "something may have changed" notifications (inotify, a ZooKeeper watch, a poll timer, a reconnect) into
 * the ordered, never-overlapping created / changed / deleted callbacks of {@link StateManager.watch}, by comparing
 * the versions it observes. Both state managers use it, so both report events with the same rules: notifications
 * that arrive while a probe runs collapse into one more probe, and an unchanged version reports nothing.
 */
export class NodeWatcher implements StateWatch {
  private last: NodeVersion;
  private running = false;
  private again = false;
  private cancelled = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly cancelHooks: Array<() => void> = [];

  constructor(private readonly options: NodeWatcherOptions) {}

  /** Reads the first version (no event for it). Throws what the probe throws. */
  async start(): Promise<void> {
    this.last = await this.options.probe();
  }

  /** Asks for a fresh look at the node; cheap to call often. */
  readonly poke = (): void => {
    if (this.cancelled) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.loop();
  };

  /** Runs `hook` when the watch is cancelled (closing an fs watcher, clearing a timer). */
  onCancel(hook: () => void): void {
    if (this.cancelled) hook();
    else this.cancelHooks.push(hook);
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const hook of this.cancelHooks.splice(0)) hook();
  }

  /** Resolves when no probe or callback is running (for close()). */
  settled(): Promise<void> {
    return this.idle;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        let next: NodeVersion;
        try {
          next = await this.options.probe();
        } catch (error) {
          if (!this.cancelled) this.options.onError(error);
          continue;
        }
        const event = transition(this.last, next);
        this.last = next;
        if (event && !this.cancelled) {
          try {
            await this.options.callback(event);
          } catch (error) {
            this.options.onError(new Error(`a state watch callback threw: ${messageOf(error)}`, { cause: error }));
          }
        }
      } while (this.again && !this.cancelled);
    } finally {
      this.running = false;
    }
  }
}

function transition(before: NodeVersion, after: NodeVersion): StateWatchEvent | undefined {
  if (before === after) return undefined;
  if (before === undefined) return 'created';
  if (after === undefined) return 'deleted';
  return 'changed';
}
