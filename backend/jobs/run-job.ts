import type { z } from "zod";
import {
  EditSetSchema,
  PROTOCOL_VERSION,
  PlanSchema,
  editSetJsonSchema,
  estimateTokens,
  planJsonSchema,
  type EditSet,
  type ProgressReply,
  type TerminalReply,
  type Usage,
  type WorkRequest,
} from "../../protocol/index.js";
import type { ThinkingMode, WorkerConfig } from "../config.js";
import type { GenerateResult, LlmBackend } from "../llm/backend.js";
import { LlmError } from "../llm/errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../ops/metrics.js";
import { CODE_SYSTEM_PROMPT, codeParts, type CodePart } from "../prompt/code-prompt.js";
import { PLAN_SYSTEM_PROMPT } from "../prompt/plan-prompt.js";
import { REFIT_SCALE, refitBudget, type TokenCalibration } from "../prompt/token-calibration.js";
import { buildUserMessage, userMessageBudget } from "../prompt/user-message.js";
import { generatorWithRetry } from "./generate-with-retry.js";
import { errorOutcome, modelFailureOutcome, type JobOutcome } from "./job-outcome.js";
import { modelWindow } from "./model-window.js";
import { parseModelOutput, replyAnswer } from "./model-output.js";

export type { JobOutcome } from "./job-outcome.js";

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
  /**
   * What the worker has learned of its models' tokenizers from their own counts; the
   * room is widened by it (token-calibration.ts). Without it, the estimate stands.
   */
  calibration?: TokenCalibration;
}

type Message = { role: "user" | "assistant"; content: string };

/** What every model call of a request shares. */
interface AskContext {
  ask: (messages: Message[]) => Promise<GenerateResult>;
  numCtx: number;
  /** The answer's tokens and, when the model thinks, its thinking's. */
  numPredict: number;
  thinking: ThinkingMode;
  logger: Logger;
  now: () => number;
  /** Added to by every call (a re-fit's and every part's calls count with the first one's). */
  usage: Usage;
  started: number;
  /** The system prompt every call sends. */
  system: string;
  /** Tells the calibration what a call's prompt really counted. */
  counted: (messages: Message[], promptTokens: number) => void;
  /** The prompt overflowed: the calibration forgets what it learned for this kind. */
  overflowed: () => void;
}

/**
 * Turns one valid request into exactly one terminal reply: fit the prompt into the
 * model's window, generate (retrying transient failures inside the deadline), validate,
 * and give the model one chance to correct output that does not match the schema.
 */
export async function runJob(request: WorkRequest, deps: JobDeps): Promise<JobOutcome> {
  const now = deps.now ?? Date.now;
  const { llm: llmConfig } = deps.config;
  const model = request.options.model ?? llmConfig.model;
  // What the model may generate: the answer, and its thinking first when it thinks (both
  // go into the same window, so both are kept free of the prompt).
  const numPredict =
    Math.min(request.options.maxTokens ?? llmConfig.numPredict, llmConfig.numPredict) +
    llmConfig.thinkingTokens;
  const system = request.type === "plan" ? PLAN_SYSTEM_PROMPT : CODE_SYSTEM_PROMPT;
  const window = await modelWindow(deps, model, numPredict, system);
  if ("problem" in window)
    return errorOutcome(request.requestId, now(), "context_overflow", window.problem, false);
  const outcome = await fitAndRun(request, deps, {
    model,
    numPredict,
    system,
    numCtx: window.numCtx,
  });
  // "Raise NUM_CTX" cannot help when the model's own length set the window.
  if (window.numCtx >= llmConfig.numCtx || outcome.reply.type !== "error") return outcome;
  const message = outcome.reply.message.replace(
    /raise NUM_CTX/g,
    `NUM_CTX is already over ${model}'s own context length (${window.numCtx}): use a model with a longer context`,
  );
  return { ...outcome, reply: { ...outcome.reply, message } };
}

