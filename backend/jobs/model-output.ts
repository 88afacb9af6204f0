import type { z } from "zod";
import { describeIssues } from "../../protocol/index.js";

export type ModelOutput<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Parses what the model wrote against the expected schema. Grammar-constrained output is
 * normally clean JSON, but servers without schema support may wrap it in a code fence or
 * add prose, so the outermost JSON object is taken.
 */
export function parseModelOutput<T>(text: string, schema: z.ZodType<T>): ModelOutput<T> {
  const answer = replyAnswer(text);
  if (answer === undefined)
    return { ok: false, problem: "the reply is thinking that never ended (no answer after it)" };
  const candidate = extractJsonObject(answer);
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

/**
 * The answer in a reply, past a reasoning model's thinking when the server leaves it in
 * (`<think>…</think>` first, as llama.cpp's server with `--reasoning-format none` and
 * older Ollama versions do; or only the closing tag, when the chat template itself opened
 * the block, as DeepSeek-R1's and QwQ's do). Thinking quotes code, braces and all, so the
 * answer's object would otherwise be looked for from a brace inside it. Undefined when
 * the thinking never closes: there is no answer.
 */
export function replyAnswer(text: string): string | undefined {
  const open = THINKING_OPEN.exec(text);
  if (open) {
    const close = `</${open[1]}>`;
    const end = text.toLowerCase().indexOf(close.toLowerCase(), open[0].length);
    return end < 0 ? undefined : text.slice(end + close.length);
  }
  // An answer starts with its object; text before it that a closing tag ends is thinking
  // (which may quote objects of its own).
  if (text.trimStart().startsWith("{")) return text;
  const closing = THINKING_CLOSE.exec(text);
  return closing ? text.slice(closing.index + closing[0].length) : text;
}

const THINKING_OPEN = /^\s*<(think|thinking|reasoning)>/i;
const THINKING_CLOSE = /<\/(think|thinking|reasoning)>/i;

function extractJsonObject(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return trimmed;
  const start = trimmed.indexOf("{");
  const end = trimmed.lastIndexOf("}");
  return start >= 0 && end > start ? trimmed.slice(start, end + 1) : undefined;
}
