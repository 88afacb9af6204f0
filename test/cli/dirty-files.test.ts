/**
 * What `apply` counts as work it must not write over: anything git could not give back.
 * Plan paths come from the model, so they are read literally, never as pathspec magic.
 */
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dirtyFiles } from "../../cli/dirty-files.js";

function repo(files: Record<string, string>): { dir: string; git: (...args: string[]) => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dirty-"));
  const git = (...args: string[]) => {
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      stdio: "ignore",
    });
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "init");
  return { dir, git };
}

describe("files of a plan that hold uncommitted work", () => {
  it("finds changed, untracked, ignored and hidden files, and nothing in a clean tree", () => {
    const { dir, git } = repo({
      ".gitignore": "*.local\n",
      "a.txt": "a\n",
      "b.txt": "b\n",
      "c.txt": "c\n",
      "d.txt": "d\n",
    });
    const plan = ["a.txt", "b.txt", "c.txt", "d.txt", "new.txt", "x.local"];
    expect(dirtyFiles(dir, plan)).toEqual([]);
    writeFileSync(path.join(dir, "a.txt"), "mine\n");
    writeFileSync(path.join(dir, "new.txt"), "untracked\n");
    writeFileSync(path.join(dir, "x.local"), "ignored, so git keeps no copy\n");
    git("update-index", "--skip-worktree", "b.txt");
    writeFileSync(path.join(dir, "b.txt"), "hidden from git status\n");
    git("update-index", "--assume-unchanged", "c.txt");
    writeFileSync(path.join(dir, "c.txt"), "hidden too\n");
    expect(dirtyFiles(dir, plan)).toEqual(["a.txt", "b.txt", "c.txt", "new.txt", "x.local"]);
  });

  it("reads the model's paths literally: no spelling of a path or pathspec magic hides a file", () => {
    const { dir } = repo({ "a.txt": "a\n", "[ab].txt": "x\n" });
    writeFileSync(path.join(dir, "a.txt"), "mine\n");
    expect(dirtyFiles(dir, ["a.txt/."])).toEqual(["a.txt"]);
    expect(dirtyFiles(dir, ["./a.txt"])).toEqual(["a.txt"]);
    expect(dirtyFiles(dir, [":!a.txt", "a.txt"])).toEqual(["a.txt"]);
    expect(dirtyFiles(dir, [":(bogus)x", "a.txt"])).toEqual(["a.txt"]);
    // A glob is a name: `[ab].txt` is that file, not a.txt.
    expect(dirtyFiles(dir, ["[ab].txt"])).toEqual([]);
  });

  it("has nothing to compare with outside a git checkout", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "plain-"));
    writeFileSync(path.join(dir, "a.txt"), "a\n");
    expect(dirtyFiles(dir, ["a.txt"])).toEqual([]);
  });
});
