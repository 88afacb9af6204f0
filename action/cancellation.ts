/**
 * A cancelled workflow run. GitHub cancels a job by sending the Action's process SIGINT,
 * then SIGTERM about 7.5 s later, then killing it: the first signal is the only warning,
 * and the run has those seconds to leave the issue in a state that says what happened.
 */

/** Thrown where a cancelled run stops; the pipeline's failure handler reports it. */
export class RunCancelledError extends Error {
  constructor(
    readonly signalName: string,
    /** What the run had already finished when it stopped, for the tracking comment. */
    readonly published: { pullRequestUrl?: string; planHash?: string } = {},
  ) {
    super(`the workflow run was cancelled (${signalName})`);
    this.name = "RunCancelledError";
  }

  get pullRequestUrl(): string | undefined {
    return this.published.pullRequestUrl;
  }

  get planHash(): string | undefined {
    return this.published.planHash;
  }
}

/**
 * The run's cancellation state: requested once, by the first signal. Steps check it at
 * their boundaries (`throwIfCancelled`) and long waits listen to `signal`, so a run stops
 * waiting at once but never stops half way through a GitHub write.
 */
export class Cancellation {
  private readonly controller = new AbortController();

  /** Aborted (with a RunCancelledError as its reason) when the run is cancelled. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  /** Requests cancellation; true only the first time (later signals change nothing). */
  cancel(signalName: string): boolean {
    if (this.requested) return false;
    this.controller.abort(new RunCancelledError(signalName));
    return true;
  }

  /**
   * Throws a RunCancelledError once cancellation was requested, naming what the run had
   * already `published` (a pull request that stays open) so the comment can say so.
   */
  throwIfCancelled(published?: { pullRequestUrl?: string; planHash?: string }): void {
    if (!this.requested) return;
    const reason = this.controller.signal.reason as RunCancelledError;
    throw published ? new RunCancelledError(reason.signalName, published) : reason;
  }
}

/** The signals a runner sends when a workflow run is cancelled, in the order it sends them. */
export const CANCEL_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Turns the runner's cancel signals into `cancellation`. The first one cancels; later ones
 * are only logged: exiting on the second would cut a GitHub write in half (a branch
 * without its pull request), and the runner kills the process anyway if the clean-up
 * overruns. Installing handlers also stops Node's default of exiting on the spot.
 * Returns a function that removes the handlers.
 */
export function cancelOnSignals(
  cancellation: Cancellation,
  processLike: Pick<NodeJS.Process, "on" | "off">,
  log: { first: (message: string) => void; again: (message: string) => void },
): () => void {
  const onSignal = (signalName: NodeJS.Signals) => {
    if (cancellation.cancel(signalName))
      log.first(
        `Received ${signalName}: the workflow run was cancelled. Stopping and cleaning up.`,
      );
    else log.again(`Received ${signalName} again; still cleaning up, nothing else is started.`);
  };
  for (const name of CANCEL_SIGNALS) processLike.on(name, onSignal);
  return () => {
    for (const name of CANCEL_SIGNALS) processLike.off(name, onSignal);
  };
}
