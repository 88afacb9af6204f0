import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runJob } from "../../backend/jobs/run-job.js";
import { loadWorkerConfig } from "../../backend/config.js";
import { createLlmBackend } from "../../backend/llm/create-backend.js";
import { createLogger } from "../../backend/logger.js";
import { createMetrics } from "../../backend/ops/metrics.js";
import {
  PROTOCOL_VERSION,
  type PlanRequest,
  type TerminalReply,
} from "../../backend/protocol/messages.js";
import { buildContext, collectRepositoryFiles } from "../context/build-context.js";
import { sanitizeForPost, stripHiddenContent } from "../github/markdown-safety.js";
import { groundPlan } from "../plan/ground-plan.js";
import { planHash } from "../plan/plan-hash.js";
import { renderContextTable, renderPlanMarkdown, renderUsage } from "../plan/render-plan.js";
import { WorkClient, newRequestId } from "../transport/work-client.js";

const HELP = `Usage: issue-agent plan --repo DIR (--issue-file F | --title T [--body-file F | --body B]) [options]

Builds the context for an issue in a local checkout and asks a model for a plan.
Nothing is written to GitHub. The plan goes to stdout; progress to stderr.

Model (first that applies):
  --amqp-url URL       send the request to the workers behind this RabbitMQ
  --model-file F       run a GGUF model in-process (llama.cpp)
  OLLAMA_HOST=URL      use the Ollama server there (model: --model or MODEL)
  none of these        print the ranked context and how to get a model

Options:
  --issue-file F       Markdown file: the first line is the title, the rest the body
  --model M            model name (Ollama / workers); default qwen2.5-coder:7b
  --context-tokens N   context budget (default 6000)
  --num-ctx N          model context window for in-process runs (default 8192)
  --num-predict N      most tokens the model may write (default 2048)
  --signing-key K      HMAC key for --amqp-url (default $SIGNING_KEY)
  --request-queue Q    queue for --amqp-url (default ai-agent.plan)
  --timeout-minutes N  how long to wait (default 20)
  --json               print JSON instead of Markdown
`;

