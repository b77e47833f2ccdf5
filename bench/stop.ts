/** Stopping the servers a benchmark started, however it ends. */
import { constants } from 'node:os';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `stop` once: when released, on exit, or on SIGINT/SIGTERM/SIGHUP, after which the process exits as killed by
 * that signal. The handlers stay in place while it stops, so the second SIGINT of a Ctrl-C (it reaches tsx, which
 * passes it on, and this process) cannot cut the stop short. A watchdog stops the daemons if this process is killed
 * outright.
 */
export function stopOnExitOrSignal(stop: () => void): () => void {
  let stopped = false;
  const once = (): void => {
    if (stopped) return;
    stopped = true;
    stop();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    once();
    process.exit(128 + constants.signals[signal]);
  };
  process.on('exit', once);
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return () => {
    once();
    process.off('exit', once);
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
}
