import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  buildContext,
  collectRepositoryFiles,
  type BuiltContext,
} from "../action/context/build-context.js";
import { sanitizeForPost } from "../action/github/markdown-safety.js";
import { groundPlan } from "../action/plan/ground-plan.js";
import { planHash } from "../action/plan/plan-hash.js";
import { renderContextTable, renderPlanMarkdown, renderUsage } from "../action/plan/render-plan.js";
import { boundIssueText } from "../action/steps/read-issue.js";
import { planRequest } from "../action/steps/work-request.js";
import { REQUEST_QUEUE, type PlanResult } from "../protocol/index.js";
import { gitHead, readIssueInput } from "./issue-input.js";
import { askModel, modelOptionsProblem, type ModelChoice } from "./local-model.js";

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
  --temperature T      sampling temperature for in-process runs (default 0.2; 0 repeats exactly)
  --thinking MODE      a reasoning model (qwen3, gpt-oss) thinks first: off (default), on,
                       low, medium, high (levels for gpt-oss); see MODEL_THINKING in README
  --signing-key K      HMAC key for --amqp-url (default $SIGNING_KEY; required)
  --allow-unsigned     send to --amqp-url without a key (anyone on the broker can forge replies)
  --request-queue Q    queue for --amqp-url (default ${REQUEST_QUEUE})
  --timeout-minutes N  how long to wait (default 20)
  --json               print JSON instead of Markdown
  --ignore-file F      gitignore-style file of paths never shown to the model
                       (default .ai-agent-ignore, as the Action's ignore-file input)
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
  const checked = checkOptions(values);
  if (typeof checked === "string") return fail(checked);
  const { repoDir, contextTokens, timeoutMinutes } = checked;
  const raw = readIssueInput(values);
  if (typeof raw === "string") return fail(raw);
  const issue = boundIssueText({ number: 1, ...raw, author: "local", labels: [] });

  const choice = modelChoice(values);
  if (choice?.kind === "broker" && !choice.signingKey && !values["allow-unsigned"])
    return fail(
      "--amqp-url needs the workers' key: --signing-key K or SIGNING_KEY (or --allow-unsigned, letting anyone on the broker forge replies)",
    );
  const problem = choice && modelOptionsProblem(choice);
  if (problem) return fail(problem);

  const started = Date.now();
  const context = await buildContext({
    repoDir,
    title: issue.title,
    body: issue.body,
    tokenBudget: contextTokens,
    ...(values["ignore-file"] === undefined ? {} : { ignoreFile: values["ignore-file"] }),
  });
  const contextMs = Date.now() - started;
  progress(
    `context built in ${contextMs} ms: ${context.files.length} files, about ${context.tokenEstimate} tokens, from the ${context.tree.totalFiles} files of ${values.repo}`,
  );
  if (context.tree.totalFiles === 0)
    progress(
      `warning: ${values.repo} has no files the model may see (empty, or all of them ignored): the plan can only guess`,
    );

  if (choice === undefined) {
    printContextOnly(context, values.json);
    return 0;
  }
  const request = planRequest({
    repo: {
      owner: "local",
      name: repoDir.split("/").pop() || "repo",
      defaultBranch: "HEAD",
      sha: gitHead(repoDir),
    },
    issue,
    context: {
      tree: context.tree,
      files: context.files,
      omitted: context.omitted,
      tokenEstimate: context.tokenEstimate,
    },
    model: values.model,
    timeoutMinutes,
    idempotencyKey: `local/${repoDir}#0`,
  });
  const requestStarted = Date.now();
  const reply = await askModel(request, choice, progress);
  if (reply.type === "error") {
    process.stderr.write(
      `issue-agent plan: the model run failed (${reply.code}): ${reply.message}\n`,
    );
    return 1;
  }
  if (reply.kind !== "plan") return fail("the worker answered with code edits instead of a plan");
  await printPlan(reply, {
    repoDir,
    title: issue.title,
    body: issue.body,
    ignoreFile: values["ignore-file"],
    context,
    timings: { contextMs, queueAndModelMs: Date.now() - requestStarted },
    json: values.json,
  });
  return 0;
}

type Options = ReturnType<typeof parseOptions>["values"];

