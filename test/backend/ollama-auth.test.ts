/**
 * An Ollama behind a proxy that asks for a bearer token: OLLAMA_API_KEY goes out on every
 * call the worker makes to it (chat, the model's length, readiness), and into no log.
 */
import { Writable } from "node:stream";
import { afterEach, expect, it } from "@jest/globals";
import { loadWorkerConfig } from "../../backend/config.js";
import { runJob } from "../../backend/jobs/run-job.js";
import { createLlmBackend } from "../../backend/llm/create-backend.js";
import { createLogger } from "../../backend/logger.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";
import { directJobDeps } from "../support/job-deps.js";
import { startOllamaTestServer, type OllamaTestServer } from "../support/ollama/server.js";

const KEY = "proxy-token-7f3a9c";
let ollama: OllamaTestServer | undefined;
afterEach(async () => {
  await ollama?.close();
  ollama = undefined;
});

it("sends OLLAMA_API_KEY as a bearer token on every call, and logs it nowhere", async () => {
  ollama = await startOllamaTestServer({
    script: () => ({ content: JSON.stringify(samplePlan()) }),
  });
  const env = {
    OLLAMA_HOST: ollama.url,
    MODEL: ollama.model,
    OLLAMA_API_KEY: KEY,
    LOG_LEVEL: "debug",
  };
  const llm = createLlmBackend(loadWorkerConfig(env).llm);
  let logged = "";
  const deps = {
    ...directJobDeps(llm, env),
    logger: createLogger(
      "debug",
      new Writable({ write: (c: Buffer, _e, done) => ((logged += c.toString()), done()) }),
    ),
  };
  const outcome = await runJob(samplePlanRequest(), deps);
  expect(outcome.reply).toMatchObject({ type: "result", kind: "plan" });
  expect(await llm.checkReady(ollama.model)).toEqual({ ok: true });
  const paths = ollama.requests.map((r) => r.path);
  expect(paths).toEqual(expect.arrayContaining(["/api/show", "/api/chat", "/api/tags"]));
  for (const request of ollama.requests)
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
  expect(logged).not.toBe("");
  expect(logged).not.toContain(KEY);
});