/** `issue-agent plan`: the Action's plan step on a local checkout. */
export async function runPlanCommand(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseOptions>["values"];
  try {
    ({ values } = parseOptions(argv));
  } catch (error) {
    // Unknown options and missing values are usage errors, like the others below.
    process.stderr.write(`issue-agent plan: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const fail = (message: string) => {
    process.stderr.write(`issue-agent plan: ${message}\n`);
    return 2;
  };
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  if (!values.repo) return fail("--repo DIR is required");
  const repoDir = resolve(values.repo);
  if (!existsSync(repoDir) || !statSync(repoDir).isDirectory())
    return fail(`--repo ${values.repo}: no such directory`);
  const issue = readIssue(values);
  if (typeof issue === "string") return fail(issue);
  const contextTokens = Number(values["context-tokens"]);
  if (!Number.isInteger(contextTokens) || contextTokens < 100)
    return fail(
      `--context-tokens: expected a whole number of at least 100, got '${values["context-tokens"]}'`,
    );
  for (const option of ["num-ctx", "num-predict"] as const) {
    const value = values[option];
    if (value !== undefined && !/^\d+$/.test(value))
      return fail(`--${option}: expected a whole number, got '${value}'`);
  }
  const timeoutMinutes = Number(values["timeout-minutes"]);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0)
    return fail(
      `--timeout-minutes: expected a positive number, got '${values["timeout-minutes"]}'`,
    );

  const title = stripHiddenContent(issue.title);
  const body = stripHiddenContent(issue.body);
  const started = Date.now();
  const context = await buildContext({ repoDir, title, body, tokenBudget: contextTokens });
  const contextMs = Date.now() - started;
  progress(
    `context built in ${contextMs} ms: ${context.files.length} files, about ${context.tokenEstimate} tokens, from ${context.tree.totalFiles}`,
  );

  const ollamaHost = process.env.OLLAMA_HOST;
  if (!values["amqp-url"] && !values["model-file"] && !ollamaHost) {
    const report = { files: context.ranking.slice(0, 20), omitted: context.omitted };
    if (values.json)
      process.stdout.write(`${JSON.stringify({ plan: null, context: report }, null, 2)}\n`);
    else {
      process.stdout.write(
        `${renderContextTable({ files: context.files, omitted: context.omitted, trimmedByWorker: [], totalFiles: context.tree.totalFiles, tokenEstimate: context.tokenEstimate })}\n`,
      );
    }
    progress(
      "\nNo model configured, so this is the context only. To get a plan, do one of:\n" +
        "  - pass --model-file path/to/model.gguf (any GGUF chat model; runs on the CPU)\n" +
        "  - run Ollama (https://ollama.com), `ollama pull qwen2.5-coder:7b`, and set OLLAMA_HOST=http://127.0.0.1:11434\n" +
        "  - pass --amqp-url of a running issue-agent backend",
    );
    return 0;
  }

  const request: PlanRequest = {
    version: PROTOCOL_VERSION,
    type: "plan",
    requestId: newRequestId(),
    idempotencyKey: `local/${repoDir}#0`,
    repo: {
      owner: "local",
      name: repoDir.split("/").pop() || "repo",
      defaultBranch: "HEAD",
      sha: gitHead(repoDir),
    },
    issue: {
      number: 1,
      title: title.slice(0, 1000),
      body: body.slice(0, 65_000),
      author: "local",
      labels: [],
    },
    context: {
      tree: context.tree,
      files: context.files,
      omitted: context.omitted,
      tokenEstimate: context.tokenEstimate,
    },
    options: values.model ? { model: values.model } : {},
    deadline: Date.now() + timeoutMinutes * 60_000,
  };
  const requestStarted = Date.now();
  let reply: TerminalReply;
  if (values["amqp-url"]) {
    const client = await WorkClient.connect({
      amqpUrl: values["amqp-url"],
      signingKey: values["signing-key"] ?? process.env.SIGNING_KEY,
      requestQueue: values["request-queue"],
      log: progress,
    });
    try {
      reply = await client.submit(request, {
        onQueued: ({ ahead }) => progress(`queued (${ahead} ahead)`),
        onProgress: (p) =>
          progress(p.stage === "generating" ? `generating: ${p.tokens ?? 0} tokens` : p.stage),
      });
    } finally {
      await client.close();
    }
  } else {
    const env: Record<string, string> = { LOG_LEVEL: "silent" };
    if (values["model-file"])
      Object.assign(env, {
        LLM_BACKEND: "embedded",
        MODEL_FILE: resolve(values["model-file"]),
        MODEL: values.model ?? values["model-file"].split("/").pop() ?? "gguf",
      });
    else
      Object.assign(env, {
        LLM_BACKEND: "ollama",
        OLLAMA_HOST: ollamaHost ?? "",
        ...(values.model ? { MODEL: values.model } : {}),
      });
    if (values["num-ctx"]) env.NUM_CTX = values["num-ctx"];
    if (values["num-predict"]) env.NUM_PREDICT = values["num-predict"];
    const config = loadWorkerConfig(env);
    const llm = createLlmBackend(config.llm);
    try {
      progress(
        `asking ${config.llm.backend === "embedded" ? `the GGUF model in-process (${config.llm.modelFile ?? ""})` : `Ollama at ${config.llm.ollamaHost} (${config.llm.model})`}`,
      );
      let lastReported = 0;
      const outcome = await runJob(request, {
        config,
        llm,
        logger: createLogger("silent"),
        metrics: createMetrics({ defaultMetrics: false }),
        signal: new AbortController().signal,
        progress: (p) => {
          if (p.stage === "generating" && (p.tokens ?? 0) - lastReported >= 50) {
            lastReported = p.tokens ?? 0;
            progress(`generating: ${lastReported} tokens`);
          }
        },
      });
      reply = outcome.reply;
    } finally {
      await llm.close();
    }
  }
  if (reply.type === "error") {
    process.stderr.write(
      `issue-agent plan: the model run failed (${reply.code}): ${reply.message}\n`,
    );
    return 1;
  }
  if (reply.kind !== "plan") return fail("the worker answered with code edits instead of a plan");
  const files = await collectRepositoryFiles(repoDir);
  const grounding = groundPlan(
    reply.plan,
    new Set([...files.paths, ...files.excluded.map((e) => e.path)]),
  );
  const hash = planHash(reply.plan);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ plan: reply.plan, planHash: hash, grounding, usage: reply.usage, trimmed: reply.trimmed, context: { files: context.ranking.slice(0, 20), omitted: context.omitted } }, null, 2)}\n`,
    );
    return 0;
  }
  const timings = { contextMs, queueAndModelMs: Date.now() - requestStarted };
  process.stdout.write(
    [
      `# Plan: ${sanitizeForPost(title)}`,
      "",
      renderPlanMarkdown(
        { plan: reply.plan, grounding, issueNumber: 1, issueTitle: title },
        sanitizeForPost,
      ),
      "",
      "## Context",
      "",
      renderContextTable({
        files: context.files,
        omitted: context.omitted,
        trimmedByWorker: reply.trimmed,
        totalFiles: context.tree.totalFiles,
        tokenEstimate: context.tokenEstimate,
      }),
      "",
      "## Model and timings",
      "",
      renderUsage(reply.usage, timings),
      "",
      `Plan hash: \`${hash}\``,
      "",
    ].join("\n"),
  );
  return 0;
}

function readIssue(values: {
  "issue-file"?: string | undefined;
  title?: string | undefined;
  body?: string | undefined;
  "body-file"?: string | undefined;
}): { title: string; body: string } | string {
  if (values["issue-file"]) {
    let text: string;
    try {
      text = readFileSync(values["issue-file"], "utf8");
    } catch (error) {
      return `cannot read --issue-file ${values["issue-file"]}: ${(error as Error).message}`;
    }
    const [first = "", ...rest] = text.replace(/\r\n/g, "\n").split("\n");
    const title = first.replace(/^#+\s*/, "").trim();
    if (!title) return `--issue-file ${values["issue-file"]}: the first line (the title) is empty`;
    return { title, body: rest.join("\n").trim() };
  }
  if (!values.title)
    return "give the issue with --issue-file F, or --title T with --body-file F or --body B";
  let body = values.body ?? "";
  if (values["body-file"]) {
    try {
      body = readFileSync(values["body-file"], "utf8");
    } catch (error) {
      return `cannot read --body-file ${values["body-file"]}: ${(error as Error).message}`;
    }
  }
  return { title: values.title, body };
}

function gitHead(dir: string): string {
  try {
    const head = readFileSync(resolve(dir, ".git", "HEAD"), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = head.replace(/^ref: /, "");
    const sha = readFileSync(resolve(dir, ".git", ref), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(sha)) return sha;
  } catch {
    // Not a git checkout, or packed refs: the sha is informational only.
  }
  return "0000000";
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      repo: { type: "string" },
      "issue-file": { type: "string" },
      title: { type: "string" },
      body: { type: "string" },
      "body-file": { type: "string" },
      "amqp-url": { type: "string" },
      "model-file": { type: "string" },
      model: { type: "string" },
      "context-tokens": { type: "string", default: "6000" },
      "num-ctx": { type: "string" },
      "num-predict": { type: "string" },
      "signing-key": { type: "string" },
      "request-queue": { type: "string" },
      "timeout-minutes": { type: "string", default: "20" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
}
