import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `t=<epoch ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = "x-signature";

/** How far a signature's timestamp may be from the verifier's clock. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * Signs a message body with a shared key. The timestamp is part of the signed text, so a
 * captured message cannot be replayed once it falls outside the verifier's window.
 */
export function signBody(body: Buffer | string, key: string, now = Date.now()): string {
  return `t=${now},v1=${digest(body, key, now)}`;
}

export type VerifyOutcome = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Verifies a signature header against the body. Never throws. */
export function verifyBody(
  body: Buffer | string,
  header: unknown,
  key: string,
  options: { now?: number; maxSkewMs?: number } = {},
): VerifyOutcome {
  if (typeof header !== "string" || header.length === 0) {
    return {
      ok: false,
      reason: `missing ${SIGNATURE_HEADER} header (the worker requires signed requests)`,
    };
  }
  const match = /^t=(\d{1,16}),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header` };
  const timestamp = Number(match[1]);
  const now = options.now ?? Date.now();
  const maxSkew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(now - timestamp) > maxSkew) {
    return {
      ok: false,
      reason: `signature timestamp is ${Math.round((now - timestamp) / 1000)} s from now, outside the ${maxSkew / 1000} s window (replayed or clock skew)`,
    };
  }
  const expected = Buffer.from(digest(body, key, timestamp), "hex");
  const given = Buffer.from(match[2] ?? "", "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      reason: "signature does not match the body (wrong key or altered message)",
    };
  }
  return { ok: true, timestamp };
}

function digest(body: Buffer | string, key: string, timestamp: number): string {
  return createHmac("sha256", key).update(`${timestamp}.`).update(body).digest("hex");
}
