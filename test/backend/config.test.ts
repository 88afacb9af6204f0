import { loadWorkerConfig } from "../../backend/config.js";
import { redactUrl } from "../../protocol/index.js";

describe("worker configuration", () => {
  it("has working defaults", () => {
    const config = loadWorkerConfig({});
    expect(config).toMatchObject({
      requestQueue: "ai-agent.plan",
      deliveryLimit: 3,
      concurrency: 1,
      llm: { backend: "ollama", numCtx: 8192, streamIdleTimeoutMs: 60_000 },
    });
  });

  it("names each invalid variable and what it expects", () => {
    expect(() => loadWorkerConfig({ CONCURRENCY: "abc", NUM_CTX: "100" })).toThrow(
      /CONCURRENCY: expected a whole number, got 'abc'.*NUM_CTX: expected at least 512/,
    );
    expect(() => loadWorkerConfig({ LLM_BACKEND: "embedded" })).toThrow(/MODEL_FILE/);
    expect(() => loadWorkerConfig({ OLLAMA_HOST: "not a url" })).toThrow(/OLLAMA_HOST/);
    expect(() => loadWorkerConfig({ STREAM_IDLE_TIMEOUT_MS: "50" })).toThrow(
      /STREAM_IDLE_TIMEOUT_MS: expected at least 100, got 50/,
    );
    // A stall must be cut while the job still has time to retry it.
    expect(() =>
      loadWorkerConfig({ STREAM_IDLE_TIMEOUT_MS: "60000", JOB_TIMEOUT_MS: "30000" }),
    ).toThrow(/STREAM_IDLE_TIMEOUT_MS: must be below JOB_TIMEOUT_MS \(30000\), got 60000/);
    // Unset, it stays under a short job timeout by itself.
    expect(loadWorkerConfig({ JOB_TIMEOUT_MS: "1000" }).llm.streamIdleTimeoutMs).toBe(500);
  });

  it("never prints a broker password", () => {
    expect(redactUrl("amqp://user:s3cret@rabbit:5672/vhost")).toBe(
      "amqp://user:***@rabbit:5672/vhost",
    );
  });
});
