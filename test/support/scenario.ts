/**
 * The scenario harness: everything an end-to-end run of the Action needs, started once
 * per test file and torn down in one call. The GitHub emulator (real git behind it), the
 * Ollama test server (scripted or real inference), a worker process from dist/worker.js
 * on the real RabbitMQ, and `runAction`, which runs the shipped Action (see
 * action-runner.ts) against all of them with the inputs a workflow would give.
 */
import type { ChannelModel } from "amqplib";
import { deadLetterQueueFor } from "../../protocol/index.js";
import {
  runAction,
  startAction,
  type ActionHandle,
  type ActionRun,
  type ActionRunOptions,
} from "./action-runner.js";
import { AMQP_URL, deleteQueues, openTestConnection, uniqueQueueName } from "./broker/rabbitmq.js";
import {
  startGitHubEmulator,
  type GitHubEmulator,
  type GitHubEmulatorOptions,
  type RepoView,
} from "./github/emulator.js";
import {
  startOllamaTestServer,
  type OllamaTestServer,
  type OllamaTestServerOptions,
} from "./ollama/server.js";
import { startWorkerProcess, type WorkerProcess } from "./worker-process.js";

export interface ScenarioOptions {
  github: GitHubEmulatorOptions;
  model: OllamaTestServerOptions;
  /** Shared by the Action and the worker. */
  signingKey: string;
  /** The broker both use (default: the test RabbitMQ's default vhost). */
  amqpUrl?: string;
  /** Label for the request queue's unique name; ignored when `queue` is given. */
  label?: string;
  /** A fixed request queue (a vhost of the test's own may use the default name). */
  queue?: string;
  /** Extra worker environment (NUM_CTX, …). */
  workerEnv?: Record<string, string>;
}

export interface Scenario {
  github: GitHubEmulator;
  ollama: OllamaTestServer;
  worker: WorkerProcess;
  queue: string;
  /** A connection for the test's own inspection of the broker. */
  connection: ChannelModel;
  repo(owner?: string, name?: string): RepoView;
  /** The inputs a workflow gives the Action here, with `extra` on top. */
  inputs(extra?: Record<string, string>): Record<string, string>;
  /** Runs the shipped Action for one event (in `workspace`: a checkout left there). */
  run(
    eventName: string,
    payload: Record<string, unknown>,
    extra?: Record<string, string>,
    where?: { workspace?: string },
  ): Promise<ActionRun>;
  /** Starts the shipped Action for one event and hands back the process (to signal it). */
  start(
    eventName: string,
    payload: Record<string, unknown>,
    extra?: Record<string, string>,
  ): Promise<ActionHandle>;
  close(): Promise<void>;
}

export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  const amqpUrl = options.amqpUrl ?? AMQP_URL;
  const queue = options.queue ?? uniqueQueueName(options.label ?? "scenario");
  const github = await startGitHubEmulator(options.github);
  const ollama = await startOllamaTestServer(options.model);
  const worker = await startWorkerProcess(
    {
      AMQP_URL: amqpUrl,
      OLLAMA_HOST: ollama.url,
      MODEL: ollama.model,
      SIGNING_KEY: options.signingKey,
      REQUEST_QUEUE: queue,
      ...options.workerEnv,
    },
    { bundle: true },
  );
  const connection = await openTestConnection();
  const [firstRepo] = options.github.repos ?? [];
  const inputs = (extra: Record<string, string> = {}) => ({
    "github-token": github.token,
    "amqp-url": amqpUrl,
    "signing-key": options.signingKey,
    "request-queue": queue,
    "timeout-minutes": "1",
    ...extra,
  });
  const actionRun = (
    eventName: string,
    payload: Record<string, unknown>,
    extra: Record<string, string>,
  ): ActionRunOptions => ({
    eventName,
    payload,
    inputs: inputs(extra),
    repository: `${firstRepo?.owner ?? "octo"}/${firstRepo?.name ?? "widgets"}`,
    apiUrl: github.url,
    serverUrl: github.serverUrl,
    env: { ISSUE_AGENT_API_SPACING_MS: "0" },
  });
  return {
    github,
    ollama,
    worker,
    queue,
    connection,
    repo: (owner = firstRepo?.owner ?? "octo", name = firstRepo?.name ?? "widgets") =>
      github.repo(owner, name),
    inputs,
    run: (eventName, payload, extra = {}, where = {}) =>
      runAction({ ...where, ...actionRun(eventName, payload, extra) }),
    start: (eventName, payload, extra = {}) => startAction(actionRun(eventName, payload, extra)),
    close: async () => {
      worker.kill("SIGTERM");
      await worker.exited;
      if (!options.amqpUrl) await deleteQueues(connection, [queue, deadLetterQueueFor(queue)]);
      await connection.close();
      await ollama.close();
      await github.close();
    },
  };
}
