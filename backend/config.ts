import { z } from "zod";
import {
  BROKER_URL_FORM,
  describeIssues,
  DEFAULT_DELIVERY_LIMIT,
  estimateTokens,
  isBrokerUrlList,
  weakKeyReason,
  REQUEST_QUEUE,
} from "../protocol/index.js";
import { CODE_SYSTEM_PROMPT } from "./prompt/code-prompt.js";
import { PLAN_SYSTEM_PROMPT } from "./prompt/plan-prompt.js";

/** The least room a prompt needs: the longer system prompt, with the message's framing. */
const MIN_PROMPT_ROOM =
  Math.max(estimateTokens(PLAN_SYSTEM_PROMPT), estimateTokens(CODE_SYSTEM_PROMPT)) + 64;

/** Node's timers fire at once for anything longer (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return fallback;
      if (!/^\d+$/.test(value.trim())) {
        ctx.addIssue({ code: "custom", message: `expected a whole number, got '${value}'` });
        return z.NEVER;
      }
      const parsed = Number(value.trim());
      if (parsed < min) {
        ctx.addIssue({ code: "custom", message: `expected at least ${min}, got ${parsed}` });
        return z.NEVER;
      }
      if (parsed > max) {
        ctx.addIssue({ code: "custom", message: `expected at most ${max}, got ${value.trim()}` });
        return z.NEVER;
      }
      return parsed;
    });

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

/**
 * The worker's whole configuration, read from the environment once at boot. Every
 * variable is documented in README.md ("Worker configuration"); keep the two in step.
 */
