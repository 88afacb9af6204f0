/**
 * What `apply` changed, as a unified diff made from each file's contents before and after
 * the edits: only the model's changes, whether or not the directory is a git checkout and
 * whatever else in it is uncommitted. (jsdiff makes the hunks: a Myers diff with context
 * is easy to get subtly wrong by hand.) Each file opens with git's extended header, so
 * that `git apply` also creates or deletes a file that is empty.
 */
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";
import type { FileChange } from "../action/edits/apply-edits.js";

export function editDiff(changes: readonly FileChange[]): string {
  return changes
    .map((change) => {
      const created = change.before === undefined;
      const deleted = change.after === undefined;
      const header = [
        `diff --git a/${change.path} b/${change.path}`,
        ...(created ? ["new file mode 100644"] : deleted ? ["deleted file mode 100644"] : []),
      ];
      const body = createTwoFilesPatch(
        created ? "/dev/null" : `a/${change.path}`,
        deleted ? "/dev/null" : `b/${change.path}`,
        change.before ?? "",
        change.after ?? "",
        undefined,
        undefined,
        { context: 3, headerOptions: FILE_HEADERS_ONLY },
      );
      // An empty file created or deleted has no hunk: git's header alone says it.
      const hasHunk = body.includes("\n@@ ");
      return `${header.join("\n")}\n${hasHunk ? body : ""}`;
    })
    .join("");
}
