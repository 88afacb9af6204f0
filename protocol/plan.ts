import { z } from "zod";
import { RepoPathSchema } from "./repo-path.js";

/**
 * The plan the model must produce. This zod schema is the single source of truth: the
 * JSON schema handed to the model (`format`) is generated from it, and the same schema
 * validates what comes back.
 */
export const PlanFileChangeSchema = z.object({
  path: RepoPathSchema,
  change: z.enum(["modify", "create", "delete"]),
  reason: z.string().min(1).max(2000),
});

export const PlanStepSchema = z.object({
  title: z.string().min(1).max(300),
  detail: z.string().max(4000),
  files: z.array(RepoPathSchema).max(30),
});

export const PlanSchema = z.object({
  summary: z.string().min(1).max(4000),
  steps: z.array(PlanStepSchema).min(1).max(30),
  files: z.array(PlanFileChangeSchema).max(50),
  risks: z.array(z.string().min(1).max(2000)).max(20),
  tests: z.array(z.string().min(1).max(2000)).max(20),
  openQuestions: z.array(z.string().min(1).max(2000)).max(20),
});

export type Plan = z.infer<typeof PlanSchema>;
export type PlanFileChange = z.infer<typeof PlanFileChangeSchema>;

/**
 * Code edits for an approved plan. Modifications are search/replace hunks anchored on
 * existing text (each must match exactly once when applied); new files carry their whole
 * content; deletions carry nothing.
 */
export const EditHunkSchema = z.object({
  search: z.string().min(1).max(20000),
  replace: z.string().max(20000),
});

export const FileEditSchema = z.object({
  path: RepoPathSchema,
  change: z.enum(["modify", "create", "delete"]),
  hunks: z.array(EditHunkSchema).max(50).default([]),
  content: z.string().max(200000).optional(),
});

export const EditSetSchema = z.object({
  summary: z.string().min(1).max(4000),
  edits: z.array(FileEditSchema).min(1).max(50),
});

export type EditHunk = z.infer<typeof EditHunkSchema>;
export type FileEdit = z.infer<typeof FileEditSchema>;
export type EditSet = z.infer<typeof EditSetSchema>;

/**
 * llama.cpp's grammar parser (used by Ollama and node-llama-cpp for `format`) refuses
 * repetitions much beyond this many characters: `{1,2000}` fails to parse.
 */
const GRAMMAR_MAX_REPEAT = 1000;

/**
 * JSON schemas for the model's `format` parameter, generated from the zod schemas. Plan
 * texts are capped for the model (a summary of 1,000 characters is plenty); code texts
 * (hunks, new files) are left unbounded there and bounded by the token limit instead.
 */
export const planJsonSchema = toModelJsonSchema(PlanSchema, "cap");
export const editSetJsonSchema = toModelJsonSchema(EditSetSchema, "unbounded");

function toModelJsonSchema(
  schema: z.ZodType,
  longText: "cap" | "unbounded",
): Record<string, unknown> {
  // `io: "input"` keeps defaulted fields optional, as a model may omit them.
  const json = z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
  delete json.$schema;
  return adaptStringLimits(json, longText) as Record<string, unknown>;
}

/**
 * Grammar engines count `maxLength` in code points, zod in UTF-16 units, where a
 * character outside the BMP (an emoji) counts twice. Halving the limits the model sees
 * guarantees that whatever the grammar lets through also passes validation; limits the
 * grammar cannot express are capped or dropped.
 */
function adaptStringLimits(node: unknown, longText: "cap" | "unbounded"): unknown {
  if (Array.isArray(node)) return node.map((item) => adaptStringLimits(item, longText));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "maxLength" && typeof value === "number") {
      const halved = Math.max(1, Math.floor(value / 2));
      if (halved <= GRAMMAR_MAX_REPEAT) out[key] = halved;
      else if (longText === "cap") out[key] = GRAMMAR_MAX_REPEAT;
      continue;
    }
    out[key] = adaptStringLimits(value, longText);
  }
  return out;
}
