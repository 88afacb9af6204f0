/**
 * The one tracking comment per issue: found again by its hidden marker (and its author,
 * so nobody can plant a look-alike), created when missing, edited in place. Progress
 * updates are coalesced so a chatty run cannot trip GitHub's secondary rate limit:
 * at most one write per interval, terminal states always written, identical bodies never.
 */
import { ActionFailure } from "../failure.js";
import { errorStatus, type GitHubClient } from "./octokit.js";
import {
  isTerminal,
  parseTrackingComment,
  renderTrackingComment,
  TRACKING_MARKER,
  type TrackingRecord,
  type TrackingView,
} from "./tracking-comment-render.js";

/** Identifies the issue and who may author its tracking comment. */
export interface TrackingTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /**
   * Login that authors tracking comments: the Action's own identity (`github-actions[bot]`
   * for the workflow token; see the `bot-login` input). Any other author's comment, a
   * human's or another bot's quoting the marker, is never taken for it.
   */
  authorLogin: string;
}

/** A tracking comment as found on GitHub. */
export interface TrackingCommentInfo {
  id: number;
  url: string;
  body: string;
  record: TrackingRecord | null;
}

/** Time and timers, injectable so tests control the clock. */
export interface Scheduler {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Finds the issue's tracking comment: the oldest comment that starts with the marker and
 * was written by the expected author. Null when there is none.
 */
export async function findTrackingComment(
  client: GitHubClient,
  target: TrackingTarget,
): Promise<TrackingCommentInfo | null> {
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  for (const comment of comments) {
    const body = comment.body ?? "";
    if (!body.startsWith(TRACKING_MARKER)) continue;
    if (comment.user?.login.toLowerCase() !== target.authorLogin.toLowerCase()) continue;
    return { id: comment.id, url: comment.html_url, body, record: parseTrackingComment(body) };
  }
  return null;
}

/**
 * Creates the tracking comment or edits it in place so that it shows `view`. Skips the
 * write when the body would not change. Returns the comment.
 */
export async function upsertTrackingComment(
  client: GitHubClient,
  target: TrackingTarget,
  view: TrackingView,
  known?: { id: number; url: string; body: string } | null,
): Promise<{ id: number; url: string; body: string }> {
  const body = renderTrackingComment(view);
  const existing = known === undefined ? await findTrackingComment(client, target) : known;
  if (existing !== null) {
    if (existing.body === body) return existing;
    try {
      const { data } = await client.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: existing.id,
        body,
      });
      return { id: data.id, url: data.html_url, body: data.body ?? body };
    } catch (error) {
      // Deleted under us (by a maintainer, say): fall through and post a fresh one.
      if (errorStatus(error) !== 404) throw error;
    }
  }
  return createOnce(client, target, body);
}

/**
 * Creates the comment without blind retries: a 5xx or a dropped connection can come after
 * GitHub stored the comment, and retrying would post a second one. Look first, then try
 * once more only if it really is not there.
 */
async function createOnce(
  client: GitHubClient,
  target: TrackingTarget,
  body: string,
): Promise<{ id: number; url: string; body: string }> {
  const create = async () => {
    const { data } = await client.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
      request: { retries: 0 },
    });
    await refuseOtherAuthor(client, target, data);
    return { id: data.id, url: data.html_url, body: data.body ?? body };
  };
  try {
    return await create();
  } catch (error) {
    if (error instanceof ActionFailure) throw error;
    const status = errorStatus(error);
    if (status !== undefined && status < 500) throw error;
    const stored = await findTrackingComment(client, target);
    if (stored !== null) return stored;
    return create();
  }
}

/**
 * The comment just posted must be found again by its author (`bot-login`): a token of
 * another identity (a GitHub App token posts as `<slug>[bot]`) would leave every run
 * posting a new tracking comment and `/approve` finding no plan. Removed, and said at once.
 */
