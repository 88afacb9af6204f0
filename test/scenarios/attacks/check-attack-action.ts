/**
 * The Action's side of the check-command attack (check-command-sandbox.test.ts), run as a
 * process of its own so that its /proc/<pid>/environ holds the credentials a runner gives
 * the Action. Reads the job from argv[2] (JSON), applies the model's edits and runs the
 * check as the code mode does, and prints what would be posted: the result and the
 * failure report.
 *
 *   job.mode "applyAndCheck": the code mode's path (sandbox, or refusal without one).
 *   job.mode "unisolated": the opt-in path on a runner without a sandbox.
 */
import { applyAndCheck, type ApplyAndCheckResult } from "../../../action/edits/apply-and-check.js";
import { runCheckCommand } from "../../../action/edits/check-command.js";
import { failureReport } from "../../../action/edits/failure-report.js";
import type { FileEdit } from "../../../protocol/index.js";

interface Job {
  mode: "applyAndCheck" | "unisolated";
  root: string;
  edits: FileEdit[];
  checkCommand: string;
}

const job = JSON.parse(process.argv[2] ?? "{}") as Job;

async function main(): Promise<unknown> {
  if (job.mode === "applyAndCheck") {
    try {
      const result = await applyAndCheck(job.root, job.edits, {
        checkCommand: job.checkCommand,
        checkTimeoutMs: 60_000,
      });
      return {
        ok: result.ok,
        failedAt: result.failedAt,
        isolation: result.check?.isolation,
        output: result.check?.output ?? "",
        report: failureReport(result),
      };
    } catch (error) {
      const e = error as Error & { retry?: string };
      return { refused: `${e.message}\n${e.retry ?? ""}` };
    }
  }
  const check = await runCheckCommand({
    command: job.checkCommand,
    cwd: job.root,
    timeoutMs: 60_000,
    unisolated: true,
    sandbox: () => Promise.resolve({ ok: false, reason: "simulated runner without a sandbox" }),
    warn: () => undefined,
  });
  const result: ApplyAndCheckResult = {
    ok: check.ok,
    failedAt: check.ok ? undefined : "check",
    apply: { ok: true, changes: [], failures: [] },
    check,
    written: [],
  };
  return {
    ok: check.ok,
    isolation: check.isolation,
    output: check.output,
    report: failureReport(result),
  };
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
