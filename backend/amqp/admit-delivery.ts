import type { ConsumeMessage } from "amqplib";
import {
  MAX_REQUEST_LIFETIME_MS,
  REPLY_QUEUE_PREFIX,
  SIGNATURE_HEADER,
  parseWorkRequest,
  requestDigest,
  verifyBody,
  type WorkRequest,
} from "../../protocol/index.js";

/** Where a delivery's replies go: its reply queue and correlation id, when it has valid ones. */
export interface ReplyAddress {
  replyTo: string;
  correlationId: string;
  /** The key the request was verified with, which its replies are signed with. */
  signingKey?: string;
}

/** What to do with a delivery, decided before any work. */
export type Admission =
  /**
   * Refused for good: dead-lettered with the reason, and the requester told if it can be
   * (bound to the digest of the body received, whether or not it could be read:
   * replyBinding).
   */
  | {
      kind: "reject";
      reason: string;
      metricReason: string;
      address?: ReplyAddress;
      requestDigest: string;
    }
  /** Already answered by this worker: a redelivery after a lost ack, or a replay. */
  | { kind: "duplicate"; request: WorkRequest; address: ReplyAddress }
  /** Its requester stopped waiting before work could start: told so, not computed. */
  | { kind: "expired"; request: WorkRequest; address: ReplyAddress }
  | { kind: "run"; request: WorkRequest; address: ReplyAddress };

/**
 * Checks a delivery in the order that costs least to refuse: signature, reply address,
 * size and schema, then whether it was answered already or has expired.
 */
export function admitDelivery(
  message: ConsumeMessage,
  rules: {
    signingKey?: string | undefined;
    /** During a rotation, the key being replaced, still accepted. */
    previousSigningKey?: string | undefined;
    signatureMaxSkewMs: number;
    /** Models a request may name; the operator's list, never the requester's. */
    allowedModels: readonly string[];
    answered: (requestId: string) => boolean;
    now: number;
  },
): Admission {
  const { replyTo, correlationId } = message.properties as {
    replyTo?: unknown;
    correlationId?: unknown;
  };
  const digest = requestDigest(message.content);
  const address =
    typeof replyTo === "string" &&
    replyTo.startsWith(REPLY_QUEUE_PREFIX) &&
    typeof correlationId === "string"
      ? ({ replyTo, correlationId } as ReplyAddress)
      : undefined;
  // A genuine request may wait its turn in the queue, or come back after a stopped
  // worker requeued it, for as long as its requester waits: its age is bounded by its own
  // signed deadline (checked below), not by the clock-skew window.
  let signedAt: number | undefined;
  if (rules.signingKey) {
    const verify = (key: string) =>
      verifyBody(message.content, message.properties.headers?.[SIGNATURE_HEADER], key, {
        now: rules.now,
        maxSkewMs: rules.signatureMaxSkewMs,
        maxAgeMs: MAX_REQUEST_LIFETIME_MS + rules.signatureMaxSkewMs,
      });
    let verified = verify(rules.signingKey);
    // During a rotation an Action may still sign with the key being replaced: served,
    // and answered in that key, which is the one it can verify.
    if (!verified.ok && rules.previousSigningKey) {
      const previous = verify(rules.previousSigningKey);
      if (previous.ok) {
        verified = previous;
        if (address) address.signingKey = rules.previousSigningKey;
      }
    }
    if (!verified.ok)
      return {
        kind: "reject",
        requestDigest: digest,
        reason: verified.reason,
        metricReason: "signature",
        address,
      };
    signedAt = verified.timestamp;
  }
  if (!address)
    return {
      kind: "reject",
      requestDigest: digest,
      reason: `missing or invalid replyTo/correlationId (replyTo must start with '${REPLY_QUEUE_PREFIX}')`,
      metricReason: "no_reply_to",
    };
  const parsed = parseWorkRequest(message.content);
  if (!parsed.ok)
    return {
      kind: "reject",
      requestDigest: digest,
      reason: parsed.reason,
      metricReason: parsed.reason.includes("bytes, over")
        ? "oversize"
        : parsed.reason.includes("not valid JSON")
          ? "malformed_json"
          : "schema",
      address,
    };
  const request = parsed.value;
  if (
    signedAt !== undefined &&
    request.deadline - signedAt > MAX_REQUEST_LIFETIME_MS + rules.signatureMaxSkewMs
  )
    return {
      kind: "reject",
      requestDigest: digest,
      reason: `deadline ${Math.round((request.deadline - signedAt) / 60_000)} min after signing, over the ${MAX_REQUEST_LIFETIME_MS / 60_000} min a request may live`,
      metricReason: "signature",
      address,
    };
  const model = request.options.model;
  if (model !== undefined && !rules.allowedModels.includes(model))
    return {
      kind: "reject",
      requestDigest: digest,
      reason: `model '${model}' is not one this worker serves (${rules.allowedModels.join(", ")}); set the Action's model input to one of these, or ask the operator to add it to ALLOWED_MODELS`,
      metricReason: "model_not_allowed",
      address,
    };
  if (rules.answered(request.requestId)) return { kind: "duplicate", request, address };
  if (rules.now >= request.deadline) return { kind: "expired", request, address };
  return { kind: "run", request, address };
}
