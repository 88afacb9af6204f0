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
    expect(() => loadWorkerConfig({ SIGNING_KEY_PREVIOUS: "old-key-0123456789" })).toThrow(
      /SIGNING_KEY_PREVIOUS: is set without SIGNING_KEY/,
    );
    expect(() => loadWorkerConfig({ SIGNING_KEY: "k3y" })).toThrow(
      /SIGNING_KEY: it is 3 characters; use a random secret of at least 16/,
    );
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

  // Each of these once started a worker whose every job failed, or that said nothing.
  it("refuses settings no job could run with, naming what to change", () => {
    expect(() => loadWorkerConfig({ AMQP_URL: "http://rabbit.internal:5672" })).toThrow(
      /AMQP_URL: expected amqp:\/\/user:password@host:port\/vhost or amqps:\/\/\.\.\./,
    );
    expect(() => loadWorkerConfig({ AMQP_URL: "rabbit.internal" })).toThrow(/AMQP_URL/);
    expect(loadWorkerConfig({ AMQP_URL: "amqp://a:5672, amqps://b:5671" }).amqpUrl).toBe(
      "amqp://a:5672, amqps://b:5671",
    );
    // Node fires a timer over 2^31-1 ms at once: "no limit" became "1 ms".
    expect(() => loadWorkerConfig({ FIRST_TOKEN_TIMEOUT_MS: "3000000000" })).toThrow(
      /FIRST_TOKEN_TIMEOUT_MS: expected at most 2147483647, got 3000000000/,
    );
    expect(loadWorkerConfig({ FIRST_TOKEN_TIMEOUT_MS: "2147483647" }).llm.firstTokenTimeoutMs).toBe(
      2147483647,
    );
    // The answer's room taken out of the window leaves none for the prompt.
    expect(() => loadWorkerConfig({ NUM_CTX: "8192", NUM_PREDICT: "8192" })).toThrow(
      /NUM_PREDICT: 8192 leaves 0 of NUM_CTX \(8192\) for the prompt, .*lower NUM_PREDICT or raise NUM_CTX/,
    );
    expect(loadWorkerConfig({ NUM_CTX: "512", NUM_PREDICT: "128" }).llm.numPredict).toBe(128);
  });

  it("never prints a broker password", () => {
    expect(redactUrl("amqp://user:s3cret@rabbit:5672/vhost")).toBe(
      "amqp://user:***@rabbit:5672/vhost",
    );
  });
});
