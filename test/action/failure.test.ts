import { describe, expect, it } from "@jest/globals";
import { failureFromWorker, toFailure } from "../../action/failure.js";
import { DeadlineError } from "../../action/transport/work-client.js";
import type { ErrorReply } from "../../protocol/index.js";

const reply = (code: ErrorReply["code"]): ErrorReply => ({
  version: 1,
  requestId: "r-0000000001",
  at: 0,
  type: "error",
  code,
  message: "details",
  retryable: true,
});

describe("retry advice follows the stage that failed", () => {
  const codes: ErrorReply["code"][] = [
    "deadline_exceeded",
    "model_not_found",
    "model_unavailable",
    "context_overflow",
    "invalid_model_output",
    "internal",
  ];

  it.each(codes)("a failed approval (%s) is retried with /approve, never /plan", (code) => {
    const failure = failureFromWorker(reply(code), 20, "code");
    expect(failure.retry).toMatch(/`\/approve`/);
    expect(failure.retry).not.toMatch(/`\/plan`/);
  });

  it.each(codes)("a failed plan (%s) is retried with /plan", (code) => {
    const failure = failureFromWorker(reply(code), 20, "plan");
    expect(failure.retry).toMatch(/`\/plan`/);
    expect(failure.retry).not.toMatch(/`\/approve`/);
  });

  it("says the same for a deadline and for anything else thrown", () => {
    expect(toFailure(new DeadlineError("late"), 20, "code").retry).toMatch(/`\/approve`/);
    expect(toFailure(new Error("boom"), 20, "code").retry).toMatch(/`\/approve`/);
    expect(toFailure(new Error("boom"), 20, "plan").retry).toMatch(/`\/plan`/);
    expect(toFailure("a string", 20, "plan").reason).toBe("a string");
  });
});