const EnvSchema = z
  .object({
    AMQP_URL: z
      .string()
      .default("amqp://guest:guest@127.0.0.1:5672")
      .refine(isBrokerUrlList, `expected ${BROKER_URL_FORM}`),
    REQUEST_QUEUE: z.string().min(1).default(REQUEST_QUEUE),
    DELIVERY_LIMIT: int(DEFAULT_DELIVERY_LIMIT, 1),
    CONCURRENCY: int(1, 1),
    SIGNING_KEY: optionalString,
    // During a key rotation: the key being replaced, still accepted (see README).
    SIGNING_KEY_PREVIOUS: optionalString,
    ALLOW_UNSIGNED: z
      .enum(["true", "false", ""])
      .default("false")
      .transform((v) => v === "true"),
    ALLOWED_MODELS: optionalString,
    SIGNATURE_MAX_SKEW_MS: int(5 * 60 * 1000, 1000, MAX_TIMER_MS),
    LLM_BACKEND: z.enum(["ollama", "openai", "embedded"]).default("ollama"),
    MODEL: z.string().min(1).default("qwen2.5-coder:7b"),
    OLLAMA_HOST: z.string().url().default("http://127.0.0.1:11434"),
    // For an Ollama behind a proxy that asks for a bearer token (Ollama itself has none).
    OLLAMA_API_KEY: optionalString,
    OPENAI_BASE_URL: z.string().url().default("http://127.0.0.1:8000/v1"),
    OPENAI_API_KEY: optionalString,
    MODEL_FILE: optionalString,
    NUM_CTX: int(8192, 512),
    NUM_PREDICT: int(2048, 16),
    // Off unless asked for: see ThinkingMode. The budget is what thinking may spend on
    // top of NUM_PREDICT, kept free in the window like the answer's.
    MODEL_THINKING: z.enum(["off", "on", "low", "medium", "high"]).default("off"),
    THINKING_TOKENS: int(4096, 256),
    KEEP_ALIVE: z.string().default("30m"),
    TEMPERATURE: z.coerce.number().min(0).max(2).default(0.2),
    JOB_TIMEOUT_MS: int(15 * 60 * 1000, 1000, MAX_TIMER_MS),
    FIRST_TOKEN_TIMEOUT_MS: int(120_000, 100, MAX_TIMER_MS),
    // 0 when unset: the default depends on JOB_TIMEOUT_MS (see defaultStreamIdleTimeoutMs).
    STREAM_IDLE_TIMEOUT_MS: int(0, 100, MAX_TIMER_MS),
    LLM_MAX_ATTEMPTS: int(3, 1),
    RETRY_BASE_MS: int(1000, 0, MAX_TIMER_MS),
    PROGRESS_INTERVAL_MS: int(500, 0, MAX_TIMER_MS),
    HEALTH_PORT: int(8080, 0),
    HEALTH_HOST: z.string().default("0.0.0.0"),
    // Unset: JOB_TIMEOUT_MS, so that a worker being scaled away finishes the job in hand
    // (a requeued job is computed again from the start and uses up one of its deliveries).
    SHUTDOWN_GRACE_MS: int(-1, 0, MAX_TIMER_MS),
    RECONNECT_MAX_MS: int(30_000, 100, MAX_TIMER_MS),
    LOG_LEVEL: z
      .enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"])
      .default("info"),
    // Test-only crash point, never for production: see crashAfterReplyForTests.
    TEST_ONLY_CRASH_AFTER_REPLY: z
      .enum(["true", "false", ""])
      .default("false")
      .transform((v) => v === "true"),
  })
  .superRefine((env, ctx) => {
    for (const name of ["SIGNING_KEY", "SIGNING_KEY_PREVIOUS"] as const) {
      const weakKey = weakKeyReason(env[name] ?? "");
      if (weakKey)
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `${weakKey}, the same as the Action's signing-key`,
        });
    }
    if (env.SIGNING_KEY_PREVIOUS && !env.SIGNING_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["SIGNING_KEY_PREVIOUS"],
        message: "is set without SIGNING_KEY: set SIGNING_KEY to the new key as well",
      });
    }
    if (env.LLM_BACKEND === "embedded" && !env.MODEL_FILE) {
      ctx.addIssue({
        code: "custom",
        path: ["MODEL_FILE"],
        message: "LLM_BACKEND=embedded needs MODEL_FILE, the path of a GGUF model file",
      });
    }
    // The prompt gets what the answer leaves of the window; with less than the system
    // prompts need, every job would fail at its first model call.
    const thinking = thinkingTokens(env);
    const room = env.NUM_CTX - env.NUM_PREDICT - thinking;
    if (room < MIN_PROMPT_ROOM) {
      const spent = thinking ? `with THINKING_TOKENS (${thinking}) leaves` : "leaves";
      ctx.addIssue({
        code: "custom",
        path: ["NUM_PREDICT"],
        message: `${env.NUM_PREDICT} ${spent} ${Math.max(0, room)} of NUM_CTX (${env.NUM_CTX}) for the prompt, less than the instructions alone need (${MIN_PROMPT_ROOM}); lower NUM_PREDICT${thinking ? " or THINKING_TOKENS" : ""} or raise NUM_CTX`,
      });
    }
    // A stall must be cut while the job still has time to retry it.
    if (env.STREAM_IDLE_TIMEOUT_MS > 0 && env.STREAM_IDLE_TIMEOUT_MS >= env.JOB_TIMEOUT_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["STREAM_IDLE_TIMEOUT_MS"],
        message: `must be below JOB_TIMEOUT_MS (${env.JOB_TIMEOUT_MS}), got ${env.STREAM_IDLE_TIMEOUT_MS}`,
      });
    }
  });

/**
 * Whether a reasoning model (qwen3, deepseek-r1, gpt-oss...) thinks before it answers.
 * Ollama turns thinking on for such models unless told otherwise, and the thinking
 * spends the answer's NUM_PREDICT: a plan cut off before it began. Off by default
 * (Ollama's `think: false`); `on` or a level thinks within THINKING_TOKENS more.
 */
export type ThinkingMode = "off" | "on" | "low" | "medium" | "high";

/**
 * The room kept for thinking: none when it is off, and none in-process, where the JSON
 * grammar holds from the first token and node-llama-cpp opens no thought segment.
 */
function thinkingTokens(env: {
  MODEL_THINKING: ThinkingMode;
  THINKING_TOKENS: number;
  LLM_BACKEND: string;
}): number {
  return env.MODEL_THINKING === "off" || env.LLM_BACKEND === "embedded" ? 0 : env.THINKING_TOKENS;
}

