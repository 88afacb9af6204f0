/**
 * `issue-agent apply`: the Action's `/approve` step on a local checkout. Asks the model
 * for the edits of a plan, applies them to the working tree through the same checks as
 * `/approve` (path policy, plan scope, syntax gate, optional check command), with the
 * same one follow-up round when they fail, and prints the diff. Nothing is committed.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { withQuotedCode } from "../action/code-context/quoted-code.js";
import { applyAndCheck, type ApplyAndCheckResult } from "../action/edits/apply-and-check.js";
import { planScope } from "../action/edits/apply-edits.js";
import { failureReport } from "../action/edits/failure-report.js";
import { planHash } from "../action/plan/plan-hash.js";
import { AUTO_CONTEXT_TOKENS, INPUT_DEFAULTS } from "../action/settings.js";
import { codeRequestFor, shownPaths } from "../action/steps/code-request.js";
import { boundIssueText } from "../action/steps/read-issue.js";
import { repairedEditSet } from "../action/edits/repair-answer.js";
import { repairRequest } from "../action/steps/work-request.js";
import { PlanSchema, type CodeRequest, type CodeResult, type Plan } from "../protocol/index.js";
import { dirtyFiles, isGitCheckout } from "./dirty-files.js";
import { editDiff } from "./edit-diff.js";
import { gitHead, readIssueInput } from "./issue-input.js";
import { askModel, modelOptionsProblem, type ModelChoice } from "./local-model.js";
import { modelChoice } from "./plan-command.js";

const HELP = `Usage: issue-agent apply --repo DIR --plan FILE [options]

Asks a model for the edits of a plan and applies them to the working tree of DIR through
the same checks as /approve (paths, the plan's scope, syntax, --check-command), with one
follow-up round when they fail. Prints the diff; commits nothing.

FILE is the plan.json the Action commits (.github/issue-agent/issue-N/plan.json), the
output of 'issue-agent plan --json', or a bare plan object.

Model (first that applies): --amqp-url URL, --model-file F, OLLAMA_HOST=URL (as for plan).

Options:
  --issue-file F | --title T [--body B | --body-file F]
                       the issue (default: the plan file's own issue text)
  --print-request      print the code request as JSON and stop (no model is called)
  --allow-dirty        change files of the plan that hold uncommitted work (refused
                       otherwise: the edits are written over them)
  --check-command CMD  run CMD after the edits apply, sandboxed where this machine allows
  --ignore-file F      paths never shown to the model nor edited (default .ai-agent-ignore)
  --protected P,...    paths the edits may not touch (default ${INPUT_DEFAULTS["protected-paths"] ?? "none"})
  --model M, --num-ctx N, --num-predict N, --temperature T, --thinking MODE,
  --signing-key K, --request-queue Q, --timeout-minutes N   as for plan
`;

export async function runApplyCommand(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseOptions>["values"];
  try {
    ({ values } = parseOptions(argv));
  } catch (error) {
    process.stderr.write(`issue-agent apply: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const fail = (message: string, code = 2) => {
    process.stderr.write(`issue-agent apply: ${message}\n`);
    return code;
  };
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  if (!values.repo) return fail("--repo DIR is required");
  const repoDir = resolve(values.repo);
  if (!existsSync(repoDir) || !statSync(repoDir).isDirectory())
    return fail(`--repo ${values.repo}: no such directory`);
  if (!values.plan) return fail("--plan FILE is required");
  const planFile = readPlanFile(values.plan);
  if (typeof planFile === "string") return fail(planFile);
  const timeoutMinutes = Number(values["timeout-minutes"]);
  if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0)
    return fail(
      `--timeout-minutes: expected a positive number, got '${values["timeout-minutes"]}'`,
    );

  const given =
    values["issue-file"] || values.title || values.body || values["body-file"]
      ? readIssueInput(values)
      : (planFile.issueText ?? { title: planFile.plan.summary.slice(0, 300), body: "" });
  if (typeof given === "string") return fail(given);
  const issue = boundIssueText({ number: 1, ...given, author: "local", labels: [] });
  const ignoreFile = values["ignore-file"] ?? planFile.ignoreFile;
  const chosen = modelChoice(values);
  const problem = !values["print-request"] && chosen && modelOptionsProblem(chosen);
  if (problem) return fail(problem);
  const request = await codeRequestFor({
    checkoutDir: repoDir,
    repo: {
      owner: "local",
      name: repoDir.split("/").pop() || "repo",
      defaultBranch: "HEAD",
      sha: gitHead(repoDir),
    },
    issue,
    plan: planFile.plan,
    planHash: planHash(planFile.plan),
    contextTokens: AUTO_CONTEXT_TOKENS,
    ignoreFile,
    model: values.model ?? "",
    guidance: undefined,
    timeoutMinutes,
    log: progress,
  });
  if (values["print-request"]) {
    process.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
    return 0;
  }
  const choice = modelChoice(values);
  if (choice === undefined)
    return fail(
      "no model: give --model-file F, OLLAMA_HOST=URL or --amqp-url URL (or --print-request)",
    );
  if (choice.kind === "broker" && !choice.signingKey)
    return fail("--amqp-url needs the workers' key: --signing-key K or SIGNING_KEY");
  // Asked before the model is, so that nobody waits for edits that cannot be applied.
  let dirty: string[];
  try {
    dirty = dirtyFiles(
      repoDir,
      planFile.plan.files.map((file) => file.path),
    );
  } catch (error) {
    return fail((error as Error).message, 1);
  }
  if (dirty.length > 0 && !values["allow-dirty"])
    return fail(
      `uncommitted work in ${dirty.join(", ")}, which the plan changes (changed, untracked, ignored or hidden from git status: git holds no copy of it): commit or stash it first (the edits are written over it), or pass --allow-dirty`,
    );
  if (!isGitCheckout(repoDir))
    progress(
      `note: ${values.repo} is not a git checkout, so git cannot undo the change; the diff printed is the way back`,
    );

  const options = {
    policy: {
      protected: csv(values.protected ?? INPUT_DEFAULTS["protected-paths"] ?? ""),
      allow: [],
    },
    scope: planScope(planFile.plan.files),
    shown: (await shownPaths(repoDir, ignoreFile)).shown,
    checkCommand: values["check-command"] ?? "",
    checkUnisolated: true,
    checkWarn: (_message: string, reason: string) =>
      progress(
        `warning: --check-command runs without a sandbox here (${reason}): the model-written code it runs can read your files and environment; only its environment is cleaned`,
      ),
  };
  const first = await ask(request, choice, progress);
  if (typeof first === "string") return fail(first, 1);
  let result = await applyAndCheck(repoDir, first.edits.edits, options);
  if (!result.ok) {
    const report = failureReport(result);
    progress(
      `the edits failed at the ${result.failedAt ?? "apply"} step; asking once more:\n${report}`,
    );
    const files = withQuotedCode(request.files, first.edits, result.apply.failures);
    const second = await ask(
      repairRequest({ ...request, files }, first.edits, [report], timeoutMinutes),
      choice,
      progress,
    );
    if (typeof second === "string") return fail(second, 1);
    const completed = repairedEditSet(first.edits, result, second.edits);
    if (completed.kept.length > 0)
      progress(
        `the repair answer left out ${completed.kept.join(", ")}; their first edits, which applied, are kept`,
      );
    result = await applyAndCheck(repoDir, completed.edits.edits, options);
  }
  if (!result.ok) {
    return fail(
      `nothing was changed: the edits failed the ${result.failedAt ?? "apply"} step twice.\n${failureReport(result, 1500)}`,
      1,
    );
  }
  printDiff(result);
  return 0;
}

async function ask(
  request: CodeRequest,
  choice: ModelChoice,
  progress: (message: string) => void,
): Promise<CodeResult | string> {
  const reply = await askModel(request, choice, progress);
  if (reply.type === "error") return `the model run failed (${reply.code}): ${reply.message}`;
  if (reply.kind !== "code") return "the model answered with a plan instead of edits";
  return reply;
}

/** The plan in FILE, in any of the shapes the project writes; a string is the error. */
function readPlanFile(
  file: string,
): { plan: Plan; issueText?: { title: string; body: string }; ignoreFile?: string } | string {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return `--plan ${file}: ${(error as Error).message}`;
  }
  const wrapped = json as {
    plan?: unknown;
    issueText?: { title?: unknown; body?: unknown };
    ignoreFile?: unknown;
  };
  const parsed = PlanSchema.safeParse(wrapped.plan ?? json);
  if (!parsed.success)
    return `--plan ${file}: not a plan (${parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ")})`;
  const text = wrapped.issueText;
  return {
    plan: parsed.data,
    ...(typeof text?.title === "string" && typeof text.body === "string"
      ? { issueText: { title: text.title, body: text.body } }
      : {}),
    // What `plan --ignore-file` kept from the model stays kept from it.
    ...(typeof wrapped.ignoreFile === "string" ? { ignoreFile: wrapped.ignoreFile } : {}),
  };
}

function printDiff(result: ApplyAndCheckResult): void {
  process.stdout.write(editDiff(result.written));
  process.stderr.write(`applied ${result.written.length} file change(s); every check passed\n`);
}

const csv = (value: string) =>
  value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      repo: { type: "string" },
      plan: { type: "string" },
      "issue-file": { type: "string" },
      title: { type: "string" },
      body: { type: "string" },
      "body-file": { type: "string" },
      "print-request": { type: "boolean", default: false },
      "allow-dirty": { type: "boolean", default: false },
      "ignore-file": { type: "string" },
      "check-command": { type: "string" },
      protected: { type: "string" },
      "amqp-url": { type: "string" },
      "model-file": { type: "string" },
      model: { type: "string" },
      "num-ctx": { type: "string" },
      "num-predict": { type: "string" },
      temperature: { type: "string" },
      thinking: { type: "string" },
      "signing-key": { type: "string" },
      "request-queue": { type: "string" },
      "timeout-minutes": { type: "string", default: "20" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
}
