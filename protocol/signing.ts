import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `t=<epoch ms>,v2=<hex HMAC-SHA256 of "<t>.<binding>.<body>">`. */
export const SIGNATURE_HEADER = "x-signature";

/**
 * The shortest signing key either side accepts: an HMAC key is only as strong as it is
 * long, and a short one (a word, a typo'd placeholder) can be guessed from one captured
 * message offline.
 */
export const MIN_SIGNING_KEY_CHARS = 16;

/** Why `key` is too weak to sign with, if it is; an empty key is the caller's to judge. */
export function weakKeyReason(key: string): string | undefined {
  const length = key.trim().length;
  if (length === 0 || length >= MIN_SIGNING_KEY_CHARS) return undefined;
  return `it is ${length} characters; use a random secret of at least ${MIN_SIGNING_KEY_CHARS} (openssl rand -hex 32)`;
}

/** How far a signature's timestamp may be from the verifier's clock. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

/** What a request's signature is bound to: being a request (never a reply). */
export const REQUEST_BINDING = "request";

/**
 * What a reply's signature is bound to: the request it answers, in that repository and
 * issue. A genuine reply captured from the broker cannot be replayed as the answer to
 * another request, nor a request as a reply. A worker's refusal (of a message whose
 * signature or body fails, or of a request it will not serve) is bound to the digest of
 * the exact body it received ({@link requestDigest}): a message published by someone
 * without the key, with a waiting run's request id and reply queue copied from the broker,
 * then draws a refusal that run does not accept, since it cannot hold that run's body.
 */
export function replyBinding(
  requestId: string,
  about: { owner: string; name: string; issue: number } | { requestDigest: string },
): string {
  return "requestDigest" in about
    ? `reply:${requestId}:unread:${about.requestDigest}`
    : `reply:${requestId}:${about.owner}/${about.name}#${about.issue}`;
}

/** The SHA-256 of a request's body as published, in hex (see replyBinding). */
export function requestDigest(body: Buffer | string): string {
  return createHash("sha256").update(body).digest("hex");
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

/**
 * Verifies a signature header against the body and its expected binding. Never throws.
 * The timestamp may lie `maxSkewMs` ahead of the verifier's clock (clocks differ) and
 * `maxAgeMs` behind it (default: the skew; a request that may wait in a queue passes
 * how long it may wait, and its own deadline is checked once the body is read).
 */
export function verifyBody(
  body: Buffer | string,
  header: unknown,
  key: string,
  options: { now?: number; maxSkewMs?: number; maxAgeMs?: number; binding?: string } = {},
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
  const maxAge = options.maxAgeMs ?? maxSkew;
  if (timestamp - now > maxSkew || now - timestamp > maxAge) {
    const ahead = timestamp > now;
    return {
      ok: false,
      reason: `signature timestamp is ${Math.round(Math.abs(now - timestamp) / 1000)} s ${ahead ? "ahead of" : "behind"} this clock, outside the ${(ahead ? maxSkew : maxAge) / 1000} s window (replayed or clock skew)`,
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
