import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { extractTree, isHeldOut, loadInstances } from "./instances.js";
import { byRepository } from "./repo-metrics.js";
import { disabledSignals, signalOn } from "../../../action/context/signal-switch.js";

describe("Loc-Bench sample and split", () => {
  const dir = mkdtempSync(join(tmpdir(), "loc-instances-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps at most `cap` issues per repository, the first ones in the file", () => {
    const line = (id: string, repo: string): string =>
      JSON.stringify({ instance_id: id, repo, base_commit: "c", title: "", body: "" });
    writeFileSync(
      join(dir, "locbench-dev.jsonl"),
      [line("a-1", "o/a"), line("a-2", "o/a"), line("b-1", "o/b"), line("a-3", "o/a"), ""].join(
        "\n",
      ),
    );
    const ids = loadInstances(dir, "loc", 2).map((inst) => inst.instance_id);
    expect(ids).toEqual(["a-1", "a-2", "b-1"]);
  });

  it("holds out whole repositories on Loc-Bench, single issues elsewhere", () => {
    const repos = Array.from({ length: 200 }, (_, i) => `owner/repo${i}`);
    for (const repo of repos) {
      const first = isHeldOut("loc", { id: `${repo}-1`, repo });
      for (let n = 2; n < 6; n++)
        expect(isHeldOut("loc", { id: `${repo}-${n}`, repo })).toBe(first);
    }
    const held = repos.filter((repo) => isHeldOut("loc", { id: "", repo })).length;
    expect(held).toBeGreaterThan(30);
    expect(held).toBeLessThan(70);
    const perIssue = new Set(
      Array.from({ length: 40 }, (_, n) => isHeldOut("lite", { id: `x-${n}`, repo: "o/x" })),
    );
    expect(perIssue).toEqual(new Set([true, false]));
  });
});

describe("base tree extraction", () => {
  const dir = mkdtempSync(join(tmpdir(), "loc-extract-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A new git repository in `work`, and a function that runs git there. */
  function newRepository(work: string): (...args: string[]) => string {
    mkdirSync(work);
    const git = (...args: string[]): string =>
      execFileSync("git", ["-C", work, "-c", "user.name=t", "-c", "user.email=t@t", ...args])
        .toString()
        .trim();
    git("init", "-q");
    return git;
  }

  it("writes every blob the mirror holds when one in the middle is missing", () => {
    const work = join(dir, "work");
    const git = newRepository(work);
    // `git archive` writes whole 10 KiB records: a 1 KiB header and nine 1 KiB entries
    // fill the first, so the archive cut at the missing blob is a valid tar of nine files.
    for (let i = 0; i < 9; i++) writeFileSync(join(work, `a${i}.py`), `file ${i}\n`);
    writeFileSync(join(work, "m.bin"), "left out of the snapshot\n");
    writeFileSync(join(work, "z.py"), "after the missing blob\n");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    // A snapshot without its largest blobs: delete one loose object.
    const missing = git("rev-parse", "HEAD:m.bin");
    rmSync(join(work, ".git", "objects", missing.slice(0, 2), missing.slice(2)));
    const tree = join(dir, "tree");
    expect(extractTree(join(work, ".git"), git("rev-parse", "HEAD"), tree, false)).toBe(true);
    expect(existsSync(join(tree, "a8.py"))).toBe(true);
    expect(existsSync(join(tree, "m.bin"))).toBe(false);
    expect(existsSync(join(tree, "z.py"))).toBe(true);
  });

  it("reuses a kept tree only while it is there and of the same commit", () => {
    const work = join(dir, "kept");
    const git = newRepository(work);
    writeFileSync(join(work, "a.py"), "first\n");
    git("add", ".");
    git("commit", "-q", "-m", "one");
    const first = git("rev-parse", "HEAD");
    writeFileSync(join(work, "b.py"), "second\n");
    git("add", ".");
    git("commit", "-q", "-m", "two");
    const second = git("rev-parse", "HEAD");
    const gitDir = join(work, ".git");
    const tree = join(dir, "kept-tree");

    expect(extractTree(gitDir, first, tree, true)).toBe(true);
    writeFileSync(join(tree, "scratch.txt"), "left by a run\n");
    // Kept and whole: reused as it is.
    expect(extractTree(gitDir, first, tree, true)).toBe(true);
    expect(existsSync(join(tree, "scratch.txt"))).toBe(true);
    // Another commit: extracted again.
    expect(extractTree(gitDir, second, tree, true)).toBe(true);
    expect(existsSync(join(tree, "b.py"))).toBe(true);
    expect(existsSync(join(tree, "scratch.txt"))).toBe(false);
    // Deleted by a run without --keep, its marker left behind: extracted again.
    rmSync(tree, { recursive: true, force: true });
    expect(extractTree(gitDir, second, tree, true)).toBe(true);
    expect(existsSync(join(tree, "a.py"))).toBe(true);
  });
});

describe("figures by repository", () => {
  it("counts each repository once, whatever its number of issues", () => {
    const hit = { gold: ["a.py"], ranked: ["a.py"] };
    const miss = { gold: ["a.py"], ranked: ["b.py"] };
    const figures = byRepository([
      { repo: "o/big", ...hit },
      { repo: "o/big", ...hit },
      { repo: "o/big", ...hit },
      { repo: "o/small", ...miss },
    ]);
    expect(figures).toEqual({ repos: 2, acc5: 50, acc10: 50 });
  });
});

describe("signal switch", () => {
  it("turns off only the signals named, and everything is on by default", () => {
    expect(signalOn("imports")).toBe(true);
    disabledSignals.add("imports");
    try {
      expect(signalOn("imports")).toBe(false);
      expect(signalOn("content")).toBe(true);
    } finally {
      disabledSignals.clear();
    }
  });
});
