/**
 * What `apply` changed, as a unified diff made from each file's contents before and after
 * the edits: only the model's changes, whether or not the directory is a git checkout and
 * whatever else in it is uncommitted. (jsdiff makes the hunks: a Myers diff with context
 * is easy to get subtly wrong by hand.)
 */
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";
import type { FileChange } from "../action/edits/apply-edits.js";

export function editDiff(changes: readonly FileChange[]): string {
  return changes
    .map((change) =>
      createTwoFilesPatch(
        change.before === undefined ? "/dev/null" : `a/${change.path}`,
        change.after === undefined ? "/dev/null" : `b/${change.path}`,
        change.before ?? "",
        change.after ?? "",
        undefined,
        undefined,
        { context: 3, headerOptions: FILE_HEADERS_ONLY },
      ),
    )
    .join("");
}
