/**
 * The worker widens the room a prompt is fitted into by what the model's own token counts
 * showed: unit rules first, then runJob with a model server that counts like a tokenizer
 * of 4 bytes a token, and one whose counts lie.
 */
import { describe, expect, it } from "@jest/globals";
import { runJob, type JobDeps } from "../../backend/jobs/run-job.js";
import type { GenerateRequest, LlmBackend } from "../../backend/llm/backend.js";
import { LlmError } from "../../backend/llm/errors.js";
import { countedPromptTokens } from "../../backend/llm/openai-compatible.js";
import {
  REFIT_SCALE,
  refitBudget,
  TokenCalibration,
} from "../../backend/prompt/token-calibration.js";
import { userMessageBudget } from "../../backend/prompt/user-message.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";
import { ScriptedModel, scriptedJobDeps } from "../support/scripted-model.js";

describe("TokenCalibration", () => {
  it("widens nothing until the model has counted a prompt", () => {
    expect(new TokenCalibration().widening("m\nplan")).toBe(1);
  });

  it("widens by the least favourable recent count, less a margin, per model and kind", () => {
    const calibration = new TokenCalibration();
    calibration.observe("m\ncode", 1000, 750); // 4 bytes a token
    expect(calibration.widening("m\ncode")).toBeCloseTo(1 / (0.75 * 1.1), 5);
    calibration.observe("m\ncode", 1000, 850); // a denser prompt decides from now on
    expect(calibration.widening("m\ncode")).toBeCloseTo(1 / (0.85 * 1.1), 5);
    expect(calibration.widening("m\nplan")).toBe(1);
    expect(calibration.widening("other\ncode")).toBe(1);
  });

  it("never narrows below the estimate and widens at most 1.4 times", () => {
    const calibration = new TokenCalibration();
    calibration.observe("fine", 1000, 1000); // a tokenizer as fine as the estimate
    expect(calibration.widening("fine")).toBe(1);
    calibration.observe("coarse", 1000, 610);
    expect(calibration.widening("coarse")).toBe(1.4);
  });

  it("does not believe a count that leaves tokens out, and forgets a kind that overflowed", () => {
    const calibration = new TokenCalibration();
    calibration.observe("cached", 1000, 120); // Ollama counting only what it did not cache
    calibration.observe("cached", 1000, 0); // or nothing at all
    expect(calibration.widening("cached")).toBe(1);
    calibration.observe("m", 1000, 750);
    calibration.forget("m");
    expect(calibration.widening("m")).toBe(1);
  });
});

/**
 * A model server that counts a prompt as a tokenizer of `bytesPerToken()` bytes a token
 * would and refuses one that leaves the reply no room, as the embedded llama.cpp backend
 * does; with `refuses: "window"`, only a prompt over the whole window, as Ollama with
 * `truncate: false` does.
 */
function countingModel(
  steps: string[],
  bytesPerToken: () => number,
  refuses: "reply room" | "window" = "reply room",
  saysCount = false,
) {
  const scripted = new ScriptedModel(steps);
  const counts: number[] = [];
  const model: LlmBackend = {
    kind: "ollama",
    generate: async (request: GenerateRequest) => {
      const text = [request.system, ...request.messages.map((m) => m.content)].join("");
      const counted = Math.ceil(Buffer.byteLength(text) / bytesPerToken()) + 20;
      counts.push(counted);
      const limit = refuses === "window" ? request.numCtx : request.numCtx - request.numPredict;
      if (counted > limit) {
        scripted.calls.push(request);
        throw new LlmError(
          "context_overflow",
          "the input length exceeds the context length",
          saysCount ? { promptTokens: counted } : {},
        );
      }
      return { ...(await scripted.generate(request)), promptTokens: counted };
    },
    checkReady: () => scripted.checkReady(),
    close: () => scripted.close(),
  };
  return { model, calls: scripted.calls, counts };
}

function deps(model: LlmBackend, calibration: TokenCalibration): JobDeps {
  return scriptedJobDeps(model, { numCtx: 8192, calibration });
}

/** A plan request whose context is far larger than an 8k window. */
function largeRequest() {
  const request = samplePlanRequest();
  const code = Array.from({ length: 6_000 }, (_, i) => `    total_${i} = compute(part_${i}) + 1`);
  // One file, every line naming the issue's words: whatever the worker keeps of it is
  // full, so the prompt fills the room it is given.
  request.issue.body = "`compute` gives the wrong total for every part";
  request.context.files = [];
  request.context.files.unshift({
    path: "src/big.py",
    score: 9,
    reasons: [],
    excerpts: [{ startLine: 1, endLine: code.length, text: code.join("\n") }],
  });
  return request;
}

const PLAN = JSON.stringify(samplePlan());

