import { chmod, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FileEdit } from "../../protocol/index.js";
import {
  applyEdits,
  treeReader,
  writeChanges,
  type ApplyResult,
  type FileChange,
  type PlanScope,
} from "./apply-edits.js";
import { runCheckCommand, type CheckCommandResult } from "./check-command.js";
import { checkPathInTree, DEFAULT_POLICY, type PathPolicy } from "./path-policy.js";
import { syntaxGate, type GateResult } from "./syntax-gate.js";

export interface ApplyAndCheckOptions {
  policy?: PathPolicy;
  /** The approved plan's files: edits elsewhere, or of another kind, are refused. */
  scope?: PlanScope;
  /** The paths the context could show; other existing files are refused (./apply-edits.ts). */
  shown?: ReadonlySet<string>;
  /** The `check-command` input; omitted or empty: no command is run. */
  checkCommand?: string;
  checkTimeoutMs?: number;
  checkEnv?: NodeJS.ProcessEnv;
  /**
   * The `check-command-unisolated` input: where the runner offers no sandbox for the
   * check command, run it anyway instead of refusing (./check-command.ts).
   */
  checkUnisolated?: boolean;
  /** Where the warning of an unisolated check goes (./check-command.ts's `warn`). */
  checkWarn?: (message: string, reason: string) => void;
}

/** Which stage stopped the edits, if any. */
export type EditStage = "apply" | "syntax" | "check";

export interface ApplyAndCheckResult {
  ok: boolean;
  failedAt?: EditStage;
  apply: ApplyResult;
  syntax?: GateResult;
  check?: CheckCommandResult;
  /** The changes left in the working tree (empty unless ok). */
  written: FileChange[];
}

/**
 * The whole acting step for one edit set against the checkout at `root`: apply in memory
 * (paths checked through symlinks), syntax-check every changed file, write the files, run
 * the optional check command, and restore the files if the command fails. The tree is
 * changed only when everything passed, so a failure leaves nothing to commit.
 */
export async function applyAndCheck(
  root: string,
  edits: readonly FileEdit[],
  options: ApplyAndCheckOptions = {},
): Promise<ApplyAndCheckResult> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const apply = await applyEdits(edits, treeReader(root), {
    policy,
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.shown ? { shown: options.shown } : {}),
    checkPath: (raw) => checkPathInTree(root, raw, policy),
  });
  if (!apply.ok) return { ok: false, failedAt: "apply", apply, written: [] };

  const syntax = await syntaxGate(apply.changes);
  if (!syntax.ok) return { ok: false, failedAt: "syntax", apply, syntax, written: [] };

  // A file the edits delete comes back with its mode if the check fails (a script
  // restored without its executable bit would leave the tree changed after all).
  const deletedModes = await modesOf(
    root,
    apply.changes.filter((c) => c.after === undefined && c.before !== undefined),
  );
  await writeChanges(root, apply.changes);
  const command = options.checkCommand?.trim();
  if (!command) return { ok: true, apply, syntax, written: apply.changes };

  let check: CheckCommandResult;
  try {
    check = await runCheckCommand({
      command,
      cwd: root,
      timeoutMs: options.checkTimeoutMs ?? 10 * 60 * 1000,
      ...(options.checkEnv ? { env: options.checkEnv } : {}),
      unisolated: options.checkUnisolated ?? false,
      ...(options.checkWarn ? { warn: options.checkWarn } : {}),
    });
  } catch (error) {
    // Refused (no sandbox) or could not start: nothing was checked, so nothing stays.
    await restore(root, apply.changes, deletedModes);
    throw error;
  }
  if (check.ok) return { ok: true, apply, syntax, check, written: apply.changes };
  await restore(root, apply.changes, deletedModes);
  return { ok: false, failedAt: "check", apply, syntax, check, written: [] };
}

/** Puts the tree back as it was before `changes`, modes of deleted files included. */
async function restore(
  root: string,
  changes: readonly FileChange[],
  deletedModes: ReadonlyMap<string, number>,
): Promise<void> {
  await writeChanges(root, changes.map(reverse));
  for (const [path, mode] of deletedModes) await chmod(join(root, path), mode);
}

async function modesOf(root: string, changes: readonly FileChange[]): Promise<Map<string, number>> {
  const modes = new Map<string, number>();
  for (const change of changes) modes.set(change.path, (await stat(join(root, change.path))).mode);
  return modes;
}

function reverse(change: FileChange): FileChange {
  return { ...change, before: change.after, after: change.before };
}