async function fitAndRun(
  request: WorkRequest,
  deps: JobDeps,
  job: { model: string; numPredict: number; system: string; numCtx: number },
): Promise<JobOutcome> {
  const now = deps.now ?? Date.now;
  const { llm: llmConfig } = deps.config;
  const { model, numPredict, system, numCtx } = job;
  // The estimate's room, widened by what this model's own counts of earlier prompts of
  // this kind showed; a re-fit after an overflow goes back below the estimate.
  const estimatedBudget = userMessageBudget(numCtx, numPredict, system);
  const calibrationKey = `${model}\n${request.type}`;
  const widening = deps.calibration?.widening(calibrationKey) ?? 1;
  const promptBudget = Math.floor(estimatedBudget * widening);
  if (widening > 1)
    deps.logger.info(
      { widening: Math.round(widening * 100) / 100, promptBudget },
      "room widened by the model's own token counts",
    );

  const deadline = Math.min(request.deadline, now() + deps.config.jobTimeoutMs);
  const signal = AbortSignal.any([deps.signal, AbortSignal.timeout(Math.max(1, deadline - now()))]);
  const generate = generatorWithRetry({
    llm: deps.llm,
    logger: deps.logger,
    metrics: deps.metrics,
    progress: deps.progress,
    requestId: request.requestId,
    now,
    policy: {
      maxAttempts: llmConfig.maxAttempts,
      retryBaseMs: llmConfig.retryBaseMs,
      deadline,
      progressIntervalMs: deps.config.progressIntervalMs,
    },
  });
  const ask = (messages: Message[]) =>
    generate({
      model,
      system,
      messages,
      jsonSchema: request.type === "plan" ? planJsonSchema : editSetJsonSchema,
      numCtx,
      numPredict,
      thinking: llmConfig.thinking,
      temperature: llmConfig.temperature,
      keepAlive: llmConfig.keepAlive,
      signal,
    });

  deps.progress({
    version: PROTOCOL_VERSION,
    requestId: request.requestId,
    at: now(),
    type: "progress",
    stage: "generating",
    model,
    tokens: 0,
  });
  // One usage for every call the request costs, re-fit included.
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
  const failureContext = () => ({
    requestId: request.requestId,
    at: now(),
    maxAttempts: llmConfig.maxAttempts,
    shuttingDown: deps.signal.aborted,
  });
  const parts = request.type === "code" ? codeParts(request, promptBudget) : undefined;
  const answer = (part?: CodePart) =>
    fitAndAnswer(request, part, {
      ask,
      promptBudget,
      system,
      numCtx,
      numPredict,
      thinking: llmConfig.thinking,
      logger: deps.logger,
      now,
      usage,
      started,
      signal,
      failureContext,
      counted: (messages, promptTokens) =>
        deps.calibration?.observe(
          calibrationKey,
          estimateTokens(system) + messages.reduce((n, m) => n + estimateTokens(m.content), 0),
          promptTokens,
        ),
      overflowed: () => deps.calibration?.forget(calibrationKey),
    });
  if (!parts) return answer();
  // A code request whose files do not fit the window together: a reply per part, each
  // with the whole window for its files, then one set of edits.
  deps.logger.info({ parts: parts.length }, "code request answered in parts");
  const answered: { part: CodePart; reply: CodeResultReply }[] = [];
  for (const part of parts) {
    const outcome = await answer(part);
    if (outcome.reply.type !== "result" || outcome.reply.kind !== "code") return outcome;
    answered.push({ part, reply: outcome.reply });
  }
  return mergeParts(request.requestId, answered, usage, deps.logger, now());
}

type CodeResultReply = Extract<TerminalReply, { type: "result"; kind: "code" }>;

/**
 * The replies of a code request answered in parts as one: each part's edits to its own
 * files (an edit of another part's file is that part's to make, and is dropped), every
 * summary, every note of what was left out.
 */
function mergeParts(
  requestId: string,
  answered: { part: CodePart; reply: CodeResultReply }[],
  usage: Usage,
  logger: Logger,
  at: number,
): JobOutcome {
  const edits: EditSet["edits"] = [];
  const trimmed: CodeResultReply["trimmed"] = [];
  for (const { part, reply } of answered) {
    for (const edit of reply.edits.edits) {
      if (part.paths.includes(edit.path)) edits.push(edit);
      else logger.warn({ path: edit.path, part: part.paths }, "edit outside its part dropped");
    }
    for (const note of reply.trimmed ?? [])
      if (!trimmed.some((t) => t.path === note.path && t.reason === note.reason))
        trimmed.push(note);
  }
  const merged = EditSetSchema.safeParse({
    summary: answered
      .map(({ reply }) => reply.edits.summary)
      .join("\n")
      .slice(0, 4000),
    edits,
  });
  if (!merged.success)
    return errorOutcome(
      requestId,
      at,
      "invalid_model_output",
      `the model's replies, one per part of the files, made no usable set of edits together: ${merged.error.issues[0]?.message ?? "invalid"}`,
      true,
    );
  const last = answered[answered.length - 1]?.reply as CodeResultReply;
  return {
    reply: { ...last, at, edits: merged.data, usage: { ...usage }, trimmed },
    deadLetter: false,
  };
}

