/**
 * The one builder of work requests, for the plan and code pipelines and the CLI: the
 * issue text (bounded by read-issue.ts), guidance, deadline and model options, validated
 * against the schema before anything is sent (a request that does not validate is our
 * bug, better caught here than dead-lettered by the worker).
 */
import {
  CodeRequestSchema,
  MAX_GUIDANCE_CHARS,
  PROTOCOL_VERSION,
  PlanRequestSchema,
  type CodeRequest,
  type EditSet,
  type Plan,
  type PlanRequest,
  type RequestContext,
} from "../../protocol/index.js";
import { newRequestId } from "../transport/work-client.js";
import { textForModel, type IssueText } from "./read-issue.js";

/** What every request carries besides its kind. */
export interface RequestFields {
  repo: { owner: string; name: string; defaultBranch: string; sha: string };
  issue: IssueText;
  context: RequestContext;
  /** Model to ask for; empty or absent: the worker's own. */
  model?: string | undefined;
  guidance?: string | undefined;
  timeoutMinutes: number;
  /** The same work asked twice has the same key. */
  idempotencyKey: string;
}

function common(fields: RequestFields) {
  const { bodyCut: _bodyCut, ...issue } = fields.issue;
  const guidance = fields.guidance
    ? textForModel(fields.guidance).slice(0, MAX_GUIDANCE_CHARS)
    : "";
  return {
    version: PROTOCOL_VERSION,
    requestId: newRequestId(),
    idempotencyKey: fields.idempotencyKey,
    repo: fields.repo,
    issue,
    context: fields.context,
    options: fields.model ? { model: fields.model } : {},
    deadline: Date.now() + fields.timeoutMinutes * 60_000,
    ...(guidance ? { guidance } : {}),
  };
}

/** A plan request. */
export function planRequest(fields: RequestFields): PlanRequest {
  return PlanRequestSchema.parse({ ...common(fields), type: "plan" });
}

/** A code request: the plan, the texts of the files it changes, and context. */
export function codeRequest(
  fields: RequestFields & {
    plan: Plan;
    planHash: string;
    files: { path: string; content: string }[];
  },
): CodeRequest {
  return CodeRequestSchema.parse({
    ...common(fields),
    type: "code",
    plan: fields.plan,
    planHash: fields.planHash,
    files: fields.files,
  });
}

/** The repair round's request: the same work, a new id and deadline, and what failed. */
export function repairRequest(
  first: CodeRequest,
  previous: EditSet,
  errors: string[],
  timeoutMinutes: number,
): CodeRequest {
  return CodeRequestSchema.parse({
    ...first,
    requestId: newRequestId(),
    deadline: Date.now() + timeoutMinutes * 60_000,
    repair: { previous, errors: errors.map((e) => e.slice(0, 4000)) },
  });
}
