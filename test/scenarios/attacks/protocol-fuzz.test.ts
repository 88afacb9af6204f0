/**
 * Protocol fuzzing: random bytes, random JSON, and valid messages mutated field by field,
 * into the worker's request parser, the Action's reply parser and the signature check;
 * then a few hundred of them through RabbitMQ into a live worker. Nothing may crash, and
 * every refusal must say why.
 */
import fc from "fast-check";
import type { ChannelModel } from "amqplib";
import {
  MAX_REQUEST_BYTES,
  PROTOCOL_VERSION,
  WorkRequestSchema,
  ReplySchema,
  parseReply,
  parseWorkRequest,
  type Reply,
  SIGNATURE_HEADER,
  signBody,
  verifyBody,
  REPLY_QUEUE_PREFIX,
  deadLetterQueueFor,
} from "../../../protocol/index.js";
import {
  deleteQueues,
  drainQueue,
  openTestConnection,
  queueDepth,
  waitFor,
} from "../../support/broker/rabbitmq.js";
import {
  samplePlan,
  samplePlanRequest,
  sampleCodeRequest,
  sampleUsage,
} from "../../support/fixtures.js";
import { startOllamaTestServer } from "../../support/ollama/server.js";
import { metricValue, startInProcessWorker } from "../../support/worker-harness.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const validReply: Reply = {
  version: PROTOCOL_VERSION,
  requestId: "req-1234567890",
  at: 1,
  type: "result",
  kind: "plan",
  plan: samplePlan(),
  usage: sampleUsage(),
  trimmed: [],
};

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const keys: (string | number)[] = Array.isArray(value)
    ? value.map((_, i) => i)
    : Object.keys(value);
  return keys.flatMap((key) => {
    const child = (value as Record<string | number, Json>)[key] as Json;
    return [[...prefix, key], ...paths(child, [...prefix, key])];
  });
}

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "replace"; at: number; with: Json }
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number; bit: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("replace" as const),
    at: fc.nat(),
    with: fc.jsonValue() as fc.Arbitrary<Json>,
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
);

/** Applies mutations to a JSON document; truncations and bit flips work on its bytes. */
function mutate(document: Json, mutations: Mutation[]): Buffer {
  let value = structuredClone(document);
  let bytes: Buffer | undefined;
  for (const m of mutations) {
    if (m.kind === "delete" || m.kind === "replace") {
      if (bytes) continue;
      const all = paths(value);
      const target = all[m.at % Math.max(1, all.length)];
      if (!target) continue;
      const parent = target
        .slice(0, -1)
        .reduce<Json>(
          (node, key) => (node as Record<string | number, Json>)[key] as Json,
          value,
        ) as Record<string | number, Json> | Json[];
      const key = target[target.length - 1] as string | number;
      if (m.kind === "delete") {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else (parent as Record<string | number, Json>)[key] = m.with;
    } else {
      bytes ??= Buffer.from(JSON.stringify(value));
      if (bytes.length === 0) continue;
      const at = m.at % bytes.length;
      if (m.kind === "truncate") bytes = bytes.subarray(0, at);
      else bytes[at] = (bytes[at] ?? 0) ^ (1 << m.bit);
    }
    if (!bytes) value = structuredClone(value);
  }
  return bytes ?? Buffer.from(JSON.stringify(value));
}

/** The outcome must be a clean refusal with a reason, or a value the schema really accepts. */
function expectParsedSafely(
  outcome: { ok: true; value: unknown } | { ok: false; reason: string },
  schema: { safeParse: (v: unknown) => { success: boolean } },
): void {
  if (outcome.ok) expect(schema.safeParse(outcome.value).success).toBe(true);
  else {
    expect(outcome.reason.length).toBeGreaterThan(10);
    expect(outcome.reason).toMatch(/not valid JSON|does not match protocol v1|byte limit/);
  }
}

const requests: Json[] = [samplePlanRequest(), sampleCodeRequest()];

describe("the worker's request parser", () => {
  it("refuses random bytes and random JSON with a reason, never throwing", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
          fc.string().map((s) => Buffer.from(s)),
          fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? "")),
        ),
        (body) => expectParsedSafely(parseWorkRequest(body), WorkRequestSchema),
      ),
      { numRuns: 3000 },
    );
  });

  it("refuses mutated valid requests with a reason naming the field, never throwing", () => {
    let refused = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...requests),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (request, mutations) => {
          const parsed = parseWorkRequest(mutate(request, mutations));
          expectParsedSafely(parsed, WorkRequestSchema);
          if (!parsed.ok) refused += 1;
        },
      ),
      { numRuns: 3000 },
    );
    // Most mutations break the contract; the few that do not (an optional field
    // removed, an extra key) were checked against the schema above.
    expect(refused).toBeGreaterThan(1500);
  });

  it("refuses an oversize body before parsing it", () => {
    const body = Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20);
    expect(parseWorkRequest(body)).toEqual({
      ok: false,
      reason: `request body is ${MAX_REQUEST_BYTES + 1} bytes, over the ${MAX_REQUEST_BYTES}-byte limit`,
    });
  });

  it("does not let prototype keys through", () => {
    const poisoned = JSON.stringify(samplePlanRequest()).replace(
      '"version":1',
      '"__proto__":{"type":"code"},"constructor":{"prototype":{"x":1}},"version":1',
    );
    const parsed = parseWorkRequest(poisoned);
    expect(parsed.ok).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(parsed.ok && parsed.value.type).toBe("plan");
  });
});

