/**
 * The worker against the real RabbitMQ and the Ollama-compatible test server: requests
 * published the way the Action publishes them, bad input, deadlines, model faults.
 */
import { randomUUID } from "node:crypto";
import type { ChannelModel } from "amqplib";
import { WorkClient } from "../../action/transport/work-client.js";
import {
  type ProgressReply,
  signBody,
  deadLetterQueueFor,
  requestQueueArguments,
  REPLY_QUEUE_PREFIX,
} from "../../protocol/index.js";
import {
  AMQP_URL,
  deleteQueues,
  drainQueue,
  forceCloseConnections,
  openTestConnection,
  queueDepth,
  uniqueQueueName,
  waitFor,
} from "../support/broker/rabbitmq.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";
import { startOllamaTestServer, type OllamaTestServer } from "../support/ollama/server.js";
import {
  metricValue,
  startInProcessWorker,
  type InProcessWorker,
} from "../support/worker-harness.js";

let ollama: OllamaTestServer;
let connection: ChannelModel;

beforeAll(async () => {
  ollama = await startOllamaTestServer({ mode: "scripted", script: [] });
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection.close();
  await ollama.close();
});

afterEach(() => {
  // Every request the worker made must be one the real Ollama API accepts.
  expect(ollama.violations.filter((v) => v.direction !== "script")).toEqual([]);
  ollama.clearRecords();
});

async function withWorker(
  env: Record<string, string>,
  body: (worker: InProcessWorker, client: WorkClient) => Promise<void>,
): Promise<void> {
  const worker = await startInProcessWorker({
    OLLAMA_HOST: ollama.url,
    MODEL: ollama.model,
    ...env,
  });
  const client = await WorkClient.connect({
    amqpUrl: AMQP_URL,
    requestQueue: worker.config.requestQueue,
    signingKey: env.SIGNING_KEY,
  });
  try {
    await body(worker, client);
  } finally {
    await client.close();
    await worker.stop();
    await deleteQueues(connection, [
      worker.config.requestQueue,
      deadLetterQueueFor(worker.config.requestQueue),
    ]);
  }
}

