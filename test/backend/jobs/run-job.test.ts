/**
 * runJob on its own, against a fake model backend that answers from a script: every way a
 * job ends, without RabbitMQ.
 */
import { describe, expect, it } from "@jest/globals";
import { loadWorkerConfig } from "../../../backend/config.js";
import { runJob, type JobDeps } from "../../../backend/jobs/run-job.js";
import type { GenerateRequest, GenerateResult, LlmBackend } from "../../../backend/llm/backend.js";
import { LlmError } from "../../../backend/llm/errors.js";
import { createLogger } from "../../../backend/logger.js";
import { createMetrics } from "../../../backend/ops/metrics.js";
import type { ProgressReply } from "../../../protocol/index.js";
import { sampleCodeRequest, samplePlan, samplePlanRequest } from "../../support/fixtures.js";
import { ScriptedModel } from "../../support/scripted-model.js";

function deps(model: LlmBackend, env: Record<string, string> = {}, signal?: AbortSignal) {
  const progress: ProgressReply[] = [];
  const config = loadWorkerConfig({
    MODEL: "coder",
    NUM_CTX: "8192",
    NUM_PREDICT: "1024",
    RETRY_BASE_MS: "1",
    LLM_MAX_ATTEMPTS: "3",
    PROGRESS_INTERVAL_MS: "0",
    ...env,
  });
  const jobDeps: JobDeps = {
    config,
    llm: model,
    logger: createLogger("silent"),
    metrics: createMetrics({ defaultMetrics: false }),
    progress: (reply) => progress.push(reply),
    signal: signal ?? new AbortController().signal,
  };
  return { jobDeps, progress };
}

const PLAN = JSON.stringify(samplePlan());

