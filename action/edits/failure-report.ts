import { REDACTED, redactSecrets, secretLiteralsIn } from "../context/redact-secrets.js";
import type { ApplyAndCheckResult } from "./apply-and-check.js";
import { knownSecrets } from "./check-command.js";

const DEFAULT_LIMIT = 6000;
const OUTPUT_LINES = 60;

/**
 * Explains why an edit set was refused, in plain text that serves both the repair round
 * (fed back to the model with its previous answer) and the tracking comment. Bounded to
 * `limit` characters: the first problems matter most, and a model's context is finite.
 * Every message here can quote repository files (a hunk that did not match shows the
 * closest real line, a syntax error its snippet, the check its output), and the report
 * goes to the model, the log and the public comment, so the whole report is redacted
 * once, here: by rule, against this run's own secrets, and against the secrets found in
 * each file the edits read, which a quote may show cut short or escaped. Returns "" when
 * the result is ok.
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
      const output = (check?.output ?? "").split("\n").slice(-OUTPUT_LINES).join("\n").trimEnd();
      parts.push(`The check command ${how}. The end of its output:`, "```", output, "```");
      break;
    }
    case undefined:
      parts.push("The edits were refused.");
      break;
  }
  const literals = [
    ...knownSecrets(process.env),
    ...result.apply.changes.flatMap((c) =>
      c.before === undefined ? [] : secretLiteralsIn(c.before, c.path),
    ),
  ];
  const redacted = redactSecrets(parts.join("\n"), { literals });
  const note = redacted.redacted
    ? `\n${REDACTED} stands for a secret that is never shown; search texts must not include lines that hold one.`
    : "";
  return clip(redacted.text + note, limit);
}

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf("\n", limit - 40);
  const kept = text.slice(0, cut > 0 ? cut : limit - 40);
  // Close an open code fence so the rest of a Markdown comment still renders.
  const fence = (kept.match(/^```/gm) ?? []).length % 2 === 1 ? "\n```" : "";
  return `${kept}${fence}\n[… ${text.length - kept.length} more characters]`;
}
