import type { z } from "zod";
import type { WorkerConfig } from "../config.js";
import type { LlmBackend, GenerateResult } from "../llm/backend.js";
import { LlmError } from "../llm/errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../ops/metrics.js";
import { CODE_SYSTEM_PROMPT, renderCodeUserMessage } from "../prompt/code-prompt.js";
import { fitContext } from "../prompt/fit-context.js";
import { PLAN_SYSTEM_PROMPT, renderPlanUserMessage } from "../prompt/plan-prompt.js";
import { estimateTokens } from "../prompt/token-estimate.js";
import {
  PROTOCOL_VERSION,
  type ErrorCode,
  type ErrorReply,
  type ProgressReply,
  type TerminalReply,
  type Usage,
  type WorkRequest,
} from "../protocol/messages.js";
import { EditSetSchema, PlanSchema, editSetJsonSchema, planJsonSchema } from "../protocol/plan.js";
import { backoffDelay, sleep } from "./backoff.js";
import { parseModelOutput } from "./model-output.js";

export interface JobDeps {
  config: WorkerConfig;
  llm: LlmBackend;
  logger: Logger;
  metrics: Metrics;
  /** Sends a progress reply; failures to send are the caller's to log, never fatal. */
  progress: (reply: ProgressReply) => void;
  /** Aborts the job (shutdown, lost channel). */
  signal: AbortSignal;
  now?: () => number;
}

export interface JobOutcome {
  reply: TerminalReply;
  /** Failures that a later attempt might fix go to the dead-letter queue for inspection. */
  deadLetter: boolean;
}

/** Room kept free in the window for the chat template's own tokens and estimate error. */
const TEMPLATE_RESERVE_TOKENS = 256;

/**
 * Turns one valid request into exactly one terminal reply: fit the context into the
 * model's window, generate (retrying transient failures with backoff inside the deadline),
 * validate, and give the model one chance to fix output that does not match the schema.
 */
