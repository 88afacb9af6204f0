import type {
  CodeRequest,
  CodeResult,
  PlanRequest,
  PlanResult,
  TerminalReply,
} from "../../protocol/index.js";
import { ActionFailure, failureFromWorker } from "../failure.js";
import type { TrackingStage } from "../github/tracking-comment-render.js";
import type { TrackingComment } from "../github/tracking-comment.js";
import type { RunContext } from "../run-context.js";
import { weakSigningKey } from "../settings.js";
import { WorkClient } from "../transport/work-client.js";

/**
 * A connection to the workers for one run: requests go out through it and their progress
 * shows in the tracking comment. `ask` resolves with the result, or throws the worker's
 * error as a failure a maintainer can act on.
 */
export class WorkerSession {
  private constructor(
    private readonly ctx: RunContext,
    private readonly client: WorkClient,
    private readonly tracking: TrackingComment,
    private readonly stage: TrackingStage,
    private readonly planHash: string | undefined,
  ) {}

  static async open(
    ctx: RunContext,
    tracking: TrackingComment,
    stage: TrackingStage,
    planHash?: string,
  ): Promise<WorkerSession> {
    ctx.throwIfCancelled();
    const weak = weakSigningKey(ctx.settings.signingKey);
    if (weak)
      throw new ActionFailure(
        weak,
        "Set signing-key and the worker's SIGNING_KEY to one new secret.",
      );
    const client = await WorkClient.connect({
      amqpUrl: ctx.settings.amqpUrl,
      requestQueue: ctx.settings.requestQueue,
      signingKey: ctx.settings.signingKey || undefined,
      log: (m) => ctx.log(m),
    });
    return new WorkerSession(ctx, client, tracking, stage, planHash);
  }

  ask(request: PlanRequest): Promise<PlanResult>;
  ask(request: CodeRequest): Promise<CodeResult>;
  async ask(request: PlanRequest | CodeRequest): Promise<PlanResult | CodeResult> {
    const view = {
      stage: this.stage,
      runUrl: this.ctx.env.runUrl,
      ...(this.planHash ? { planHash: this.planHash } : {}),
    };
    this.ctx.throwIfCancelled();
    const reply: TerminalReply = await this.client.submit(request, {
      // A cancelled run stops waiting at once; closing the session then deletes the reply
      // queue, and the workers drop the request instead of computing it.
      signal: this.ctx.cancelSignal,
      onQueued: ({ ahead }) => {
        // Milliseconds since the process started: the Action's own overhead before the model.
        this.ctx.log(
          `request ${request.requestId} queued ${Math.round(performance.now())} ms after start; ${ahead} ahead of it`,
        );
        void this.tracking.update({ ...view, phase: { kind: "queued", position: ahead + 1 } });
      },
      onProgress: (progress) => {
        if (progress.stage === "generating" && progress.tokens)
          this.ctx.log(`generating: ${progress.tokens} tokens`);
        else
          this.ctx.log(
            `worker: ${progress.stage}${progress.message ? ` (${progress.message})` : ""}`,
          );
        void this.tracking.update({
          ...view,
          phase: {
            kind: "running",
            ...(progress.model ? { model: progress.model } : {}),
            ...(progress.tokens !== undefined ? { tokens: progress.tokens } : {}),
            ...(progress.message ? { detail: progress.message } : {}),
          },
        });
      },
    });
    this.tracking.discardPending();
    if (reply.type === "error")
      throw failureFromWorker(reply, this.ctx.settings.timeoutMinutes, this.stage);
    if (reply.kind !== request.type)
      throw new ActionFailure(
        `The worker answered a ${request.type} request with a ${reply.kind} result.`,
        "Check that the Action and worker versions match.",
      );
    return reply;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