/**
 * The request (or one part of a code request) fitted into the window and answered. The
 * token count is an estimate (three bytes a token), widened by what the model counted of
 * earlier prompts. A model whose tokenizer cuts this prompt finer than that (dense code
 * on a small vocabulary) can find it over its window; then the prompt is fitted once
 * more into a share of the estimate's room and sent again.
 */
async function fitAndAnswer(
  request: WorkRequest,
  part: CodePart | undefined,
  input: AskContext & {
    promptBudget: number;
    signal: AbortSignal;
    failureContext: () => Parameters<typeof modelFailureOutcome>[1];
  },
): Promise<JobOutcome> {
  const { now, usage, promptBudget, signal, failureContext } = input;
  const attemptsBefore = usage.attempts;
  let previous: { userMessage: string; overflow: LlmError } | undefined;
  let budget = promptBudget;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const built = buildUserMessage(request, budget, part);
    if (!built.ok)
      return errorOutcome(request.requestId, now(), "context_overflow", built.reason, false);
    if (built.trimmed.length > 0)
      input.logger.warn(
        { trimmed: built.trimmed.length },
        "context trimmed to fit the model window",
      );
    // Nothing left to cut: asking again would send the same prompt.
    if (previous && built.userMessage === previous.userMessage) {
      return modelFailureOutcome(
        new LlmError(
          "context_overflow",
          `${previous.overflow.message} (nothing more of the prompt could be cut; raise NUM_CTX)`,
        ),
        failureContext(),
      );
    }
    try {
      return await answerWithCorrection(request, input, {
        userMessage: built.userMessage,
        trimmed: built.trimmed,
        promptBudget: budget,
      });
    } catch (error) {
      const overflow = error instanceof LlmError && error.kind === "context_overflow";
      // Only the first call's overflow is fitted again; one in the correction round (the
      // model's reply added to the prompt) ends the request as before.
      if (overflow) input.overflowed();
      if (overflow && attempt === 1 && usage.attempts === attemptsBefore + 1 && !signal.aborted) {
        previous = { userMessage: built.userMessage, overflow: error };
        const refit = refitBudget({
          numCtx: input.numCtx,
          numPredict: input.numPredict,
          system: input.system,
          sentEstimate: estimateTokens(input.system) + estimateTokens(built.userMessage),
          counted: error.promptTokens,
        });
        input.logger.warn(
          { budget, refit, counted: error.promptTokens },
          "the model server found the prompt over its window; fitting it into less",
        );
        budget = refit;
        continue;
      }
      const failure =
        overflow && attempt !== 1
          ? new LlmError(
              "context_overflow",
              `${error.message} (also with the prompt fitted again into ${
                previous?.overflow.promptTokens
                  ? "the room the server's count of it left"
                  : `${REFIT_SCALE * 100}% of the estimated room`
              }; raise NUM_CTX)`,
            )
          : error;
      return modelFailureOutcome(failure, failureContext());
    }
  }
  return errorOutcome(request.requestId, now(), "internal", "unreachable", false);
}

/**
 * At most two rounds: the first answer, and one correction when it does not validate,
 * showing the model what was wrong (and as much of its reply as the window allows).
 */