export async function runJob(request: WorkRequest, deps: JobDeps): Promise<JobOutcome> {
  const now = deps.now ?? Date.now;
  const { llm: llmConfig } = deps.config;
  const model = request.options.model ?? llmConfig.model;
  const numPredict = Math.min(
    request.options.maxTokens ?? llmConfig.numPredict,
    llmConfig.numPredict,
  );
  const base = { version: PROTOCOL_VERSION, requestId: request.requestId } as const;
  const fail = (
    code: ErrorCode,
    message: string,
    retryable: boolean,
    deadLetter = false,
  ): JobOutcome => ({
    reply: { ...base, at: now(), type: "error", code, message, retryable } satisfies ErrorReply,
    deadLetter,
  });

  const system = request.type === "plan" ? PLAN_SYSTEM_PROMPT : CODE_SYSTEM_PROMPT;
  const promptBudget =
    llmConfig.numCtx - numPredict - TEMPLATE_RESERVE_TOKENS - estimateTokens(system);
  const built = buildUserMessage(request, promptBudget);
  if (!built.ok) return fail("context_overflow", built.reason, false);
  const { userMessage, trimmed } = built;
  if (trimmed.length > 0) {
    deps.logger.warn({ trimmed: trimmed.length }, "context trimmed to fit the model window");
  }

  const deadline = Math.min(request.deadline, now() + deps.config.jobTimeoutMs);
  const jobSignal = AbortSignal.any([
    deps.signal,
    AbortSignal.timeout(Math.max(1, deadline - now())),
  ]);
  let lastTokenProgress = 0;
  const generate = async (
    messages: { role: "user" | "assistant"; content: string }[],
  ): Promise<GenerateResult> => {
    const maxAttempts = llmConfig.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        const started = now();
        const result = await deps.llm.generate({
          model,
          system,
          messages,
          jsonSchema: request.type === "plan" ? planJsonSchema : editSetJsonSchema,
          numCtx: llmConfig.numCtx,
          numPredict,
          temperature: llmConfig.temperature,
          keepAlive: llmConfig.keepAlive,
          signal: jobSignal,
          onTokens: (tokens) => {
            const t = now();
            if (t - lastTokenProgress >= deps.config.progressIntervalMs) {
              lastTokenProgress = t;
              deps.progress({
                ...base,
                at: t,
                type: "progress",
                stage: "generating",
                model,
                tokens,
              });
            }
          },
        });
        deps.metrics.observeGeneration(result, now() - started);
        return result;
      } catch (error) {
        const llmError =
          error instanceof LlmError
            ? error
            : new LlmError("unavailable", String(error), { cause: error });
        const wait = backoffDelay(attempt, llmConfig.retryBaseMs);
        if (
          !llmError.retryable ||
          attempt >= maxAttempts ||
          now() + wait >= deadline ||
          jobSignal.aborted
        ) {
          throw llmError;
        }
        deps.metrics.llmRetries.inc();
        deps.logger.warn(
          { attempt, maxAttempts, waitMs: wait, err: llmError.message },
          "model call failed, retrying",
        );
        deps.progress({
          ...base,
          at: now(),
          type: "progress",
          stage: "retrying",
          model,
          message: `model server problem, attempt ${attempt + 1} of ${maxAttempts}`,
        });
        await sleep(wait, jobSignal);
      }
    }
  };

  const messages: { role: "user" | "assistant"; content: string }[] = [
    { role: "user", content: userMessage },
  ];
  const usage: Usage = {
    model,
    promptTokens: 0,
    evalTokens: 0,
    totalMs: 0,
    loadMs: 0,
    promptMs: 0,
    evalMs: 0,
    attempts: 0,
  };
  const started = now();
  try {
    deps.progress({ ...base, at: now(), type: "progress", stage: "generating", model, tokens: 0 });
    // Two rounds at most: the first answer, and one correction if it does not validate.
    for (let round = 1; round <= 2; round++) {
      const result = await generate(messages);
      usage.model = result.model;
      usage.promptTokens += result.promptTokens;
      usage.evalTokens += result.evalTokens;
      usage.loadMs += result.loadMs;
      usage.promptMs += result.promptMs;
      usage.evalMs += result.evalMs;
      usage.attempts = round;
      usage.totalMs = now() - started;
      if (result.promptTokens >= llmConfig.numCtx) {
        return fail(
          "context_overflow",
          `the model server counted ${result.promptTokens} prompt tokens for num_ctx=${llmConfig.numCtx}; the prompt was cut`,
          false,
        );
      }
      const parsed =
        request.type === "plan"
          ? parseModelOutput(result.text, PlanSchema)
          : parseModelOutput(
              result.text,
              EditSetSchema as z.ZodType<z.infer<typeof EditSetSchema>>,
            );
      if (parsed.ok) {
        const reply: TerminalReply =
          request.type === "plan"
            ? {
                ...base,
                at: now(),
                type: "result",
                kind: "plan",
                plan: parsed.value as z.infer<typeof PlanSchema>,
                usage,
                trimmed,
              }
            : {
                ...base,
                at: now(),
                type: "result",
                kind: "code",
                edits: parsed.value as z.infer<typeof EditSetSchema>,
                usage,
                trimmed,
              };
        return { reply, deadLetter: false };
      }
      const why =
        result.doneReason === "length"
          ? `${parsed.problem} (the reply hit the ${numPredict}-token limit)`
          : parsed.problem;
      deps.logger.warn({ round, problem: why }, "model output invalid");
      if (round === 2)
        return fail(
          "invalid_model_output",
          `the model's reply was not a valid ${request.type === "plan" ? "plan" : "set of edits"} after a retry: ${why}`,
          true,
        );
      // The correction round must fit the same window: keep as much of the bad reply as
      // there is room for (the model needs to see what it wrote), none if there is none.
      const correction = `That reply cannot be used: ${why}. Reply again with only one JSON object that follows the schema.`;
      const room = promptBudget - estimateTokens(userMessage) - estimateTokens(correction) - 64;
      if (room > 200) {
        messages.push(
          { role: "assistant", content: result.text.slice(0, room * 3) },
          { role: "user", content: correction },
        );
      } else {
        messages.splice(0, messages.length, {
          role: "user",
          content: `${userMessage}\n\nA previous reply could not be used: ${why}. Reply with only one JSON object that follows the schema.`,
        });
      }
    }
    return fail("internal", "unreachable", false);
  } catch (error) {
    const llmError =
      error instanceof LlmError
        ? error
        : new LlmError("unavailable", String(error), { cause: error });
    switch (llmError.kind) {
      case "model_not_found":
        return fail("model_not_found", llmError.message, false);
      case "context_overflow":
        return fail("context_overflow", llmError.message, false);
      case "bad_request":
        return fail("internal", llmError.message, false);
      case "aborted":
        if (deps.signal.aborted) throw llmError; // shutdown: the caller returns the message to the queue
        return fail(
          "deadline_exceeded",
          "the request's deadline passed while the model was working",
          true,
        );
      case "unavailable":
        return fail(
          "model_unavailable",
          `the model server failed after ${llmConfig.maxAttempts} attempts: ${llmError.message}`,
          true,
          true,
        );
    }
  }
}

type BuiltMessage =
  | { ok: true; userMessage: string; trimmed: { path: string; reason: string }[] }
  | { ok: false; reason: string };

function buildUserMessage(request: WorkRequest, budget: number): BuiltMessage {
  if (request.type === "plan") {
    const skeleton = renderPlanUserMessage(request, "");
    const fixed = estimateTokens(skeleton);
    if (fixed > budget) {
      return {
        ok: false,
        reason: `the issue alone needs about ${fixed} tokens but only ${budget} fit num_ctx; raise NUM_CTX or shorten the issue`,
      };
    }
    const context = fitContext(request.context, budget - fixed);
    return {
      ok: true,
      userMessage: renderPlanUserMessage(request, context.text),
      trimmed: context.trimmed,
    };
  }
  const code = renderCodeUserMessage(request, budget);
  const fixed = estimateTokens(code.text);
  if (fixed > budget) {
    return {
      ok: false,
      reason: `the plan and issue alone need about ${fixed} tokens but only ${budget} fit num_ctx; raise NUM_CTX`,
    };
  }
  // Excerpts of related files help the edits fit in; they get whatever room is left.
  const context = fitContext(
    { ...request.context, tree: { paths: [], totalFiles: request.context.tree.totalFiles } },
    budget - fixed,
  );
  const userMessage =
    context.tokens <= budget - fixed ? `${code.text}\n\n${context.text}` : code.text;
  return { ok: true, userMessage, trimmed: [...code.trimmed, ...context.trimmed] };
}