describe("the Action's reply parser", () => {
  it("refuses random input and mutated replies with a reason, never throwing", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)),
          fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? "")),
          fc
            .array(mutation, { minLength: 1, maxLength: 4 })
            .map((m) => mutate(validReply as unknown as Json, m)),
        ),
        (body) => expectParsedSafely(parseReply(body), ReplySchema),
      ),
      { numRuns: 3000 },
    );
  });
});

describe("the signature check", () => {
  const key = "fuzz-key";
  it("accepts only the exact body signed with the key within the window", () => {
    const body = Buffer.from(JSON.stringify(samplePlanRequest()));
    const now = Date.now();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.string(),
          fc
            .tuple(
              fc.integer(),
              fc.string({
                unit: fc.constantFrom(..."0123456789abcdef"),
                minLength: 64,
                maxLength: 64,
              }),
            )
            .map(([t, h]) => `t=${t},v1=${h}`),
          fc.integer({ min: -1e7, max: 1e7 }).map((skew) => signBody(body, key, now + skew)),
          fc.string().map((other) => signBody(body, other || "x", now)),
          fc.string().map((other) => signBody(other, key, now)),
        ),
        (header) => {
          const verified = verifyBody(body, header, key, { now });
          if (verified.ok) {
            expect(header).toBe(signBody(body, key, verified.timestamp));
            expect(Math.abs(now - verified.timestamp)).toBeLessThanOrEqual(5 * 60_000);
          } else expect(verified.reason).toMatch(/x-signature|window|does not match/);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("fuzzed messages through RabbitMQ into a live worker", () => {
  let connection: ChannelModel;
  beforeAll(async () => {
    connection = await openTestConnection();
  });
  afterAll(async () => {
    await connection.close();
  });

  it("dead-letters every bad one with a reason, answers the valid ones, and keeps serving", async () => {
    const key = "fuzz-live-key-0123456789";
    const ollama = await startOllamaTestServer({ mode: "instant" });
    ollama.setInstantReply(JSON.stringify(samplePlan()));
    const worker = await startInProcessWorker({
      OLLAMA_HOST: ollama.url,
      MODEL: ollama.model,
      SIGNING_KEY: key,
      LOG_LEVEL: "warn",
    });
    const queue = worker.config.requestQueue;
    const dead = deadLetterQueueFor(queue);
    const channel = await connection.createConfirmChannel();
    const replyQueue = `${REPLY_QUEUE_PREFIX}fuzz-${Date.now()}`;
    await channel.assertQueue(replyQueue, { arguments: { "x-expires": 120_000 } });
    try {
      // Fresh deadlines and ids, so that a mutation that stays valid is a real request.
      const bodies = fc.sample(
        fc.oneof(
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((a) => Buffer.from(a)) },
          {
            weight: 4,
            arbitrary: fc
              .array(mutation, { minLength: 1, maxLength: 3 })
              .map((m) => mutate(samplePlanRequest() as unknown as Json, m)),
          },
        ),
        { numRuns: 300, seed: 4242 },
      );
      const expectValid = bodies.filter((b) => parseWorkRequest(b).ok).length;
      for (const [i, body] of bodies.entries()) {
        await new Promise<void>((resolve, reject) =>
          channel.sendToQueue(
            queue,
            body,
            {
              replyTo: replyQueue,
              correlationId: `fuzz-${i}`,
              headers: { [SIGNATURE_HEADER]: signBody(body, key) },
            },
            (e: unknown) => (e ? reject(new Error(JSON.stringify(e))) : resolve()),
          ),
        );
      }
      await waitFor(
        async () => (await metricValue(worker.metrics, "issue_agent_jobs_total")) >= bodies.length,
        30_000,
        "every fuzzed delivery settled",
      );
      // Refused before any work: counted as type "unknown". Everything else was a valid
      // request and got its one answer (a plan, or an error such as a past deadline).
      const refused = await metricValue(worker.metrics, "issue_agent_jobs_total", {
        type: "unknown",
      });
      expect(refused).toBe(bodies.length - expectValid);
      expect((await metricValue(worker.metrics, "issue_agent_jobs_total")) - refused).toBe(
        expectValid,
      );
      expect(expectValid).toBeGreaterThan(0);
      await waitFor(
        async () => (await queueDepth(connection, dead)) >= refused,
        10_000,
        "dead letters",
      );
      const rejections = (await drainQueue(connection, replyQueue))
        .map((m) => JSON.parse(m.content) as Reply)
        .filter((r) => r.type === "error" && r.code === "invalid_request");
      expect(rejections).toHaveLength(refused);
      for (const r of rejections)
        expect(r).toMatchObject({
          code: "invalid_request",
          message: expect.stringMatching(/not valid JSON|does not match protocol/) as string,
        });
      expect(await queueDepth(connection, queue)).toBe(0);
      expect(worker.consumer.brokerReadiness()).toEqual({ ok: true });
    } finally {
      await channel.deleteQueue(replyQueue).catch(() => undefined);
      await channel.close().catch(() => undefined);
      await worker.stop();
      await ollama.close();
      await deleteQueues(connection, [queue, dead]);
    }
  }, 60_000);
});