describe("runJob", () => {
  it("answers a plan request with the model's plan, its usage and progress on the way", async () => {
    const model = new ScriptedModel([PLAN]);
    const { jobDeps, progress } = deps(model);
    const outcome = await runJob(samplePlanRequest(), jobDeps);
    expect(outcome.deadLetter).toBe(false);
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan", plan: samplePlan() });
    expect(outcome.reply.type === "result" && outcome.reply.usage).toMatchObject({
      model: "coder",
      promptTokens: 100,
      evalTokens: 20,
      attempts: 1,
    });
    expect(progress.map((p) => p.stage)).toEqual(["generating", "generating"]);
    expect(model.calls[0]?.numCtx).toBe(8192);
    expect(model.calls[0]?.jsonSchema).toHaveProperty("properties.steps");
  });

  it("gives the model one correction round, showing what was wrong", async () => {
    const model = new ScriptedModel(['{"summary": "no steps"}', PLAN]);
    const outcome = await runJob(samplePlanRequest(), deps(model).jobDeps);
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    expect(outcome.reply.type === "result" && outcome.reply.usage.attempts).toBe(2);
    const second = model.calls[1]?.messages ?? [];
    expect(second.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(second[2]?.content).toMatch(/cannot be used: .*steps/);
  });

  it("answers invalid_model_output, retryable, after two unusable replies", async () => {
    const model = new ScriptedModel(["not json", "still not json"]);
    const outcome = await runJob(samplePlanRequest(), deps(model).jobDeps);
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "invalid_model_output",
      retryable: true,
    });
    expect(model.calls).toHaveLength(2);
  });

  it("names NUM_PREDICT to the operator, never to the model, when both replies hit the limit", async () => {
    class CutModel extends ScriptedModel {
      override async generate(request: GenerateRequest): Promise<GenerateResult> {
        return { ...(await super.generate(request)), doneReason: "length" };
      }
    }
    const model = new CutModel(['{"summary": "cut', '{"summary": "cut again']);
    const outcome = await runJob(samplePlanRequest(), deps(model).jobDeps);
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "invalid_model_output",
      message: expect.stringMatching(
        /hit the \d+-token limit\); raise NUM_PREDICT if the model needs longer replies$/,
      ),
    });
    expect(JSON.stringify(model.calls[1]?.messages)).toContain("token limit");
    expect(JSON.stringify(model.calls[1]?.messages)).not.toContain("NUM_PREDICT");
  });

  it("retries a model server that is down, then answers", async () => {
    const down = new LlmError("unavailable", "connection refused");
    const model = new ScriptedModel([down, down, PLAN]);
    const { jobDeps, progress } = deps(model);
    const outcome = await runJob(samplePlanRequest(), jobDeps);
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    expect(progress.filter((p) => p.stage === "retrying")).toHaveLength(2);
  });

  it("gives up after the attempts allowed: model_unavailable, dead-lettered", async () => {
    const down = new LlmError("unavailable", "503");
    const model = new ScriptedModel([down, down, down, PLAN]);
    const outcome = await runJob(samplePlanRequest(), deps(model).jobDeps);
    expect(outcome).toMatchObject({
      deadLetter: true,
      reply: { type: "error", code: "model_unavailable", retryable: true },
    });
    expect(model.calls).toHaveLength(3);
  });

  it("returns the job to the queue when the worker is stopped between two attempts", async () => {
    // A scale-down landing in the pause before the second attempt: not an answer (the
    // next worker computes it), neither model_unavailable nor dead-lettered.
    const model = new ScriptedModel([new LlmError("unavailable", "503"), PLAN]);
    const shutdown = new AbortController();
    const job = runJob(
      samplePlanRequest({ deadline: Date.now() + 60_000 }),
      deps(model, { RETRY_BASE_MS: "4000" }, shutdown.signal).jobDeps,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    shutdown.abort(new Error("shutdown"));
    await expect(job).rejects.toThrow(/stopped while waiting to ask the model again/);
    expect(model.calls).toHaveLength(1);
  });

  it("does not retry what cannot get better: a missing model", async () => {
    const model = new ScriptedModel([new LlmError("model_not_found", "no model coder")]);
    const outcome = await runJob(samplePlanRequest(), deps(model).jobDeps);
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "model_not_found",
      retryable: false,
    });
    expect(model.calls).toHaveLength(1);
  });

  it("refuses, without calling the model, a request whose fixed part does not fit the window", async () => {
    const model = new ScriptedModel([PLAN]);
    const request = samplePlanRequest();
    // The maintainer's guidance is never cut: 10,000 characters cannot fit 2,048 tokens.
    request.guidance = "word ".repeat(2_000);
    const outcome = await runJob(request, deps(model, { NUM_CTX: "2048" }).jobDeps);
    expect(outcome.reply).toMatchObject({ type: "error", code: "context_overflow" });
    expect(model.calls).toHaveLength(0);
  });

  it("plans an issue longer than the window from its beginning and end, and says what was cut", async () => {
    const model = new ScriptedModel([PLAN]);
    const request = samplePlanRequest();
    const lines = Array.from({ length: 4_000 }, (_, i) => `log line ${i} of the pasted output`);
    request.issue.body = [
      "The parser crashes on empty input.",
      ...lines,
      "Expected: no crash.",
    ].join("\n");
    const outcome = await runJob(request, deps(model, { NUM_CTX: "4096" }).jobDeps);
    expect(outcome.reply).toMatchObject({ type: "result" });
    const prompt = model.calls[0]?.messages[0]?.content ?? "";
    expect(prompt).toContain("The parser crashes on empty input.");
    expect(prompt).toContain("Expected: no crash.");
    expect(prompt).not.toContain("log line 2000 of");
    expect(prompt).toMatch(/\[… \d+ characters of the issue's middle left out/);
    expect(outcome.reply.type === "result" && outcome.reply.trimmed[0]).toMatchObject({
      path: `issue #${request.issue.number}`,
      reason: expect.stringMatching(/^\d+ characters of the body's middle left out/),
    });
  });

  /** A plan request whose best file is far over a 4k window, one line naming the issue's words. */
  function requestWithLargeFile() {
    const request = samplePlanRequest();
    const code = Array.from({ length: 3_000 }, (_, i) => `    a[${i}] = b[${i}] + 1;`);
    code[1_500] = "void parse_trailing_comma(tokens) {";
    request.issue.body = "parse_trailing_comma rejects `f(a, b,)`";
    request.context.files.unshift({
      path: "src/grammar.c",
      score: 9,
      reasons: [],
      excerpts: [{ startLine: 1, endLine: 3_000, text: code.join("\n") }],
    });
    return request;
  }
  const tooLong = () =>
    new LlmError("context_overflow", "the input length exceeds the context length");

  it("fits the prompt into less and asks once more when the model server finds it over its window", async () => {
    const model = new ScriptedModel([tooLong(), PLAN]);
    const outcome = await runJob(requestWithLargeFile(), deps(model, { NUM_CTX: "4096" }).jobDeps);
    expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
    // Both calls are the request's cost.
    expect(outcome.reply.type === "result" && outcome.reply.usage.attempts).toBe(2);
    expect(model.calls).toHaveLength(2);
    const [first, second] = model.calls.map((call) => call.messages[0]?.content ?? "");
    expect(second?.length).toBeLessThan(0.8 * (first?.length ?? 0));
    expect(second).toContain("void parse_trailing_comma(tokens) {");
  });

  it("answers context_overflow after the second fit is over the window too, and asks no third time", async () => {
    const model = new ScriptedModel([tooLong(), tooLong(), PLAN]);
    const outcome = await runJob(requestWithLargeFile(), deps(model, { NUM_CTX: "4096" }).jobDeps);
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "context_overflow",
      retryable: false,
      message: expect.stringMatching(
        /exceeds the context length .*70% of the estimated room; raise NUM_CTX/,
      ),
    });
    expect(model.calls).toHaveLength(2);
  });

  it("does not ask again when the smaller fit would send the same prompt", async () => {
    const model = new ScriptedModel([tooLong(), PLAN]);
    // Everything fits in 70% of the window already: nothing to cut.
    const outcome = await runJob(samplePlanRequest(), deps(model).jobDeps);
    expect(outcome.reply).toMatchObject({
      type: "error",
      code: "context_overflow",
      message: expect.stringMatching(/nothing more of the prompt could be cut; raise NUM_CTX/),
    });
    expect(model.calls).toHaveLength(1);
  });

  it("does not fit again for an overflow in the correction round", async () => {
    const model = new ScriptedModel(["not json", tooLong(), PLAN, PLAN]);
    const outcome = await runJob(requestWithLargeFile(), deps(model, { NUM_CTX: "4096" }).jobDeps);
    expect(outcome.reply).toMatchObject({ type: "error", code: "context_overflow" });
    expect(model.calls).toHaveLength(2);
  });

  it("treats a prompt the server counted at the whole window as cut: fits it into less, once", async () => {
    const model = new ScriptedModel([PLAN, PLAN]);
    let calls = 0;
    const counting: LlmBackend = {
      kind: "ollama",
      generate: async (request) => {
        const result = await model.generate(request);
        calls++;
        return calls === 1 ? { ...result, promptTokens: 4096 } : result;
      },
      checkReady: () => model.checkReady(),
      close: () => model.close(),
    };
    const outcome = await runJob(
      requestWithLargeFile(),
      deps(counting, { NUM_CTX: "4096" }).jobDeps,
    );
    expect(outcome.reply).toMatchObject({ type: "result" });
    // The cut prompt's tokens are counted in the usage too.
    expect(outcome.reply.type === "result" && outcome.reply.usage.promptTokens).toBe(4196);
    expect(calls).toBe(2);
  });

  it("answers deadline_exceeded when the deadline passes mid-generation", async () => {
    const model = new ScriptedModel([
      (request) =>
        new Promise((_resolve, reject) =>
          request.signal.addEventListener("abort", () =>
            reject(new LlmError("aborted", "aborted")),
          ),
        ),
    ]);
    const request = samplePlanRequest({ deadline: Date.now() + 200 });
    const outcome = await runJob(request, deps(model).jobDeps);
    expect(outcome.reply).toMatchObject({ type: "error", code: "deadline_exceeded" });
  });

  it("throws on shutdown, so that the delivery goes back to the queue unanswered", async () => {
    const shutdown = new AbortController();
    const model = new ScriptedModel([
      (request) =>
        new Promise((_resolve, reject) => {
          request.signal.addEventListener("abort", () =>
            reject(new LlmError("aborted", "aborted")),
          );
          shutdown.abort(new Error("shutdown"));
        }),
    ]);
    await expect(
      runJob(samplePlanRequest(), deps(model, {}, shutdown.signal).jobDeps),
    ).rejects.toThrow(/aborted/);
  });

  it("answers a code request with edits validated against the edit schema", async () => {
    const edits = {
      summary: "fix",
      edits: [{ path: "src/a.py", change: "modify", hunks: [{ search: "a", replace: "b" }] }],
    };
    const model = new ScriptedModel([JSON.stringify(edits)]);
    const outcome = await runJob(sampleCodeRequest(), deps(model).jobDeps);
    expect(outcome.reply).toMatchObject({ type: "result", kind: "code", edits });
    expect(model.calls[0]?.jsonSchema).toHaveProperty("properties.edits");
  });
});