describe("runJob with a calibrated window", () => {
  it("shows more of the context once the model has counted a prompt, and stays inside the window", async () => {
    const calibration = new TokenCalibration();
    const { model, calls, counts } = countingModel([PLAN, PLAN], () => 4);
    await runJob(largeRequest(), deps(model, calibration));
    const second = await runJob(largeRequest(), deps(model, calibration));
    expect(second.reply).toMatchObject({ type: "result", kind: "plan" });
    const [first, widened] = calls.map((call) => call.messages[0]?.content.length ?? 0);
    expect(widened).toBeGreaterThan(1.15 * (first ?? 0));
    // What the model counted still leaves the reply its room.
    for (const count of counts) expect(count + 1024).toBeLessThanOrEqual(8192);
  });

  it("falls back below the estimate when a widened prompt overflows, and forgets the widening", async () => {
    const calibration = new TokenCalibration();
    // The first prompt, counted at 4 bytes a token, widens the room; the next request's
    // prompts are counted at 2.5 (a denser tokenizer's view), so the widened one is refused.
    let bytesPerToken = 4;
    const { model, calls } = countingModel([PLAN, PLAN], () => bytesPerToken);
    await runJob(largeRequest(), deps(model, calibration));
    expect(calibration.widening("coder\nplan")).toBeGreaterThan(1.1);
    bytesPerToken = 2.5;
    const outcome = await runJob(largeRequest(), deps(model, calibration));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    // Widened and refused, then fitted into 70% of the estimate's room and answered.
    expect(calls).toHaveLength(3);
    const [first, refused, refit] = calls.map((c) => c.messages[0]?.content.length ?? 0);
    expect(refused).toBeGreaterThan(first ?? 0);
    expect(refit).toBeLessThan(0.8 * (first ?? 0));
    expect(calibration.widening("coder\nplan")).toBe(1);
  });

  it("forgets the widening when the widened prompt and its second fit are both refused", async () => {
    const calibration = new TokenCalibration();
    let bytesPerToken = 4;
    const { model } = countingModel([PLAN], () => bytesPerToken);
    await runJob(largeRequest(), deps(model, calibration));
    expect(calibration.widening("coder\nplan")).toBeGreaterThan(1.1);
    bytesPerToken = 1; // far finer than any estimate: nothing fits
    const outcome = await runJob(largeRequest(), deps(model, calibration));
    expect(outcome.reply).toMatchObject({ type: "error", code: "context_overflow" });
    expect(calibration.widening("coder\nplan")).toBe(1);
  });

  it("forgets the widening when a prompt the server took left the reply less than its room", async () => {
    // Ollama refuses only a prompt over the whole window: one that eats into NUM_PREDICT
    // is taken and its reply may be cut, so it must not widen the next prompts.
    const calibration = new TokenCalibration();
    let bytesPerToken = 4.9;
    const { model, counts } = countingModel([PLAN, PLAN], () => bytesPerToken, "window");
    await runJob(largeRequest(), deps(model, calibration));
    expect(calibration.widening("coder\nplan")).toBe(1.4);
    bytesPerToken = 3.6;
    const outcome = await runJob(largeRequest(), deps(model, calibration));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    const taken = counts[1] ?? 0;
    expect(taken + 1024).toBeGreaterThan(8192);
    expect(taken).toBeLessThanOrEqual(8192);
    expect(calibration.widening("coder\nplan")).toBe(1);
  });
});

describe("fitting a refused prompt again", () => {
  it("takes 70% of the estimate's room when the server does not say the prompt's count", () => {
    const estimated = userMessageBudget(8192, 1024, "system");
    expect(
      refitBudget({ numCtx: 8192, numPredict: 1024, system: "system", sentEstimate: 7000 }),
    ).toBe(Math.floor(estimated * REFIT_SCALE));
  });

  it("takes the room the window leaves at the refused prompt's density, less the margin", () => {
    // Counted 25% over its estimate: the room is the window's at that density.
    const refit = refitBudget({
      numCtx: 8192,
      numPredict: 1024,
      system: "system",
      sentEstimate: 6800,
      counted: 8500,
    });
    const room = (userMessageBudget(8192, 1024, "system") + 2) / (1.25 * 1.1) - 2;
    expect(refit).toBe(Math.floor(room));
    expect(refit).toBeGreaterThan(
      Math.floor(userMessageBudget(8192, 1024, "system") * REFIT_SCALE),
    );
    // Never the refused prompt's own size or more, whatever the count says.
    expect(
      refitBudget({ numCtx: 8192, numPredict: 1024, system: "s", sentEstimate: 3000, counted: 1 }),
    ).toBeLessThan(3000);
  });

  it("reads the count from llama.cpp's and vLLM's errors", () => {
    expect(
      countedPromptTokens(
        '{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":8192}}',
      ),
    ).toBe(9000);
    expect(
      countedPromptTokens(
        "This model's maximum context length is 8192 tokens. However, you requested 11048 tokens (9000 in the messages, 2048 in the completion).",
      ),
    ).toBe(9000);
    expect(countedPromptTokens("the input length exceeds the context length")).toBeUndefined();
  });

  it("sends a refused prompt again at what its count allows, and it fits", async () => {
    // A tokenizer finer than the estimate (2.5 bytes a token) that says its count: the
    // second prompt is fitted to it: longer than a blind 70% of the estimate, inside the window.
    const { model, calls, counts } = countingModel([PLAN], () => 2.5, "reply room", true);
    const outcome = await runJob(largeRequest(), deps(model, new TokenCalibration()));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    expect(calls).toHaveLength(2);
    expect((counts[1] ?? Infinity) + 1024).toBeLessThanOrEqual(8192);
    const blind = countingModel([PLAN], () => 2.5);
    await runJob(largeRequest(), deps(blind.model, new TokenCalibration()));
    const [counted, blindRefit] = [calls[1], blind.calls[1]].map(
      (call) => call?.messages[0]?.content.length ?? 0,
    );
    expect(counted).toBeGreaterThan(blindRefit ?? 0);
  });
});
