/**
 * The child's side of the executor's no-orphan guarantee, for every process an executor starts (runtime/README.md):
 * calls `onGone` once the IPC channel to the executor has closed, because the executor stopped or died (even by
 * SIGKILL: the kernel closes its end). Node reports the closing with a 'disconnect' event, but emits it only once,
 * and an ES module's entry point may still be loading when it happens (an executor killed just after starting the
 * child): a listener added later never hears of it. So this also calls `onGone` at once when the channel is already
 * closed. Does nothing in a process started without an IPC channel (by hand, from a shell).
 */
export function onExecutorGone(onGone: () => void): void {
  // `process.send` exists in every process started with an IPC channel, and stays after the channel closes.
  if (typeof process.send !== 'function') return;
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    onGone();
  };
  process.once('disconnect', once);
  if (!process.connected) once();
}
