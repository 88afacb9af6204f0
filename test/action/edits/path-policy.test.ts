import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkPath,
  checkPathInTree,
  matchesGlob,
  normalizeRepoPath,
} from "../../../action/edits/path-policy.js";

describe("normalizeRepoPath", () => {
  it.each([
    ["src/a.py", "src/a.py"],
    ["./src//a.py", "src/a.py"],
    ["src\\pkg\\a.py", "src/pkg/a.py"],
  ])("%s → %s", (raw, expected) => {
    expect(normalizeRepoPath(raw)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ["../etc/passwd", /contains "\.\."/],
    ["src/../../x", /contains "\.\."/],
    ["/etc/passwd", /absolute/],
    ["C:\\Windows\\x", /absolute/],
    ["~/.ssh/id_rsa", /absolute/],
    ["", /empty/],
    ["src/", /directory/],
    [".", /repository root/],
    ["a\u0000b", /control characters/],
  ])("refuses %j", (raw, message) => {
    const r = normalizeRepoPath(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe("checkPath", () => {
  it("refuses workflows by default and lets an allow glob lift it", () => {
    const refused = checkPath(".github/workflows/ci.yml");
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.message).toMatch(/protected \(matches "\.github\/workflows\/\*\*"\)/);
    expect(
      checkPath(".github/workflows/ci.yml", {
        protected: [".github/workflows/**"],
        allow: [".github/workflows/ci.yml"],
      }),
    ).toEqual({ ok: true, path: ".github/workflows/ci.yml" });
    expect(checkPath(".github/dependabot.yml").ok).toBe(true);
  });

  it("applies configured protected globs", () => {
    const policy = {
      protected: ["**/*.lock", "secrets/", "deploy/{prod,staging}.yaml"],
      allow: [],
    };
    expect(checkPath("a/b/yarn.lock", policy).ok).toBe(false);
    expect(checkPath("Cargo.lock", policy).ok).toBe(false);
    expect(checkPath("secrets/key.pem", policy).ok).toBe(false);
    expect(checkPath("deploy/prod.yaml", policy).ok).toBe(false);
    expect(checkPath("deploy/dev.yaml", policy).ok).toBe(true);
    expect(checkPath("src/lock.ts", policy).ok).toBe(true);
  });

  it("never lets anything touch .git, even when allowed", () => {
    const r = checkPath("sub/.git/hooks/pre-commit", { protected: [], allow: ["**"] });
    expect(r.ok).toBe(false);
  });
});

describe("matchesGlob", () => {
  it.each([
    ["a/b/c.py", "**/*.py", true],
    ["c.py", "**/*.py", true],
    ["a/c.py", "*.py", false],
    ["a/c.py", "a/?.py", true],
    [".github/workflows/x/y.yml", ".github/workflows/**", true],
  ])("%s ~ %s = %s", (path, glob, expected) => {
    expect(matchesGlob(path, glob)).toBe(expected);
  });
});

describe("checkPathInTree", () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "policy-repo-"));
    outside = await mkdtemp(join(tmpdir(), "policy-outside-"));
    await mkdir(join(root, "src"), { recursive: true });
    await mkdir(join(root, ".github/workflows"), { recursive: true });
    await writeFile(join(root, "src/a.py"), "x = 1\n");
    await writeFile(join(root, ".github/workflows/ci.yml"), "on: push\n");
    await writeFile(join(outside, "secret.txt"), "s\n");
    await symlink(outside, join(root, "escape"));
    await symlink(join(outside, "secret.txt"), join(root, "src/link.txt"));
    await symlink(join(root, "src"), join(root, "alias"));
    await symlink(join(root, ".github/workflows"), join(root, "wf"));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("accepts ordinary and new paths", async () => {
    await expect(checkPathInTree(root, "src/a.py")).resolves.toEqual({
      ok: true,
      path: "src/a.py",
    });
    await expect(checkPathInTree(root, "src/new/deep.py")).resolves.toEqual({
      ok: true,
      path: "src/new/deep.py",
    });
  });

  it("refuses to write through any symlink, even one that stays inside", async () => {
    const r = await checkPathInTree(root, "alias/a.py");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/goes through the symlink alias/);
  });

  it("refuses a directory symlink leading outside", async () => {
    const r = await checkPathInTree(root, "escape/secret.txt");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/goes through the symlink escape/);
    expect((await checkPathInTree(root, "escape/new.txt")).ok).toBe(false);
  });

  it("refuses creating through a dangling symlink, into .git/hooks or the workflows", async () => {
    await symlink(join(root, ".git-hooks-target/post-checkout"), join(root, "src/dangling.sh"));
    await symlink(join(root, ".github/workflows/new.yml"), join(root, "src/wf-new.yml"));
    for (const path of ["src/dangling.sh", "src/wf-new.yml"]) {
      const r = await checkPathInTree(root, path);
      expect([path, r.ok]).toEqual([path, false]);
    }
  });

  it("refuses .git in any spelling and protected paths in any case", async () => {
    for (const path of [".GIT/config", ".git./config", "GIT~1/config", "a/.Git/hooks/x"]) {
      const r = await checkPathInTree(root, path);
      expect([path, r.ok]).toEqual([path, false]);
    }
    expect((await checkPathInTree(root, ".GitHub/Workflows/ci.yml")).ok).toBe(false);
  });

  it("refuses a file symlink leading outside", async () => {
    expect((await checkPathInTree(root, "src/link.txt")).ok).toBe(false);
  });

  it("refuses a symlink into a protected directory", async () => {
    const r = await checkPathInTree(root, "wf/ci.yml");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/goes through the symlink wf/);
  });

  it("refuses a directory as a file", async () => {
    expect((await checkPathInTree(root, "src")).ok).toBe(false);
  });
});
