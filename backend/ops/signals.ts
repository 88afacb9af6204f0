/**
 * SIGTERM/SIGINT start a graceful stop; a second signal forces the exit (an operator who
 * presses Ctrl-C twice means it).
 */
export function onShutdownSignal(
  stop: (signal: string) => Promise<void>,
  log: (message: string) => void,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`second ${signal}: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal} received: stopping gracefully (send again to force)`);
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
