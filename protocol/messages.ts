import { z } from "zod";
import {
  MAX_GUIDANCE_CHARS,
  MAX_ISSUE_BODY_CHARS,
  MAX_ISSUE_TITLE_CHARS,
  MAX_LABEL_CHARS,
  MAX_LABELS,
  MAX_REQUEST_BYTES,
} from "./limits.js";
import { EditSetSchema, PlanSchema } from "./plan.js";

/** Bumped on any incompatible change; carried in the `x-protocol-version` header too. */
export const PROTOCOL_VERSION = 1;

const RepoRefSchema = z.object({
  owner: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  defaultBranch: z.string().min(1).max(255),
  sha: z.string().regex(/^[0-9a-f]{7,64}$/, "expected a git commit sha"),
});

const IssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string().max(MAX_ISSUE_TITLE_CHARS),
  body: z.string().max(MAX_ISSUE_BODY_CHARS),
  author: z.string().max(100),
  labels: z.array(z.string().max(MAX_LABEL_CHARS)).max(MAX_LABELS),
});

export const ExcerptSchema = z.object({
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  text: z.string(),
});

/** Lines of a file worth showing whole when the file does not fit (1-based, inclusive). */
export const FocusRegionSchema = z
  .object({
    startLine: z.number().int().positive(),
    endLine: z.number().int().positive(),
  })
  .refine((r) => r.endLine >= r.startLine, "endLine before startLine");

/** Longest repository path a message carries. */
export const MAX_PATH_CHARS = 1000;
/** Longest reason a context file carries for its rank. */
export const MAX_REASON_CHARS = 500;

/** Most focus regions a context file carries. */
export const MAX_CONTEXT_FOCUS = 40;

export const ContextFileSchema = z.object({
  path: z.string().min(1).max(MAX_PATH_CHARS),
  score: z.number(),
  reasons: z.array(z.string().max(MAX_REASON_CHARS)).max(50),
  excerpts: z.array(ExcerptSchema).max(100),
  /**
   * Where in the excerpts the issue's evidence is, best first: the regions the ranking
   * matched (before they were widened to fill the file's share). A worker whose window
   * cannot hold the excerpts shows these whole, in this order.
   */
  focus: z.array(FocusRegionSchema).max(MAX_CONTEXT_FOCUS).optional(),
});

/** Longest reason a file left out (or shown in part) may carry. */
export const MAX_OMITTED_REASON_CHARS = 500;

export const OmittedFileSchema = z.object({
  path: z.string().max(MAX_PATH_CHARS),
  reason: z.string().max(MAX_OMITTED_REASON_CHARS),
});

export const ContextSchema = z.object({
  /** Paths of the repository tree, possibly abridged; `totalFiles` is the true count. */
  tree: z.object({
    paths: z.array(z.string().max(MAX_PATH_CHARS)).max(20000),
    totalFiles: z.number().int().nonnegative(),
  }),
  files: z.array(ContextFileSchema).max(500),
  /** What the Action left out for budget; passed on so the plan can say so. */
  omitted: z.array(OmittedFileSchema).max(5000).default([]),
  tokenEstimate: z.number().int().nonnegative(),
});

const RequestBaseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  requestId: z.string().min(8).max(200),
  /** `owner/repo#issue@sha`: the same work asked twice has the same key. */
  idempotencyKey: z.string().min(1).max(400),
  repo: RepoRefSchema,
  issue: IssueSchema,
  context: ContextSchema,
  options: z
    .object({
      model: z.string().min(1).max(200).optional(),
      maxTokens: z.number().int().positive().max(32768).optional(),
    })
    .default({}),
  /** Epoch milliseconds after which the requester no longer waits. */
  deadline: z.number().int().positive(),
});

export const PlanRequestSchema = RequestBaseSchema.extend({
  type: z.literal("plan"),
  /** Maintainer guidance (e.g. the lines after `/plan`). */
  guidance: z.string().max(MAX_GUIDANCE_CHARS).optional(),
});

/** A definition's first line and its line number, for the outline of a large file. */
export const OutlineEntrySchema = z.object({
  line: z.number().int().positive(),
  text: z.string().max(400),
});

/** Most focus regions a file of a code request carries. */
export const MAX_SOURCE_FOCUS = 200;

/**
 * A file the plan changes: its whole current text, and for when the worker's window
 * cannot hold it all, the regions the issue and plan point at (best first) and an
 * outline of its definitions. The worker decides what of it the model sees.
 */
export const SourceFileSchema = z.object({
  path: z.string().min(1).max(1000),
  content: z.string(),
  regions: z.array(FocusRegionSchema).max(MAX_SOURCE_FOCUS).optional(),
  outline: z.array(OutlineEntrySchema).max(5000).optional(),
});

