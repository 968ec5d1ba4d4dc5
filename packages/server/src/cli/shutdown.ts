import { endRun, type RunStorage } from '@vitrina/core';

/** How long a cancelled run may take to stop and record itself before the process gives up on it. */
export const GRACE_MS = 8_000;

const signals = ['SIGINT', 'SIGTERM'] as const;
export type ShutdownSignal = (typeof signals)[number];

/**
 * Ctrl-C and SIGTERM, handled alike by every long-running command. The first signal calls `stop`
 * (cancel what runs, record it, close); if that has not finished within the grace period, or a
 * second signal arrives, the runs still going are recorded as cancelled directly and the process
 * exits — so it always ends within about ten seconds and no run is left `running`.
 */
export function handleShutdown(options: {
  storage: RunStorage;
  /** The runs of this process that have not finished. */
  runIds: () => string[];
  stop: (signal: ShutdownSignal) => void | Promise<void>;
}): { signalled: Promise<ShutdownSignal>; dispose: () => void } {
  let first: ShutdownSignal | null = null;
  let resolveSignalled!: (signal: ShutdownSignal) => void;
  const signalled = new Promise<ShutdownSignal>((resolve) => {
    resolveSignalled = resolve;
  });
  const giveUp = async (signal: ShutdownSignal, why: string) => {
    const ids = options.runIds();
    await Promise.race([
      Promise.allSettled(
        ids.map((id) =>
          endRun(options.storage, { id }, { status: 'cancelled', why: `cancelled by ${signal}: ${why}` }),
        ),
      ),
      new Promise((resolve) => setTimeout(resolve, 2_000)),
    ]);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onSignal = (signal: ShutdownSignal) => {
    if (first) {
      void giveUp(signal, 'a second signal stopped the process at once');
      return;
    }
    first = signal;
    console.error(`\n${signal}: cancelling; a second signal stops at once`);
    resolveSignalled(signal);
    setTimeout(
      () => void giveUp(signal, `the process exited after ${GRACE_MS / 1000} s without the step ending`),
      GRACE_MS,
    ).unref();
    void Promise.resolve(options.stop(signal)).catch((error: unknown) => {
      console.error(`vitrina: stopping failed: ${(error as Error).message}`);
      void giveUp(signal, 'stopping failed');
    });
  };
  for (const signal of signals) process.on(signal, onSignal);
  const dispose = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  return { signalled, dispose };
}