export type WorkerConfig = {
  amqpUrl: string;
  requestQueue: string;
  deliveryLimit: number;
  concurrency: number;
  signingKey: string | undefined;
  /**
   * During a rotation, the key being replaced: requests signed with it are still served,
   * and answered in it, so that Actions still on it keep working until they move.
   */
  previousSigningKey: string | undefined;
  /** Run without SIGNING_KEY: an explicit, logged opt-out (see main.ts). */
  allowUnsigned: boolean;
  signatureMaxSkewMs: number;
  /** Models a request may ask for; a request naming another is refused. */
  allowedModels: string[];
  llm: {
    backend: "ollama" | "openai" | "embedded";
    model: string;
    ollamaHost: string;
    ollamaApiKey: string | undefined;
    openaiBaseUrl: string;
    openaiApiKey: string | undefined;
    modelFile: string | undefined;
    numCtx: number;
    numPredict: number;
    thinking: ThinkingMode;
    /** Tokens the model may think for on top of `numPredict`; 0 when thinking is off. */
    thinkingTokens: number;
    keepAlive: string;
    temperature: number;
    firstTokenTimeoutMs: number;
    /** Longest silence between two streamed tokens before the call counts as failed. */
    streamIdleTimeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
  };
  jobTimeoutMs: number;
  progressIntervalMs: number;
  healthPort: number;
  healthHost: string;
  shutdownGraceMs: number;
  reconnectMaxMs: number;
  logLevel: string;
  /**
   * TEST ONLY (TEST_ONLY_CRASH_AFTER_REPLY=true): the worker SIGKILLs itself right after
   * the broker confirmed its first terminal reply and before it acks the request, the
   * one moment a crash leaves a request both answered and redelivered. Lets tests make
   * that moment deterministic; never set it in a deployment.
   */
  crashAfterReplyForTests: boolean;
};

/**
 * 60 s, or half the job timeout when that is shorter: well above the gap between two
 * tokens of a slow model, well under the time a job has to retry a stalled stream.
 */
function defaultStreamIdleTimeoutMs(jobTimeoutMs: number): number {
  return Math.min(60_000, Math.floor(jobTimeoutMs / 2));
}

/** Thrown when the environment is invalid; the message names every variable to fix. */
export class ConfigError extends Error {}

/** Validates the environment into a typed configuration, or throws a ConfigError. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid worker configuration: ${describeIssues(parsed.error)}`);
  }
  const e = parsed.data;
  return {
    amqpUrl: e.AMQP_URL,
    requestQueue: e.REQUEST_QUEUE,
    deliveryLimit: e.DELIVERY_LIMIT,
    concurrency: e.CONCURRENCY,
    signingKey: e.SIGNING_KEY,
    previousSigningKey: e.SIGNING_KEY_PREVIOUS,
    allowUnsigned: e.ALLOW_UNSIGNED,
    signatureMaxSkewMs: e.SIGNATURE_MAX_SKEW_MS,
    allowedModels: e.ALLOWED_MODELS
      ? e.ALLOWED_MODELS.split(",")
          .map((m) => m.trim())
          .filter(Boolean)
      : [e.MODEL],
    llm: {
      backend: e.LLM_BACKEND,
      model: e.MODEL,
      ollamaHost: e.OLLAMA_HOST,
      ollamaApiKey: e.OLLAMA_API_KEY,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      openaiApiKey: e.OPENAI_API_KEY,
      modelFile: e.MODEL_FILE,
      numCtx: e.NUM_CTX,
      numPredict: e.NUM_PREDICT,
      thinking: e.MODEL_THINKING,
      thinkingTokens: thinkingTokens(e),
      keepAlive: e.KEEP_ALIVE,
      temperature: e.TEMPERATURE,
      firstTokenTimeoutMs: e.FIRST_TOKEN_TIMEOUT_MS,
      streamIdleTimeoutMs: e.STREAM_IDLE_TIMEOUT_MS || defaultStreamIdleTimeoutMs(e.JOB_TIMEOUT_MS),
      maxAttempts: e.LLM_MAX_ATTEMPTS,
      retryBaseMs: e.RETRY_BASE_MS,
    },
    jobTimeoutMs: e.JOB_TIMEOUT_MS,
    progressIntervalMs: e.PROGRESS_INTERVAL_MS,
    healthPort: e.HEALTH_PORT,
    healthHost: e.HEALTH_HOST,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS < 0 ? e.JOB_TIMEOUT_MS : e.SHUTDOWN_GRACE_MS,
    reconnectMaxMs: e.RECONNECT_MAX_MS,
    logLevel: e.LOG_LEVEL,
    crashAfterReplyForTests: e.TEST_ONLY_CRASH_AFTER_REPLY,
  };
}
