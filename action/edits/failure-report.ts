import { redactSecrets } from "../context/redact-secrets.js";
import type { ApplyAndCheckResult } from "./apply-and-check.js";
import { knownSecrets } from "./check-command.js";

const DEFAULT_LIMIT = 6000;
const OUTPUT_LINES = 60;

/**
 * Explains why an edit set was refused, in plain text that serves both the repair round
 * (fed back to the model with its previous answer) and the tracking comment. Bounded to
 * `limit` characters: the first problems matter most, and a model's context is finite.
 * The check command's output is redacted again here (runCheckCommand already did), so a
 * result made elsewhere cannot carry a secret into a public comment. Returns "" when the
 * result is ok.
 */
export function failureReport(result: ApplyAndCheckResult, limit = DEFAULT_LIMIT): string {
  if (result.ok) return "";
  const parts: string[] = [];
  switch (result.failedAt) {
    case "apply":
      parts.push(
        "The edits could not be applied. Each search text must match the current file exactly once:",
        ...result.apply.failures.map((f) => `- ${f.message}`),
      );
      break;
    case "syntax":
      parts.push(
        "The edited files have syntax errors that the originals did not have:",
        ...(result.syntax?.failures ?? []).map((line) => `- ${line}`),
      );
      break;
    case "check": {
      const check = result.check;
      const how = check?.timedOut
        ? "did not finish in time"
        : `failed (exit code ${check?.exitCode ?? "none"}${check?.signal ? `, signal ${check.signal}` : ""})`;
      const output = redactSecrets(
        (check?.output ?? "").split("\n").slice(-OUTPUT_LINES).join("\n").trimEnd(),
        { literals: knownSecrets(process.env) },
      ).text;
      parts.push(`The check command ${how}. The end of its output:`, "```", output, "```");
      break;
    }
    case undefined:
      parts.push("The edits were refused.");
      break;
  }
  return clip(parts.join("\n"), limit);
}

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf("\n", limit - 40);
  const kept = text.slice(0, cut > 0 ? cut : limit - 40);
  // Close an open code fence so the rest of a Markdown comment still renders.
  const fence = (kept.match(/^```/gm) ?? []).length % 2 === 1 ? "\n```" : "";
  return `${kept}${fence}\n[… ${text.length - kept.length} more characters]`;
}
