import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `t=<epoch ms>,v2=<hex HMAC-SHA256 of "<t>.<binding>.<body>">`. */
export const SIGNATURE_HEADER = "x-signature";

/** How far a signature's timestamp may be from the verifier's clock. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

/** What a request's signature is bound to: being a request (never a reply). */
export const REQUEST_BINDING = "request";

/**
 * What a reply's signature is bound to: the request it answers, in that repository and
 * issue. A genuine reply captured from the broker cannot be replayed as the answer to
 * another request, nor a request as a reply. `subject` is absent only when the worker
 * could not read the request (its refusal is still bound to the request id).
 */
export function replyBinding(
  requestId: string,
  subject?: { owner: string; name: string; issue: number },
): string {
  return subject
    ? `reply:${requestId}:${subject.owner}/${subject.name}#${subject.issue}`
    : `reply:${requestId}:unread`;
}

/**
 * Signs a message body with a shared key. The timestamp and the binding are part of the
 * signed text, so a captured message cannot be replayed once it falls outside the
 * verifier's window, nor used for anything but what it was signed for.
 */
export function signBody(
  body: Buffer | string,
  key: string,
  now = Date.now(),
  binding = REQUEST_BINDING,
): string {
  return `t=${now},v2=${digest(body, key, now, binding)}`;
}

export type VerifyOutcome = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Verifies a signature header against the body and its expected binding. Never throws. */
export function verifyBody(
  body: Buffer | string,
  header: unknown,
  key: string,
  options: { now?: number; maxSkewMs?: number; binding?: string } = {},
): VerifyOutcome {
  if (typeof header !== "string" || header.length === 0) {
    return { ok: false, reason: `missing ${SIGNATURE_HEADER} header (signatures are required)` };
  }
  const match = /^t=(\d{1,16}),v2=([0-9a-f]{64})$/.exec(header);
  if (!match)
    return {
      ok: false,
      reason: `malformed ${SIGNATURE_HEADER} header (expected t=…,v2=…; is the other side an older version?)`,
    };
  const timestamp = Number(match[1]);
  const now = options.now ?? Date.now();
  const maxSkew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(now - timestamp) > maxSkew) {
    return {
      ok: false,
      reason: `signature timestamp is ${Math.round((now - timestamp) / 1000)} s from now, outside the ${maxSkew / 1000} s window (replayed or clock skew)`,
    };
  }
  const expected = Buffer.from(
    digest(body, key, timestamp, options.binding ?? REQUEST_BINDING),
    "hex",
  );
  const given = Buffer.from(match[2] ?? "", "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      reason:
        "signature does not match (wrong key, altered message, or signed for another request)",
    };
  }
  return { ok: true, timestamp };
}

function digest(body: Buffer | string, key: string, timestamp: number, binding: string): string {
  return createHmac("sha256", key).update(`${timestamp}.${binding}.`).update(body).digest("hex");
}