describe("worker over RabbitMQ", () => {
  it("answers a request with progress and exactly one result holding the model's plan", async () => {
    const plan = samplePlan();
    ollama.setScript([{ content: JSON.stringify(plan), delayBetweenChunksMs: 1 }]);
    await withWorker({}, async (worker, client) => {
      const progress: ProgressReply[] = [];
      const reply = await client.submit(samplePlanRequest(), {
        onProgress: (p) => progress.push(p),
      });
      expect(reply.type).toBe("result");
      expect(reply.type === "result" && reply.kind === "plan" && reply.plan).toEqual(plan);
      expect(reply.type === "result" && reply.usage).toMatchObject({
        model: ollama.model,
        attempts: 1,
      });
      expect(reply.type === "result" && reply.usage.evalTokens).toBeGreaterThan(0);
      expect(progress.map((p) => p.stage)).toContain("accepted");
      expect(progress.some((p) => p.stage === "generating")).toBe(true);

      // What the worker sent to the model: streamed, schema-constrained, sized, no silent
      // truncation. NUM_CTX is 8192, but the served model's own context (its GGUF's) is
      // 4096, which Ollama would run it at: the worker fits the prompt to that.
      const [chat] = ollama.requestsTo("/api/chat");
      expect(chat?.body).toMatchObject({
        stream: true,
        truncate: false,
        keep_alive: "30m",
        options: { num_ctx: 4096, num_predict: 2048 },
        format: { type: "object" },
      });
      // The worker counts and acks just after the reply is confirmed, so wait for it.
      await waitFor(
        async () =>
          (await metricValue(worker.metrics, "issue_agent_jobs_total", {
            type: "plan",
            outcome: "result",
          })) === 1,
        5000,
        "the result to be counted",
      );
      await waitFor(
        async () => (await queueDepth(connection, worker.config.requestQueue)) === 0,
        5000,
        "the ack",
      );
    });
  });

  // With KEDA scaling from zero the Action declares the queue first, with the default
  // delivery limit; a worker set to another one was refused (406) at every connection and
  // never consumed.
  it("consumes from a request queue declared before it with another delivery limit", async () => {
    const queue = uniqueQueueName("declared-first");
    const setup = await connection.createChannel();
    await setup.assertQueue(queue, { durable: true, arguments: requestQueueArguments(queue, 3) });
    await setup.close();
    const plan = samplePlan();
    ollama.setScript([{ content: JSON.stringify(plan) }]);
    const worker = await startInProcessWorker(
      { OLLAMA_HOST: ollama.url, MODEL: ollama.model, DELIVERY_LIMIT: "5" },
      queue,
    );
    const client = await WorkClient.connect({ amqpUrl: AMQP_URL, requestQueue: queue });
    try {
      const reply = await client.submit(samplePlanRequest());
      expect(reply.type === "result" && reply.kind === "plan" && reply.plan).toEqual(plan);
      expect(
        worker.logs.some((l) =>
          String(l.msg).startsWith("the request queue exists with other arguments"),
        ),
      ).toBe(true);
    } finally {
      await client.close();
      await worker.stop();
      await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
    }
  });

  it("gets a schema-valid plan from the real tiny model", async () => {
    ollama.setMode("real");
    try {
      // Greedy decoding (temperature 0) makes the random model's answer the same on every
      // run: gibberish, but the grammar keeps it schema-valid, so a plan is expected. Its
      // plans run to about 3,000 tokens, and which length comes out changes with any
      // change to the prompt: the limit leaves room so that a prompt change cannot fail it.
      const env = { NUM_CTX: "8192", NUM_PREDICT: "6144", TEMPERATURE: "0" };
      await withWorker(env, async (_worker, client) => {
        const reply = await client.submit(samplePlanRequest());
        expect(reply.type === "error" ? `${reply.code}: ${reply.message}` : reply.type).toBe(
          "result",
        );
        expect(
          reply.type === "result" && reply.kind === "plan" && reply.plan.steps.length,
        ).toBeGreaterThan(0);
        expect(ollama.requestsTo("/api/chat").length).toBeGreaterThan(0);
      });
    } finally {
      ollama.setScript([]);
    }
  }, 120_000);

  it("sends every kind of bad input to the dead-letter queue and keeps serving", async () => {
    const KEY3 = "k3y-0123456789abcdef";
    ollama.setScript([{ content: JSON.stringify(samplePlan()) }]);
    await withWorker({ SIGNING_KEY: KEY3 }, async (worker, client) => {
      const queue = worker.config.requestQueue;
      const channel = await connection.createConfirmChannel();
      const replyQueue = `${REPLY_QUEUE_PREFIX}test-${Date.now()}`;
      await channel.assertQueue(replyQueue, {
        durable: false,
        autoDelete: false,
        arguments: { "x-expires": 60_000 },
      });
      const send = (
        body: Buffer,
        headers: Record<string, unknown>,
        props: Record<string, unknown> = {},
      ) =>
        new Promise<void>((resolve, reject) =>
          channel.sendToQueue(
            queue,
            body,
            { headers, replyTo: replyQueue, correlationId: "bad-1", ...props },
            (e: unknown) =>
              e ? reject(e instanceof Error ? e : new Error(JSON.stringify(e))) : resolve(),
          ),
        );
      const valid = Buffer.from(JSON.stringify(samplePlanRequest()));
      await send(Buffer.from("{not json"), { "x-signature": signBody("{not json", KEY3) });
      await send(Buffer.from('{"type":"plan"}'), {
        "x-signature": signBody('{"type":"plan"}', KEY3),
      });
      await send(valid, {}); // unsigned
      await send(valid, { "x-signature": signBody(valid, "wrong") });
      // Signed an hour ahead of the worker's clock (a forged time, or clocks far apart).
      await send(valid, { "x-signature": signBody(valid, KEY3, Date.now() + 60 * 60_000) });
      const huge = Buffer.alloc(3 * 1024 * 1024, 0x20);
      await send(huge, { "x-signature": signBody(huge, KEY3) });
      await send(valid, { "x-signature": signBody(valid, KEY3) }, { replyTo: "ai-agent.plan" }); // reply into another queue
      const dead = deadLetterQueueFor(queue);
      await waitFor(
        async () => (await queueDepth(connection, dead)) === 7,
        10_000,
        "7 dead-lettered messages",
      );
      const rejections = (await drainQueue(connection, replyQueue)).map(
        (m) => JSON.parse(m.content) as { code: string; message: string },
      );
      expect(rejections.map((r) => r.code)).toEqual(Array(6).fill("invalid_request"));
      expect(rejections.map((r) => r.message).join("\n")).toMatch(
        /not valid JSON[\s\S]*does not match protocol[\s\S]*missing x-signature[\s\S]*signature does not match[\s\S]*replayed[\s\S]*byte limit/,
      );
      expect(await metricValue(worker.metrics, "issue_agent_dead_lettered_total")).toBe(7);
      await channel.deleteQueue(replyQueue);
      await channel.close();

      // Still serving, and no model call was made for any of the bad ones.
      expect(ollama.requestsTo("/api/chat")).toHaveLength(0);
      const reply = await client.submit(samplePlanRequest());
      expect(reply.type).toBe("result");
    });
  });

  it("does not compute a request whose deadline has passed", async () => {
    await withWorker({}, async (worker) => {
      const channel = await connection.createConfirmChannel();
      const replyQueue = `${REPLY_QUEUE_PREFIX}late-${Date.now()}`;
      await channel.assertQueue(replyQueue, { arguments: { "x-expires": 60_000 } });
      const request = samplePlanRequest({ deadline: Date.now() - 1000 });
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(
          worker.config.requestQueue,
          Buffer.from(JSON.stringify(request)),
          { replyTo: replyQueue, correlationId: request.requestId },
          (e: unknown) =>
            e ? reject(e instanceof Error ? e : new Error(JSON.stringify(e))) : resolve(),
        ),
      );
      await waitFor(
        async () => (await queueDepth(connection, replyQueue)) === 1,
        10_000,
        "the deadline reply",
      );
      const [reply] = await drainQueue(connection, replyQueue);
      expect(JSON.parse(reply?.content ?? "{}")).toMatchObject({
        type: "error",
        code: "deadline_exceeded",
      });
      expect(ollama.requestsTo("/api/chat")).toHaveLength(0);
      await channel.deleteQueue(replyQueue);
      await channel.close();
    });
  });

  it("lets RabbitMQ expire a request nobody picked up before its deadline", async () => {
    await withWorker({}, async (worker, client) => {
      await worker.stop();
      const submitted = client.submit(samplePlanRequest({ deadline: Date.now() + 300 }));
      await expect(submitted).rejects.toThrow(/before the deadline/);
      // Quorum queues drop an expired message when it reaches the head: a worker that
      // starts now never receives it.
      const late = await startInProcessWorker(
        { OLLAMA_HOST: ollama.url, MODEL: ollama.model },
        worker.config.requestQueue,
      );
      await waitFor(
        async () => (await queueDepth(connection, worker.config.requestQueue)) === 0,
        5000,
        "the expired request to be dropped",
      );
      await new Promise((r) => setTimeout(r, 200));
      await late.stop();
      expect(ollama.requestsTo("/api/chat")).toHaveLength(0);
      expect(late.logs.some((l) => l.msg === "job started")).toBe(false);
    });
  });

  it("retries a failing model server, then answers", async () => {
    ollama.setScript([
      { fault: { type: "http-error", status: 503 } },
      { fault: { type: "cut", afterChunks: 2 }, content: JSON.stringify(samplePlan()) },
      { content: JSON.stringify(samplePlan()) },
    ]);
    await withWorker({ LLM_MAX_ATTEMPTS: "3" }, async (worker, client) => {
      const reply = await client.submit(samplePlanRequest());
      expect(reply.type).toBe("result");
      expect(ollama.requestsTo("/api/chat")).toHaveLength(3);
      expect(await metricValue(worker.metrics, "issue_agent_llm_retries_total")).toBe(2);
    });
  });

  it("gives up after the bounded retries with a retryable error and dead-letters the request", async () => {
    ollama.setScript(() => ({ fault: { type: "http-error", status: 503 } }));
    await withWorker({ LLM_MAX_ATTEMPTS: "2" }, async (worker, client) => {
      const reply = await client.submit(samplePlanRequest());
      expect(reply).toMatchObject({ type: "error", code: "model_unavailable", retryable: true });
      await waitFor(
        async () =>
          (await queueDepth(connection, deadLetterQueueFor(worker.config.requestQueue))) === 1,
        5000,
        "dead letter",
      );
      expect(ollama.requestsTo("/api/chat")).toHaveLength(2);
    });
  });

  it("names a missing model and how to pull it", async () => {
    await withWorker({ MODEL: "qwen2.5-coder:7b" }, async (_worker, client) => {
      const reply = await client.submit(samplePlanRequest());
      expect(reply).toMatchObject({ type: "error", code: "model_not_found", retryable: false });
      expect(reply.type === "error" && reply.message).toMatch(/ollama pull qwen2\.5-coder:7b/);
    });
  });

  it("asks the model once more when its output is not a valid plan", async () => {
    ollama.setScript([
      { content: '{"summary": "half a plan"}' },
      { content: JSON.stringify(samplePlan()) },
    ]);
    await withWorker({}, async (_worker, client) => {
      const reply = await client.submit(samplePlanRequest());
      expect(reply.type === "result" && reply.usage.attempts).toBe(2);
      const second = ollama.requestsTo("/api/chat")[1]?.body as {
        messages: { role: string; content: string }[];
      };
      expect(second.messages.at(-1)?.content).toMatch(/cannot be used: .*steps/);
    });
  });

  it("reports invalid output after the one retry", async () => {
    ollama.setScript([{ content: "not json" }, { content: "still not json" }]);
    await withWorker({}, async (_worker, client) => {
      const reply = await client.submit(samplePlanRequest());
      expect(reply).toMatchObject({ type: "error", code: "invalid_model_output" });
    });
  });

  it("fits the context to num_ctx, shortening what does not fit whole, and says what it cut", async () => {
    ollama.setScript([{ content: JSON.stringify(samplePlan()) }]);
    await withWorker({ NUM_CTX: "2048", NUM_PREDICT: "256" }, async (_worker, client) => {
      const request = samplePlanRequest();
      request.context.files.push({
        path: "src/big.py",
        score: 0.5,
        reasons: ["keyword"],
        excerpts: [
          {
            startLine: 1,
            endLine: 800,
            text: Array.from({ length: 800 }, (_, i) => `total_${i} = compute(items, rate)`).join(
              "\n",
            ),
          },
        ],
      });
      const reply = await client.submit(request);
      expect(reply).toMatchObject({ type: "result" });
      expect(reply.type === "result" && reply.trimmed).toEqual([
        {
          path: "src/big.py",
          reason: expect.stringMatching(/^shown in part by the worker .*lines 1-\d+\)$/),
        },
      ]);
      const chat = ollama.requestsTo("/api/chat")[0]?.body as { messages: { content: string }[] };
      const prompt = chat.messages.map((m) => m.content).join("\n");
      expect(Math.ceil(Buffer.byteLength(prompt) / 3)).toBeLessThanOrEqual(2048 - 256);
      expect(prompt).toContain("### src/big.py");
      expect(prompt).toContain("### src/parser.py");
    });
  });

  it("fits the prompt into less and asks again when the model's tokenizer finds it over num_ctx", async () => {
    ollama.setScript([
      { content: JSON.stringify(samplePlan()) },
      { content: JSON.stringify(samplePlan()) },
    ]);
    await withWorker({ NUM_CTX: "2048", NUM_PREDICT: "256" }, async (_worker, client) => {
      const request = samplePlanRequest();
      // Dense code: more tokens per byte than the worker's estimate of three bytes a token.
      const lines = Array.from({ length: 800 }, (_, i) => `y = ${i % 10}`);
      lines[400] = "int parse_args(int *tokens) {";
      request.issue.body = "parse_args rejects a trailing comma: `f(a, b,)`.";
      request.context.files.unshift({
        path: "src/args.c",
        score: 9,
        reasons: ["defines parse_args"],
        excerpts: [{ startLine: 1, endLine: 800, text: lines.join("\n") }],
      });
      const reply = await client.submit(request);
      expect(reply).toMatchObject({ type: "result" });
      const chats = ollama.requestsTo("/api/chat");
      expect(chats).toHaveLength(2);
      const prompt = (chats[1]?.body as { messages: { content: string }[] }).messages
        .map((m) => m.content)
        .join("\n");
      expect(prompt).toContain("int parse_args(int *tokens) {");
    });
  });

  it("refuses, without calling the model, an issue that cannot fit the window at all", async () => {
    await withWorker({ NUM_CTX: "512", NUM_PREDICT: "128" }, async (_worker, client) => {
      const request = samplePlanRequest();
      request.issue.body = "word ".repeat(5000);
      const reply = await client.submit(request);
      expect(reply).toMatchObject({ type: "error", code: "context_overflow", retryable: false });
      expect(ollama.requestsTo("/api/chat")).toHaveLength(0);
    });
  });

  it("computes a request once when it is delivered twice, answering the duplicate with the stored reply", async () => {
    ollama.setScript([
      { content: JSON.stringify(samplePlan()) },
      { content: JSON.stringify(samplePlan()) },
    ]);
    await withWorker({}, async (worker) => {
      const channel = await connection.createConfirmChannel();
      const replyQueue = `${REPLY_QUEUE_PREFIX}dup-${Date.now()}`;
      await channel.assertQueue(replyQueue, { arguments: { "x-expires": 60_000 } });
      const request = samplePlanRequest();
      for (let i = 0; i < 2; i++) {
        await new Promise<void>((resolve, reject) =>
          channel.sendToQueue(
            worker.config.requestQueue,
            Buffer.from(JSON.stringify(request)),
            { replyTo: replyQueue, correlationId: request.requestId },
            (e: unknown) =>
              e ? reject(e instanceof Error ? e : new Error(JSON.stringify(e))) : resolve(),
          ),
        );
      }
      await waitFor(
        async () =>
          (await metricValue(worker.metrics, "issue_agent_jobs_total", {
            outcome: "duplicate",
          })) === 1,
        10_000,
        "the duplicate",
      );
      const terminal = (await drainQueue(connection, replyQueue))
        .map((m) => JSON.parse(m.content) as { type: string })
        .filter((m) => m.type !== "progress");
      // The duplicate gets the stored reply again (the first may be what was lost), never
      // a second computation; the requester keeps the first it reads.
      expect(terminal).toHaveLength(2);
      expect(terminal[1]).toEqual(terminal[0]);
      expect(ollama.requestsTo("/api/chat")).toHaveLength(1);
      await channel.deleteQueue(replyQueue);
      await channel.close();
    });
  });

  it("sends its result again while the reply queue refuses it, instead of using up the request's deliveries", async () => {
    ollama.setScript([
      { content: JSON.stringify(samplePlan()) },
      { content: JSON.stringify(samplePlan()) },
    ]);
    await withWorker({}, async (worker) => {
      const channel = await connection.createConfirmChannel();
      const replyQueue = `${REPLY_QUEUE_PREFIX}refusing-${Date.now()}`;
      // Full and refusing publishes (nack), as a replicated reply queue does while its
      // leader's node is down and a new one is elected.
      await channel.assertQueue(replyQueue, {
        arguments: { "x-expires": 60_000, "x-max-length": 1, "x-overflow": "reject-publish" },
      });
      const publish = (queue: string, body: Buffer, props: object = {}) =>
        new Promise<void>((resolve, reject) =>
          channel.sendToQueue(queue, body, props, (e: unknown) =>
            e ? reject(e instanceof Error ? e : new Error(JSON.stringify(e))) : resolve(),
          ),
        );
      await publish(replyQueue, Buffer.from("filler"));
      const request = samplePlanRequest();
      await publish(worker.config.requestQueue, Buffer.from(JSON.stringify(request)), {
        replyTo: replyQueue,
        correlationId: request.requestId,
      });
      await waitFor(() => ollama.requestsTo("/api/chat").length === 1, 10_000, "the model call");
      // Refused for a while: several attempts go by.
      await new Promise((r) => setTimeout(r, 1500));
      const filler = await channel.get(replyQueue, { noAck: true });
      expect(filler && filler.content.toString()).toBe("filler");
      await waitFor(
        async () => (await queueDepth(connection, replyQueue)) === 1,
        10_000,
        "the reply",
      );
      const [reply] = (await drainQueue(connection, replyQueue)).map(
        (m) => JSON.parse(m.content) as { type: string; requestId: string },
      );
      expect(reply).toMatchObject({ type: "result", requestId: request.requestId });
      expect(ollama.requestsTo("/api/chat")).toHaveLength(1);
      expect(await queueDepth(connection, deadLetterQueueFor(worker.config.requestQueue))).toBe(0);
      await channel.deleteQueue(replyQueue);
      await channel.close();
    });
  });

  it("computes a request once when its duplicate arrives while it is being computed", async () => {
    // Room for both deliveries at once; the first computation is still running when the
    // second delivery arrives (a redelivery after a broker restart, or a request asked
    // again). Only one model call is scripted: a second computation would find none.
    ollama.setScript([{ content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 1000 }]);
    await withWorker({ CONCURRENCY: "2" }, async (worker) => {
      const channel = await connection.createConfirmChannel();
      const replyQueue = `${REPLY_QUEUE_PREFIX}dup-running-${Date.now()}`;
      await channel.assertQueue(replyQueue, { arguments: { "x-expires": 60_000 } });
      const request = samplePlanRequest();
      const publish = () =>
        new Promise<void>((resolve, reject) =>
          channel.sendToQueue(
            worker.config.requestQueue,
            Buffer.from(JSON.stringify(request)),
            { replyTo: replyQueue, correlationId: request.requestId },
            (e: unknown) =>
              e ? reject(e instanceof Error ? e : new Error(JSON.stringify(e))) : resolve(),
          ),
        );
      await publish();
      await waitFor(() => ollama.requestsTo("/api/chat").length === 1, 10_000, "first call");
      await publish();
      await waitFor(
        async () =>
          (await metricValue(worker.metrics, "issue_agent_jobs_total", {
            outcome: "duplicate",
          })) === 1,
        10_000,
        "the duplicate",
      );
      const terminal = (await drainQueue(connection, replyQueue))
        .map((m) => JSON.parse(m.content) as { type: string })
        .filter((m) => m.type !== "progress");
      expect(terminal).toHaveLength(2);
      expect(terminal[1]).toEqual(terminal[0]);
      expect(terminal[0]).toMatchObject({ type: "result" });
      expect(ollama.requestsTo("/api/chat")).toHaveLength(1);
      await channel.deleteQueue(replyQueue);
      await channel.close();
    });
  });

  it("recovers a reply sent while the client's reply queue was gone: asked again after a reconnect, answered from memory", async () => {
    ollama.setScript([{ content: JSON.stringify(samplePlan()), delayBeforeFirstTokenMs: 500 }]);
    await withWorker({}, async (worker) => {
      const connectionName = `test-action-${randomUUID().slice(0, 8)}`;
      const log: string[] = [];
      const client = await WorkClient.connect({
        amqpUrl: AMQP_URL,
        requestQueue: worker.config.requestQueue,
        connectionName,
        log: (line) => log.push(line),
      });
      try {
        let taken!: () => void;
        const accepted = new Promise<void>((resolve) => (taken = resolve));
        const request = samplePlanRequest({ deadline: Date.now() + 20_000 });
        const outcome = client.submit(request, { onProgress: () => taken() });
        await accepted;
        // The reply queue vanishes while the worker computes: its reply goes nowhere.
        await deleteQueues(connection, [client.replyQueue]);
        await waitFor(
          async () =>
            (await metricValue(worker.metrics, "issue_agent_jobs_total", {
              outcome: "result",
            })) === 1,
          10_000,
          "the reply sent into the void",
        );
        // The client's connection drops; on reconnect it declares its reply queue again
        // and asks again for the request it still waits on.
        expect(await forceCloseConnections(connectionName)).toBe(1);
        expect(await outcome).toMatchObject({ type: "result", requestId: request.requestId });
        expect(log).toContain("asked again for 1 request(s) still waiting");
        // Counted just after the stored reply went out.
        await waitFor(
          async () =>
            (await metricValue(worker.metrics, "issue_agent_jobs_total", {
              outcome: "duplicate",
            })) === 1,
          5000,
          "the duplicate answered from memory",
        );
        expect(ollama.requestsTo("/api/chat")).toHaveLength(1);
      } finally {
        await client.close();
      }
    });
  });

  it("sends a bounded number of progress messages while generating", async () => {
    ollama.setScript([{ content: JSON.stringify(samplePlan()), delayBetweenChunksMs: 5 }]);
    await withWorker({ PROGRESS_INTERVAL_MS: "200" }, async (_worker, client) => {
      const progress: ProgressReply[] = [];
      const started = Date.now();
      await client.submit(samplePlanRequest(), { onProgress: (p) => progress.push(p) });
      const elapsed = Date.now() - started;
      const generating = progress.filter((p) => p.stage === "generating");
      expect(generating.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    });
  });
});
