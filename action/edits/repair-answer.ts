/**
 * The edit set a repair round leaves to apply. The repair prompt asks for the complete
 * corrected set, but a model told that one file failed often sends that file alone: the
 * first answer's edits of the other files, which applied cleanly, would silently drop out
 * of the commit, half of an approved plan gone while the run reports success. They are
 * kept; a file the repair answer edits again takes the repair's edits only.
 */
import type { EditSet } from "../../protocol/index.js";
import type { ApplyAndCheckResult } from "./apply-and-check.js";
import { normalizeRepoPath } from "./path-policy.js";

export function repairedEditSet(
  first: EditSet,
  firstResult: ApplyAndCheckResult,
  repair: EditSet,
): { edits: EditSet; kept: string[] } {
  const key = (path: string): string => {
    const normal = normalizeRepoPath(path);
    return normal.ok ? normal.path : path;
  };
  const answered = new Set(repair.edits.map((edit) => key(edit.path)));
  // What failed in the first round is what the repair was asked to redo.
  const failed = new Set([
    ...firstResult.apply.failures.map((failure) => key(failure.path)),
    ...(firstResult.syntax?.files ?? [])
      .filter((file) => file.status === "failed")
      .map((file) => key(file.path)),
  ]);
  const carried = first.edits.filter(
    (edit) => !answered.has(key(edit.path)) && !failed.has(key(edit.path)),
  );
  return {
    edits: { ...repair, edits: [...carried, ...repair.edits] },
    kept: [...new Set(carried.map((edit) => key(edit.path)))],
  };
}