async function answerWithCorrection(
  request: WorkRequest,
  context: AskContext,
  input: {
    userMessage: string;
    trimmed: { path: string; reason: string }[];
    promptBudget: number;
  },
): Promise<JobOutcome> {
  const { ask, now, usage, started, numCtx, numPredict, logger } = context;
  const messages: Message[] = [{ role: "user", content: input.userMessage }];
  for (let round = 1; round <= 2; round++) {
    usage.attempts += 1;
    const result = await ask(messages);
    usage.model = result.model;
    usage.promptTokens += result.promptTokens;
    usage.evalTokens += result.evalTokens;
    usage.loadMs += result.loadMs;
    usage.promptMs += result.promptMs;
    usage.evalMs += result.evalMs;
    usage.totalMs = now() - started;
    // Ollama answers a thinking model's structured request with a second completion
    // whose prompt is the first one plus the thinking: its count is not the prompt's, and
    // neither calibrates the room nor shows a cut prompt.
    const promptCounted = result.thinkingChunks > 0 ? 0 : result.promptTokens;
    if (promptCounted > 0) {
      // A prompt that left the reply less than its room was widened too far, even if the
      // server took it: the calibration starts again from the estimate.
      if (promptCounted + numPredict > numCtx) context.overflowed();
      else context.counted(messages, promptCounted);
    }
    if (promptCounted >= numCtx) {
      throw new LlmError(
        "context_overflow",
        `the model server counted ${promptCounted} prompt tokens for num_ctx=${numCtx}; the prompt was cut`,
      );
    }
    const answer = replyAnswer(result.text);
    const outOfThought = thoughtUntilLimit(result, answer, numPredict, context.thinking);
    // Asking again would think as long again: the operator has to change a setting.
    if (outOfThought)
      return errorOutcome(request.requestId, now(), "invalid_model_output", outOfThought, false);
    const reply = validReply(request, result.text, usage, input.trimmed, now());
    if (reply.ok) return { reply: reply.value, deadLetter: false };
    const why =
      result.doneReason === "length"
        ? `${reply.problem} (the reply hit the ${numPredict}-token limit)`
        : reply.problem;
    logger.warn({ round, problem: why }, "model output invalid");
    if (round === 2)
      return errorOutcome(
        request.requestId,
        now(),
        "invalid_model_output",
        `the model's reply was not a valid ${request.type === "plan" ? "plan" : "set of edits"} after a retry: ${why}${
          // Said to the operator only: the model is told what went wrong, not what to set.
          result.doneReason === "length"
            ? "; raise NUM_PREDICT if the model needs longer replies"
            : ""
        }`,
        true,
      );
    // The correction round must fit the same window: keep as much of the bad reply as
    // there is room for (the model needs to see what it wrote), none if there is none.
    const correction = `That reply cannot be used: ${why}. Reply again with only one JSON object that follows the schema.`;
    // The room by the estimate, and by what the model counted of the first prompt (less
    // the system prompt, which a server's cache may have left out of the count).
    const counted =
      promptCounted > 0
        ? numCtx - numPredict - promptCounted - estimateTokens(context.system)
        : Infinity;
    const room =
      Math.min(input.promptBudget - estimateTokens(input.userMessage), counted) -
      estimateTokens(correction) -
      64;
    // The reply's own bytes a token, when denser than the estimate's three (escaped JSON);
    // a thinking model's count includes its thinking, which is not echoed.
    const echoed = answer ?? "";
    const bytesPerToken =
      result.evalTokens > 0 && result.thinkingChunks === 0
        ? Math.min(3, echoed.length / result.evalTokens)
        : 3;
    if (room > 200) {
      messages.push(
        { role: "assistant", content: echoed.slice(0, Math.floor(room * bytesPerToken)) },
        { role: "user", content: correction },
      );
    } else {
      messages.splice(0, messages.length, {
        role: "user",
        content: `${input.userMessage}\n\nA previous reply could not be used: ${why}. Reply with only one JSON object that follows the schema.`,
      });
    }
  }
  return errorOutcome(request.requestId, now(), "internal", "unreachable", false);
}

/**
 * The operator's error when a reasoning model spent the whole token limit thinking and
 * wrote no answer (the thinking apart from the reply, or left in it unclosed); undefined
 * otherwise. Names the setting to change, which the model is never shown.
 */
function thoughtUntilLimit(
  result: GenerateResult,
  answer: string | undefined,
  numPredict: number,
  thinking: ThinkingMode,
): string | undefined {
  if (result.doneReason !== "length") return undefined;
  const thoughtApart = result.thinkingChunks > 0 && (answer ?? "").trim() === "";
  if (!thoughtApart && answer !== undefined) return undefined;
  const fix =
    thinking === "off"
      ? "it thinks even with MODEL_THINKING=off: set MODEL_THINKING=on (or low, for gpt-oss on Ollama) and THINKING_TOKENS to what it needs, or turn thinking off on the model server"
      : "raise THINKING_TOKENS, or lower MODEL_THINKING";
  return `the model thought until the ${numPredict}-token limit and wrote no answer: ${fix}`;
}

/** The model's text as the terminal result the request asked for, or why it is not one. */
function validReply(
  request: WorkRequest,
  text: string,
  usage: Usage,
  trimmed: { path: string; reason: string }[],
  at: number,
): { ok: true; value: TerminalReply } | { ok: false; problem: string } {
  const base = { version: PROTOCOL_VERSION, requestId: request.requestId, at } as const;
  if (request.type === "plan") {
    const parsed = parseModelOutput(text, PlanSchema);
    return parsed.ok
      ? {
          ok: true,
          value: {
            ...base,
            type: "result",
            kind: "plan",
            plan: parsed.value,
            usage: { ...usage },
            trimmed,
          },
        }
      : parsed;
  }
  const parsed = parseModelOutput(text, EditSetSchema as z.ZodType<z.infer<typeof EditSetSchema>>);
  return parsed.ok
    ? {
        ok: true,
        value: {
          ...base,
          type: "result",
          kind: "code",
          edits: parsed.value,
          usage: { ...usage },
          trimmed,
        },
      }
    : parsed;
}
