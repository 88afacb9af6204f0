import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { recoverFix } from "./locbench-fixes.js";
import type { Instance } from "../localization/instances.js";

describe("recovering a Loc-Bench fix from history", () => {
  const dir = mkdtempSync(join(tmpdir(), "locbench-fixes-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" }).trim();
  const commit = (message: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message);
    return git("rev-parse", "HEAD");
  };
  const row = (id: string, base: string, gold: string[]): Instance => ({
    instance_id: id,
    repo: "o/r",
    base_commit: base,
    title: "",
    body: "",
    gold_files: gold,
    gold_new_files: [],
  });
  let base = "";

  beforeAll(() => {
    git("init", "-q");
    base = commit("start", {
      "calc.py": "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n",
      "notes.md": "# Notes\n",
    });
    commit("Tidy notes (#420)", {
      "notes.md": "# Notes\n\nMore.\n",
      "calc.py": "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n# 420\n",
    });
    commit("Fix add's sign (#42)", {
      "calc.py": "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n# 420\n",
      "notes.md": "# Notes\n\nMore.\n\nadd fixed.\n",
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("takes the commit naming the number, limited to the gold files", () => {
    const found = recoverFix(join(dir, ".git"), row("o__r-42", base, ["calc.py"]));
    expect(found).toHaveProperty("patch");
    const patch = (found as { patch: string }).patch;
    expect(patch).toContain("-    return a - b");
    expect(patch).toContain("+    return a + b");
    expect(patch).not.toContain("notes.md");
    expect(patch).not.toContain("+# 420");
  });

  it("does not take #420 for #42, nor a number no commit names", () => {
    expect(recoverFix(join(dir, ".git"), row("o__r-4", base, ["calc.py"]))).toEqual({
      why: "no commit names it",
    });
  });

  it("refuses a fix whose pre-image is not in the base commit's file", () => {
    // #42's change to notes.md follows a line ("More.") that the base did not have yet.
    expect(recoverFix(join(dir, ".git"), row("o__r-42", base, ["notes.md"]))).toEqual({
      why: "no fix fits the base",
    });
  });

  it("needs every gold file changed by the same commit", () => {
    expect(
      recoverFix(join(dir, ".git"), row("o__r-420", base, ["calc.py", "notes.md"])),
    ).toHaveProperty("patch");
    expect(recoverFix(join(dir, ".git"), row("o__r-42", base, ["calc.py", "missing.py"]))).toEqual({
      why: "no fix fits the base",
    });
  });
});
