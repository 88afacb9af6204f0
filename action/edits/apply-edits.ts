import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FileEdit } from "../../protocol/index.js";
import { applyHunk, type MatchLevel } from "./hunk-match.js";
import { NotUtf8Error, readUtf8File } from "./utf8-text.js";
import {
  checkPath,
  checkPathInTree,
  DEFAULT_POLICY,
  normalizeRepoPath,
  type PathCheck,
  type PathPolicy,
} from "./path-policy.js";

/** Reads a file's current text by repository path; `undefined` when it does not exist. */
export type ReadFile = (path: string) => Promise<string | undefined>;

/** The outcome for one file, with its text before and after (undefined: absent). */
export interface FileChange {
  path: string;
  change: FileEdit["change"];
  before: string | undefined;
  after: string | undefined;
  /** How each hunk matched, in order (modify only). */
  hunks: { index: number; level: MatchLevel; line: number }[];
}

/** One refusal, already phrased for a person or for the model's repair round. */
export interface EditFailure {
  path: string;
  /** 1-based hunk number, when the failure belongs to one hunk. */
  hunk?: number;
  message: string;
}

export interface ApplyResult {
  ok: boolean;
  /** Net change per path, in first-touched order (several edits of one path are merged). */
  changes: FileChange[];
  failures: EditFailure[];
}

export interface ApplyOptions {
  policy?: PathPolicy;
  /** Overrides the path check (the tree variant adds symlink resolution). */
  checkPath?: (raw: string) => Promise<PathCheck>;
  /**
   * The approved plan's files and their change: an edit to any other path, or of another
   * kind (creating a file the plan says to modify, say), is refused. Absent: no limit.
   */
  scope?: PlanScope;
  /**
   * The paths the context could show the model. An existing file outside it (a secret
   * file, one in the ignore file) is refused whatever the plan says: it is never changed,
   * and nothing of it goes into a message. Absent: no limit.
   */
  shown?: ReadonlySet<string>;
}

/** Normalised repository path → the change the plan states for it. */
export type PlanScope = ReadonlyMap<string, FileEdit["change"]>;

/** The scope of a plan's file list. */
export function planScope(
  files: readonly { path: string; change: FileEdit["change"] }[],
): PlanScope {
  const scope = new Map<string, FileEdit["change"]>();
  for (const file of files) {
    const normal = normalizeRepoPath(file.path);
    if (normal.ok) scope.set(normal.path, file.change);
  }
  return scope;
}

/**
 * Applies edits to file texts obtained through `read`, in memory. Every edit is attempted
 * so that one answer lists every problem; the result is `ok` only when all succeeded.
 * Several edits of the same path apply in order, each to the previous one's output.
 */
export async function applyEdits(
  edits: readonly FileEdit[],
  read: ReadFile,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const check = options.checkPath ?? ((raw: string) => Promise.resolve(checkPath(raw, policy)));
  const state = new Map<string, FileChange>();
  const failures: EditFailure[] = [];

  for (const edit of edits) {
    const checked = await check(edit.path);
    if (!checked.ok) {
      failures.push({ path: edit.path, message: `${edit.path}: ${checked.message}` });
      continue;
    }
    const path = checked.path;
    const planned = options.scope?.get(path);
    if (options.scope !== undefined && planned !== edit.change) {
      failures.push({
        path,
        message:
          planned === undefined
            ? `${path}: not among the plan's files; edits may only touch ${[...options.scope.keys()].join(", ") || "nothing"}`
            : `${path}: the plan says to ${planned} this file, not to ${edit.change} it`,
      });
      continue;
    }
    let entry = state.get(path);
    if (entry === undefined) {
      let before: string | undefined;
      try {
        before = await read(path);
      } catch (error) {
        if (!(error instanceof NotUtf8Error)) throw error;
        failures.push(fail(path, error.message));
        continue;
      }
      if (before !== undefined && options.shown !== undefined && !options.shown.has(path)) {
        failures.push(
          fail(
            path,
            "kept from the model like any context file (secret, ignored, binary or in a dependency folder)",
          ),
        );
        continue;
      }
      entry = { path, change: edit.change, before, after: before, hunks: [] };
      state.set(path, entry);
    }
    failures.push(...applyOne(entry, edit, path));
  }

  const changes = [...state.values()].map(settleChange);
  return { ok: failures.length === 0, changes, failures };
}

/** An in-memory {@link ReadFile} over a path → text map. */
export function memoryReader(
  files: ReadonlyMap<string, string> | Record<string, string>,
): ReadFile {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return (path) => Promise.resolve(map.get(path));
}

/**
 * Applies edits to the working tree at `root`: paths are checked through symlinks, and
 * files are written (created, replaced, deleted) only when every edit applied, so a
 * refused set leaves the tree untouched.
 */
export async function applyEditsToTree(
  root: string,
  edits: readonly FileEdit[],
  options: { policy?: PathPolicy } = {},
): Promise<ApplyResult> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const result = await applyEdits(edits, treeReader(root), {
    policy,
    checkPath: (raw) => checkPathInTree(root, raw, policy),
  });
  if (!result.ok) return result;
  await writeChanges(root, result.changes);
  return result;
}

/** A {@link ReadFile} over the working tree at `root` (paths already checked). */
export function treeReader(root: string): ReadFile {
  return (path) => readUtf8File(join(root, path));
}

/** Writes settled changes into the tree at `root`. */
export async function writeChanges(root: string, changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) {
    const target = join(root, change.path);
    if (change.after === undefined) {
      if (change.before !== undefined) await rm(target, { force: true });
    } else if (change.after !== change.before) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, change.after, "utf8");
    }
  }
}

function applyOne(entry: FileChange, edit: FileEdit, path: string): EditFailure[] {
  const exists = entry.after !== undefined;
  switch (edit.change) {
    case "create":
      if (exists) {
        return [
          fail(path, `create of an existing file; send "modify" with search/replace hunks instead`),
        ];
      }
      if (edit.content === undefined)
        return [fail(path, `create without "content"; give the whole new file`)];
      entry.after = edit.content;
      return [];
    case "delete":
      if (!exists) return [fail(path, "delete of a file that does not exist")];
      entry.after = undefined;
      return [];
    case "modify":
      return modify(entry, edit, path);
  }
}

function modify(entry: FileChange, edit: FileEdit, path: string): EditFailure[] {
  if (entry.after === undefined) {
    return [
      fail(
        path,
        `modify of a file that does not exist; send "create" with the whole content instead`,
      ),
    ];
  }
  if (edit.hunks.length === 0) return [fail(path, "modify without hunks; nothing to change")];
  if (entry.after.includes("\u0000"))
    return [fail(path, "modify of a binary file is not supported")];
  const failures: EditFailure[] = [];
  let text = entry.after;
  edit.hunks.forEach((hunk, i) => {
    const outcome = applyHunk(text, hunk);
    if (outcome.ok) {
      text = outcome.text;
      entry.hunks.push({ index: entry.hunks.length, level: outcome.level, line: outcome.line });
    } else {
      failures.push({
        path,
        hunk: i + 1,
        message: `hunk ${i + 1} of ${path}: ${outcome.message}`,
      });
    }
  });
  entry.after = text;
  return failures;
}

/** The net change of a path after all its edits (a create then delete is no change). */
function settleChange(entry: FileChange): FileChange {
  const change: FileEdit["change"] =
    entry.before === undefined ? "create" : entry.after === undefined ? "delete" : "modify";
  return { ...entry, change };
}

function fail(path: string, message: string): EditFailure {
  return { path, message: `${path}: ${message}` };
}
