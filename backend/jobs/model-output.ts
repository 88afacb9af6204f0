import type { z } from "zod";
import { describeIssues } from "../../protocol/index.js";

export type ModelOutput<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Parses what the model wrote against the expected schema. Grammar-constrained output is
 * normally clean JSON, but servers without schema support may wrap it in a code fence or
 * add prose, so the outermost JSON object is taken.
 */
export function parseModelOutput<T>(text: string, schema: z.ZodType<T>): ModelOutput<T> {
  const candidate = extractJsonObject(text);
  if (candidate === undefined) return { ok: false, problem: "the reply contains no JSON object" };
  let raw: unknown;
  try {
    raw = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, problem: `the reply is not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problem: `the JSON does not match the schema: ${describeIssues(parsed.error)}`,
    };
  return { ok: true, value: parsed.data };
}

function extractJsonObject(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return trimmed;
  const start = trimmed.indexOf("{");
  const end = trimmed.lastIndexOf("}");
  return start >= 0 && end > start ? trimmed.slice(start, end + 1) : undefined;
}