/** The numeric and path options, checked; a string is the usage error. */
function checkOptions(
  values: Options,
): { repoDir: string; contextTokens: number; timeoutMinutes: number } | string {
  if (!values.repo) return "--repo DIR is required";
  const repoDir = resolve(values.repo);
  if (!existsSync(repoDir) || !statSync(repoDir).isDirectory())
    return `--repo ${values.repo}: no such directory`;
  const contextTokens = Number(values["context-tokens"]);
  if (!Number.isInteger(contextTokens) || contextTokens < 100)
    return `--context-tokens: expected a whole number of at least 100, got '${values["context-tokens"]}'`;
  for (const option of ["num-ctx", "num-predict"] as const) {
    const value = values[option];
    if (value !== undefined && !/^\d+$/.test(value))
      return `--${option}: expected a whole number, got '${value}'`;
  }
  if (values.thinking !== undefined && !THINKING_MODES.includes(values.thinking))
    return `--thinking: expected one of ${THINKING_MODES.join(", ")}, got '${values.thinking}'`;
  if (values.temperature !== undefined && !/^\d+(\.\d+)?$/.test(values.temperature))
    return `--temperature: expected a number such as 0 or 0.2, got '${values.temperature}'`;
  const timeoutMinutes = Number(values["timeout-minutes"]);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0)
    return `--timeout-minutes: expected a positive number, got '${values["timeout-minutes"]}'`;
  return { repoDir, contextTokens, timeoutMinutes };
}

const THINKING_MODES = ["off", "on", "low", "medium", "high"];

/** The options that choose a model, shared by `plan` and `apply`. */
export type ModelOptions = Pick<
  Options,
  | "amqp-url"
  | "signing-key"
  | "request-queue"
  | "model-file"
  | "model"
  | "num-ctx"
  | "num-predict"
  | "temperature"
  | "thinking"
>;

/** The model the options name, first that applies; undefined when none is configured. */
export function modelChoice(values: ModelOptions): ModelChoice | undefined {
  if (values["amqp-url"])
    return {
      kind: "broker",
      amqpUrl: values["amqp-url"],
      signingKey: values["signing-key"] ?? process.env.SIGNING_KEY,
      requestQueue: values["request-queue"],
    };
  const ollamaHost = process.env.OLLAMA_HOST;
  if (!values["model-file"] && !ollamaHost) return undefined;
  return {
    kind: "local",
    modelFile: values["model-file"],
    ollamaHost,
    model: values.model,
    numCtx: values["num-ctx"],
    numPredict: values["num-predict"],
    temperature: values.temperature,
    thinking: values.thinking,
  };
}

/** Without a model: the ranked context, and how to get a model. */
function printContextOnly(context: BuiltContext, json: boolean): void {
  const report = { files: context.ranking.slice(0, 20), omitted: context.omitted };
  if (json) process.stdout.write(`${JSON.stringify({ plan: null, context: report }, null, 2)}\n`);
  else
    process.stdout.write(
      `${renderContextTable({ files: context.files, omitted: context.omitted, trimmedByWorker: [], totalFiles: context.tree.totalFiles, tokenEstimate: context.tokenEstimate })}\n`,
    );
  process.stderr.write(
    "\nNo model configured, so this is the context only. To get a plan, do one of:\n" +
      "  - pass --model-file path/to/model.gguf (any GGUF chat model; runs on the CPU)\n" +
      "  - run Ollama (https://ollama.com), `ollama pull qwen2.5-coder:7b`, and set OLLAMA_HOST=http://127.0.0.1:11434\n" +
      "  - pass --amqp-url of a running issue-agent backend\n",
  );
}

/** The plan, grounded against the checkout, as Markdown (or JSON). */
async function printPlan(
  reply: PlanResult,
  input: {
    repoDir: string;
    title: string;
    body: string;
    ignoreFile: string | undefined;
    context: BuiltContext;
    timings: { contextMs: number; queueAndModelMs: number };
    json: boolean;
  },
): Promise<void> {
  const { context } = input;
  const files = await collectRepositoryFiles(
    input.repoDir,
    input.ignoreFile === undefined ? {} : { ignoreFile: input.ignoreFile },
  );
  const grounding = groundPlan(
    reply.plan,
    new Set([...files.paths, ...files.excluded.map((e) => e.path)]),
  );
  const hash = planHash(reply.plan);
  if (input.json) {
    process.stdout.write(
      `${JSON.stringify({ plan: reply.plan, planHash: hash, issueText: { title: input.title, body: input.body }, ...(input.ignoreFile === undefined ? {} : { ignoreFile: input.ignoreFile }), grounding, usage: reply.usage, trimmed: reply.trimmed, context: { files: context.ranking.slice(0, 20), omitted: context.omitted } }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    [
      `# Plan: ${sanitizeForPost(input.title)}`,
      "",
      renderPlanMarkdown(
        { plan: reply.plan, grounding, issueNumber: 1, issueTitle: input.title },
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
      renderUsage(reply.usage, input.timings),
      "",
      `Plan hash: \`${hash}\``,
      "",
    ].join("\n"),
  );
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
      temperature: { type: "string" },
      thinking: { type: "string" },
      "allow-unsigned": { type: "boolean", default: false },
      "signing-key": { type: "string" },
      "request-queue": { type: "string" },
      "timeout-minutes": { type: "string", default: "20" },
      json: { type: "boolean", default: false },
      "ignore-file": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
}
