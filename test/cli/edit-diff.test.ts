/**
 * The diff `apply` prints is a patch of exactly what it wrote: `git apply` of it onto the
 * files as they were gives the files as they are, empty files and deletions included.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FileChange } from "../../action/edits/apply-edits.js";
import { editDiff } from "../../cli/edit-diff.js";

const change = (p: string, before: string | undefined, after: string | undefined): FileChange => ({
  path: p,
  change: before === undefined ? "create" : after === undefined ? "delete" : "modify",
  before,
  after,
  hunks: [],
});

describe("the diff apply prints", () => {
  it("takes the files as they were to the files as written", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "edit-diff-"));
    const changes = [
      change("src/a.py", "x = 1\ny = 2\n", "x = 1\ny = 3\n"),
      change("no-newline.txt", "last", "last line"),
      change("crlf.txt", "a\r\nb\r\n", "a\r\nc\r\n"),
      change("new empty.txt", undefined, ""),
      change("new.py", undefined, "print(1)\n"),
      change("gone-empty.txt", "", undefined),
      change("gone.txt", "bye\n", undefined),
    ];
    execFileSync("mkdir", ["-p", path.join(dir, "src")]);
    for (const c of changes)
      if (c.before !== undefined) writeFileSync(path.join(dir, c.path), c.before);
    writeFileSync(path.join(dir, "patch.diff"), editDiff(changes));
    execFileSync("git", ["apply", "--unsafe-paths", "patch.diff"], { cwd: dir });
    for (const c of changes) {
      const file = path.join(dir, c.path);
      if (c.after === undefined) expect(existsSync(file)).toBe(false);
      else expect(readFileSync(file, "utf8")).toBe(c.after);
    }
  });
});