async function refuseOtherAuthor(
  client: GitHubClient,
  target: TrackingTarget,
  posted: { id: number; user?: { login: string } | null },
): Promise<void> {
  const author = posted.user?.login;
  if (author === undefined || author.toLowerCase() === target.authorLogin.toLowerCase()) return;
  await client.rest.issues
    .deleteComment({ owner: target.owner, repo: target.repo, comment_id: posted.id })
    .catch(() => undefined);
  throw new ActionFailure(
    `The github-token posts as ${author}, but bot-login is ${target.authorLogin}: the tracking comment could never be found again (each run would post another, and /approve would find no plan).`,
    `Set the Action's bot-login input to '${author}'.`,
    // A failure comment would be posted, and removed, as the same wrong author.
    { comment: false },
  );
}

/** Options for {@link TrackingComment}. */
export interface TrackingCommentOptions {
  /** Least time between two non-terminal writes (default 10 s). */
  minIntervalMs?: number;
  scheduler?: Scheduler;
  /** Called when a deferred (timer-driven) write fails; the next write retries. */
  onError?: (error: unknown) => void;
}

/**
 * A run's handle on its tracking comment. `update()` may be called as often as progress
 * arrives; GitHub sees at most one edit per interval, the latest state wins, terminal
 * states go out at once, and `flush()` writes whatever is still pending.
 */
export class TrackingComment {
  private readonly minInterval: number;
  private readonly scheduler: Scheduler;
  private readonly onError: (error: unknown) => void;
  private comment: { id: number; url: string; body: string } | null | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private pending: TrackingView | null = null;
  private timer: unknown = null;
  private chain: Promise<void> = Promise.resolve();
  private writes = 0;

  constructor(
    private readonly client: GitHubClient,
    private readonly target: TrackingTarget,
    options: TrackingCommentOptions = {},
  ) {
    this.minInterval = options.minIntervalMs ?? 10_000;
    this.scheduler = options.scheduler ?? realScheduler;
    this.onError = options.onError ?? ((): void => undefined);
  }

  /** The comment's URL once it exists. */
  get url(): string | undefined {
    return this.comment?.url ?? undefined;
  }

  /** The comment's id once it exists. */
  get id(): number | undefined {
    return this.comment?.id ?? undefined;
  }

  /** How many times this handle has written to GitHub (creates and edits). */
  get writeCount(): number {
    return this.writes;
  }

  /**
   * Shows `view`. Terminal states and the first write go out now (the returned promise
   * settles after the write); others are written now if the interval has passed, or
   * deferred until it has (the returned promise settles at once).
   */
  update(view: TrackingView): Promise<void> {
    this.pending = view;
    const due = this.scheduler.now() - this.lastWriteAt >= this.minInterval;
    if (isTerminal(view.phase) || due) {
      this.cancelTimer();
      return this.writePending();
    }
    if (this.timer === null) {
      const wait = this.minInterval - (this.scheduler.now() - this.lastWriteAt);
      this.timer = this.scheduler.setTimeout(() => {
        this.timer = null;
        this.writePending().catch(this.onError);
      }, wait);
    }
    return Promise.resolve();
  }

  /**
   * Drops a deferred progress update that has not been written yet: once the final reply
   * is in, a "running" state written afterwards would only be a stale extra edit.
   */
  discardPending(): void {
    this.cancelTimer();
    this.pending = null;
  }

  /** Writes any deferred state now and waits for all writes to finish. */
  async flush(): Promise<void> {
    this.cancelTimer();
    await this.writePending();
  }

  private cancelTimer(): void {
    if (this.timer !== null) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  // Writes are serialised: an edit never overtakes an earlier one, so the newest state
  // is always the one left on GitHub.
  private writePending(): Promise<void> {
    const next = this.chain.then(async () => {
      const view = this.pending;
      if (view === null) return;
      this.pending = null;
      const body = renderTrackingComment(view);
      if (this.comment === undefined) {
        this.comment = await findTrackingComment(this.client, this.target);
      }
      if (this.comment !== null && this.comment.body === body) return;
      try {
        this.comment = await upsertTrackingComment(this.client, this.target, view, this.comment);
      } catch (error) {
        // Keep the state so a later update or flush tries again.
        this.pending ??= view;
        throw error;
      }
      this.writes += 1;
      this.lastWriteAt = this.scheduler.now();
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
