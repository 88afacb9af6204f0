/**
 * The issue's body within a share of the model's window. A long body is mostly pasted
 * output (logs, tracebacks, dumps) in its middle, while what the reporter asks for tends
 * to open it and what they saw and ran tends to close it; so a body over its share keeps
 * its beginning and its end, whole lines of each, and says how much of the middle was
 * left out. Without this an issue longer than a small model's window made the request
 * fail outright, even though the rest of it (the plan, the code) would have fitted.
 */
import { estimateTokens } from "../../protocol/index.js";

/**
 * Of the user message's budget, what the issue body may take in a plan request: the
 * other half is kept for the repository's code, which the plan must be grounded in.
 */
export const PLAN_ISSUE_SHARE = 0.5;
/**
 * In a code request the approved plan already says what to do: the issue is background,
 * and the room it leaves goes to the code the edits must quote.
 */
export const CODE_ISSUE_SHARE = 0.15;

/** Of the characters kept, the share taken from the beginning (the rest from the end). */
const HEAD_SHARE = 0.7;

export interface FittedIssueBody {
  text: string;
  /** Characters of the middle left out; 0 when the body is whole. */
  leftOut: number;
}

/** What a request shows for an issue opened without a body. */
const NO_DESCRIPTION = "(no description)";

/** The body as the prompt shows it: within `maxTokens`, or a stand-in when it is empty. */
export function fitIssueBody(givenBody: string, maxTokens: number): FittedIssueBody {
  const body = givenBody || NO_DESCRIPTION;
  if (estimateTokens(body) <= maxTokens) return { text: body, leftOut: 0 };
  // estimateTokens counts three bytes a token: keep about that many, less the marker.
  const keepBytes = Math.max(0, maxTokens * 3 - 120);
  // Only line breaks go at the seams: the indentation of the first line kept at the end
  // is part of it (a traceback, a code block).
  const head = wholeLines(body, Math.floor(keepBytes * HEAD_SHARE), "start").replace(/\n+$/, "");
  const rest = body.slice(head.length);
  const tail = wholeLines(rest, keepBytes - Buffer.byteLength(head), "end").replace(/^\n+/, "");
  // Counted in characters as people count them (an emoji is one), seams included.
  const leftOut = [...body.slice(head.length, body.length - tail.length)].length;
  const marker = `[… ${leftOut} characters of the issue's middle left out to fit the model's window …]`;
  const text = [head, marker, tail].join("\n");
  // A share too small for even the marker: the caller's budget check decides.
  if (text.length >= body.length) return { text: body, leftOut: 0 };
  return { text, leftOut };
}

/** What the PR says about a body that was cut (see render-plan / render-changes). */
export function issueLeftOut(
  issueNumber: number,
  fitted: FittedIssueBody,
): { path: string; reason: string }[] {
  if (fitted.leftOut === 0) return [];
  return [
    {
      path: `issue #${issueNumber}`,
      reason: `${fitted.leftOut} characters of the body's middle left out to fit the model's context window`,
    },
  ];
}

/**
 * At most `maxBytes` of `text` from its start or its end, cut at a line break when one
 * is near (a line cut in two reads as corrupt), else at a character boundary.
 */
function wholeLines(text: string, maxBytes: number, from: "start" | "end"): string {
  if (maxBytes <= 0) return "";
  // Characters can be up to 4 bytes: shorten until the bytes fit.
  let chars = Math.min(text.length, maxBytes);
  const take = (n: number) =>
    withoutSplitPair(from === "start" ? text.slice(0, n) : text.slice(text.length - n), from);
  let piece = take(chars);
  while (Buffer.byteLength(piece) > maxBytes) {
    chars = Math.floor(chars * 0.9);
    piece = take(chars);
  }
  if (piece.length === text.length) return piece;
  const cut = from === "start" ? piece.lastIndexOf("\n") : piece.indexOf("\n");
  const nearEnough =
    cut >= 0 && (from === "start" ? cut > piece.length * 0.8 : cut < piece.length * 0.2);
  if (!nearEnough) return piece;
  return from === "start" ? piece.slice(0, cut + 1) : piece.slice(cut + 1);
}

/** Drops half of a surrogate pair (an emoji) that the cut left at the piece's open end. */
function withoutSplitPair(piece: string, from: "start" | "end"): string {
  if (piece === "") return piece;
  if (from === "start") {
    const last = piece.charCodeAt(piece.length - 1);
    return last >= 0xd800 && last <= 0xdbff ? piece.slice(0, -1) : piece;
  }
  const first = piece.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? piece.slice(1) : piece;
}
