import type { Cancellation } from "./cancellation.js";
import type { GitHubClient } from "./github/octokit.js";
import type { Settings } from "./settings.js";

/**
 * What every step of a run needs: the client, the settings, which repository and issue,
 * and where to log. Its helpers build the common arguments, so `{ owner, repo }` is
 * never spelled out by hand.
 */
export class RunContext {
  constructor(
    readonly client: GitHubClient,
    readonly settings: Settings,
    readonly owner: string,
    readonly repoName: string,
    readonly issueNumber: number,
    readonly env: {
      /** Maintainer guidance from the command's following lines. */
      guidance?: string | undefined;
      workspace: string;
      serverUrl: string;
      runUrl: string;
      /** Log lines for the run's log (core.info in the Action). */
      log: (message: string) => void;
      /** Groups log lines by phase (core.group in the Action). */
      group: <T>(name: string, body: () => Promise<T>) => Promise<T>;
      /** Tracking comment write spacing; tests make it small. */
      trackingIntervalMs?: number;
      /** Set when the runner cancels the workflow run (see cancellation.ts). */
      cancellation: Cancellation;
    },
  ) {}

  /** `{ owner, repo }` for GitHub calls. */
  repo(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repoName };
  }

  /** `{ owner, repo, issueNumber }` for the issue-scoped helpers in github/. */
  issue(): { owner: string; repo: string; issueNumber: number } {
    return { owner: this.owner, repo: this.repoName, issueNumber: this.issueNumber };
  }

  /** The issue's tracking comment: where it lives and who alone may have written it. */
  trackingTarget(): { owner: string; repo: string; issueNumber: number; authorLogin: string } {
    return { ...this.issue(), authorLogin: this.settings.botLogin };
  }

  /** Aborted when the workflow run is cancelled: long waits listen to it. */
  get cancelSignal(): AbortSignal {
    return this.env.cancellation.signal;
  }

  /**
   * Stops the run here if it was cancelled. Called between steps, never inside a GitHub
   * write, so a cancelled run leaves each thing it touched either done or not started.
   */
  throwIfCancelled(published?: { pullRequestUrl?: string; planHash?: string }): void {
    this.env.cancellation.throwIfCancelled(published);
  }

  log(message: string): void {
    this.env.log(message);
  }

  group<T>(name: string, body: () => Promise<T>): Promise<T> {
    return this.env.group(name, body);
  }
}
