/**
 * Text for the run's log that cannot act on the runner. The runner reads a log line that
 * starts with `::` (after any leading space) as a workflow command — `::add-mask::` hides
 * words from the rest of the log, `::error::` posts an annotation, `::stop-commands::`
 * switches commands off — and the older `##[command]` form anywhere in a line. The log
 * carries untrusted text: repository file names, the issue, the worker's messages, the
 * output of a check running model-written code. Such text goes between a
 * `::stop-commands::<token>` line and `::<token>::`, with a token it cannot know.
 */
import { randomUUID } from "node:crypto";

const COMMAND_LIKE = /(^|\n)[^\S\n]*::|##\[/;

/** `message` as it is when nothing in it looks like a command, fenced off when something does. */
export function inertLogText(message: string): string {
  if (!COMMAND_LIKE.test(message)) return message;
  const token = `issue-agent-${randomUUID()}`;
  return `::stop-commands::${token}\n${message}\n::${token}::`;
}