export const CodeRequestSchema = RequestBaseSchema.extend({
  type: z.literal("code"),
  plan: PlanSchema,
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The files the plan modifies, best first, whole, with their focus regions and outline. */
  files: z.array(SourceFileSchema).max(100),
  guidance: z.string().max(MAX_GUIDANCE_CHARS).optional(),
  /** Set on the repair round trip: what failed last time. */
  repair: z
    .object({
      previous: EditSetSchema,
      errors: z.array(z.string().max(4000)).min(1).max(100),
    })
    .optional(),
});

export const WorkRequestSchema = z.discriminatedUnion("type", [
  PlanRequestSchema,
  CodeRequestSchema,
]);

export type PlanRequest = z.infer<typeof PlanRequestSchema>;
export type CodeRequest = z.infer<typeof CodeRequestSchema>;
export type WorkRequest = z.infer<typeof WorkRequestSchema>;
export type WorkRequestInput = z.input<typeof WorkRequestSchema>;
export type ContextFile = z.infer<typeof ContextFileSchema>;
export type SourceFile = z.infer<typeof SourceFileSchema>;
export type FocusRegion = z.infer<typeof FocusRegionSchema>;
export type OutlineEntry = z.infer<typeof OutlineEntrySchema>;
export type RequestContext = z.infer<typeof ContextSchema>;

export const UsageSchema = z.object({
  model: z.string(),
  promptTokens: z.number().int().nonnegative(),
  evalTokens: z.number().int().nonnegative(),
  totalMs: z.number().nonnegative(),
  loadMs: z.number().nonnegative(),
  promptMs: z.number().nonnegative(),
  evalMs: z.number().nonnegative(),
  attempts: z.number().int().positive(),
});
export type Usage = z.infer<typeof UsageSchema>;

const ReplyBaseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  requestId: z.string().min(1).max(200),
  /** Sender clock, epoch milliseconds. */
  at: z.number().int().nonnegative(),
});

export const ProgressReplySchema = ReplyBaseSchema.extend({
  type: z.literal("progress"),
  stage: z.enum(["accepted", "loading", "generating", "retrying"]),
  model: z.string().optional(),
  tokens: z.number().int().nonnegative().optional(),
  message: z.string().max(1000).optional(),
});

export const PlanResultSchema = ReplyBaseSchema.extend({
  type: z.literal("result"),
  kind: z.literal("plan"),
  plan: PlanSchema,
  usage: UsageSchema,
  /** Context the worker had to drop to fit the model's window, lowest-ranked first. */
  trimmed: z.array(OmittedFileSchema).default([]),
});

export const CodeResultSchema = ReplyBaseSchema.extend({
  type: z.literal("result"),
  kind: z.literal("code"),
  edits: EditSetSchema,
  usage: UsageSchema,
  trimmed: z.array(OmittedFileSchema).default([]),
});

export const ErrorCodeSchema = z.enum([
  "invalid_request",
  "deadline_exceeded",
  "model_not_found",
  "model_unavailable",
  "context_overflow",
  "invalid_model_output",
  "internal",
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorReplySchema = ReplyBaseSchema.extend({
  type: z.literal("error"),
  code: ErrorCodeSchema,
  message: z.string().max(4000),
  retryable: z.boolean(),
  /**
   * On a worker's refusal (`invalid_request`): the digest of the body it received
   * (requestDigest in signing.ts), which the requester compares with its own.
   */
  requestDigest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

export const ReplySchema = z.union([
  ProgressReplySchema,
  PlanResultSchema,
  CodeResultSchema,
  ErrorReplySchema,
]);

export type ProgressReply = z.infer<typeof ProgressReplySchema>;
export type PlanResult = z.infer<typeof PlanResultSchema>;
export type CodeResult = z.infer<typeof CodeResultSchema>;
export type ErrorReply = z.infer<typeof ErrorReplySchema>;
export type Reply = z.infer<typeof ReplySchema>;
export type TerminalReply = PlanResult | CodeResult | ErrorReply;

export function isTerminal(reply: Reply): reply is TerminalReply {
  return reply.type === "result" || reply.type === "error";
}

/** A parse outcome that carries a human-readable reason instead of throwing. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseJson<T>(schema: z.ZodType<T>, body: Buffer | string, what: string): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch (error) {
    return { ok: false, reason: `${what} is not valid JSON: ${(error as Error).message}` };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    return {
      ok: false,
      reason: `${what} does not match protocol v${PROTOCOL_VERSION}: ${describeIssues(result.error)}`,
    };
  }
  return { ok: true, value: result.data };
}

/** Parses a request body received by the worker. Never throws. */
export function parseWorkRequest(body: Buffer | string): Parsed<WorkRequest> {
  const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  if (size > MAX_REQUEST_BYTES) {
    return {
      ok: false,
      reason: `request body is ${size} bytes, over the ${MAX_REQUEST_BYTES}-byte limit`,
    };
  }
  return parseJson(WorkRequestSchema, body, "request");
}

/** Parses a reply body received by the requester. Never throws. */
export function parseReply(body: Buffer | string): Parsed<Reply> {
  return parseJson(ReplySchema, body, "reply");
}

/** Renders zod issues as one line naming each failing field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}
