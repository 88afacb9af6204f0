import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectRepositoryFiles, listRepositoryFiles } from "../../../action/context/list-files.js";
import { exclusionReason } from "../../../action/context/file-filters.js";
import { reposPerTest } from "./fixture-repo.js";

const { repo, afterThis } = reposPerTest();

describe("exclusionReason", () => {
  it("keeps likely secrets, binaries, lock files and generated files out", () => {
    expect(exclusionReason(".env")).toBe("secret");
    expect(exclusionReason("config/.env.production")).toBe("secret");
    expect(exclusionReason("certs/server.pem")).toBe("secret");
    expect(exclusionReason("deploy/id_rsa")).toBe("secret");
    expect(exclusionReason("aws/credentials")).toBe("secret");
    expect(exclusionReason("img/logo.png")).toBe("binary");
    expect(exclusionReason("package-lock.json")).toBe("lock file");
    expect(exclusionReason(".github/issue-agent/issue-3/plan.md")).toBe("the agent's plan record");
    expect(exclusionReason(".github/workflows/ci.yml")).toBeUndefined();
    expect(exclusionReason("web/app.min.js")).toBe("generated");
    expect(exclusionReason("node_modules/x/index.js")).toBe("dependency folder");
    expect(exclusionReason(".env.example")).toBeUndefined();
    expect(exclusionReason("src/keyboard.ts")).toBeUndefined();
  });
});

describe("vendor directories a package manager filled", () => {
  it("are dependency folders when Go's or Composer's own files say so, and the project's own code otherwise", async () => {
    const r = repo({
      "core/go.mod": "module example.com/core\n",
      "core/main.go": "package main\n",
      "core/vendor/modules.txt": "# github.com/pkg/errors v0.9.1\n",
      "core/vendor/github.com/pkg/errors/errors.go": "package errors\n",
      "web/vendor/autoload.php": "<?php\n",
      "web/vendor/composer/installed.json": "{}\n",
      "web/vendor/monolog/monolog/src/Logger.php": "<?php class Logger {}\n",
      // Composer's vendor-dir under another name.
      "app/libs/autoload.php": "<?php\n",
      "app/libs/composer/installed.json": "{}\n",
      "app/libs/guzzle/src/Client.php": "<?php class Client {}\n",
      // No package manager's files: directories the project itself calls vendor.
      "vendor/ours.py": "x = 1\n",
      "site/vendor/autoload.php": "<?php spl_autoload_register(fn () => null);\n",
      // A manifest's name outside a vendor directory means nothing.
      "docs/modules.txt": "notes\n",
    });
    const { paths, excluded } = await collectRepositoryFiles(r.dir);
    expect(paths).toEqual([
      "core/go.mod",
      "core/main.go",
      "docs/modules.txt",
      "site/vendor/autoload.php",
      "vendor/ours.py",
    ]);
    expect(excluded).toEqual(
      expect.arrayContaining([
        { path: "core/vendor/modules.txt", reason: "dependency folder" },
        { path: "core/vendor/github.com/pkg/errors/errors.go", reason: "dependency folder" },
        { path: "web/vendor/autoload.php", reason: "dependency folder" },
        { path: "web/vendor/monolog/monolog/src/Logger.php", reason: "dependency folder" },
        { path: "app/libs/guzzle/src/Client.php", reason: "dependency folder" },
      ]),
    );
  });
});

describe("listRepositoryFiles (walk)", () => {
  it("honours nested .gitignore files and the ignore file, and never lists secrets", async () => {
    const r = repo({
      ".gitignore": "build/\n*.log\n",
      "src/app.py": "x = 1\n",
      "src/.gitignore": "generated_*.py\n",
      "src/generated_table.py": "t = 1\n",
      "build/out.py": "y = 2\n",
      "debug.log": "log\n",
      ".env": "TOKEN=secret\n",
      "keys/deploy.pem": "-----BEGIN PRIVATE KEY-----\n",
      "private/notes.py": "z = 3\n",
      ".ai-agent-ignore": "private/\n",
    });
    const { paths, excluded } = await collectRepositoryFiles(r.dir);
    expect(paths).toEqual([".ai-agent-ignore", ".gitignore", "src/.gitignore", "src/app.py"]);
    expect(excluded).toEqual(
      expect.arrayContaining([
        { path: ".env", reason: "secret" },
        { path: "keys/deploy.pem", reason: "secret" },
        { path: "private/notes.py", reason: "listed in the ignore file" },
      ]),
    );
  });

  it("does not follow a symlink that leads out of the repository", async () => {
    const outside = mkdtempSync(join(tmpdir(), "ctx-outside-"));
    afterThis(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, "stolen.py"), "SECRET = 'x'\n");
    mkdirSync(join(outside, "dir"));
    writeFileSync(join(outside, "dir", "more.py"), "y = 1\n");
    const r = repo({ "src/app.py": "x = 1\n" });
    symlinkSync(join(outside, "stolen.py"), join(r.dir, "src", "link.py"));
    symlinkSync(join(outside, "dir"), join(r.dir, "linked-dir"));
    const { paths, excluded } = await collectRepositoryFiles(r.dir);
    expect(paths).toEqual(["src/app.py"]);
    expect(excluded).toContainEqual({ path: "src/link.py", reason: "symlink (not followed)" });
    expect(excluded.map((e) => e.path)).not.toContain("linked-dir/more.py");
  });
});

describe("the project ignore file", () => {
  it("is read where the whole workspace lies behind a link (a runner's work folder on another disk)", async () => {
    const r = repo({
      "src/app.py": "x = 1\n",
      "private/notes.py": "y = 2\n",
      ".ai-agent-ignore": "private/\n",
    });
    const parent = mkdtempSync(join(tmpdir(), "ctx-linked-"));
    afterThis(() => rmSync(parent, { recursive: true, force: true }));
    symlinkSync(r.dir, join(parent, "work"));
    const { paths } = await collectRepositoryFiles(join(parent, "work"));
    expect(paths).toEqual([".ai-agent-ignore", "src/app.py"]);
  });

  it("is read through a link to another file of the repository", async () => {
    const r = repo({
      "src/app.py": "x = 1\n",
      "private/notes.py": "y = 2\n",
      "config/agent-ignore": "private/\n",
    });
    symlinkSync("config/agent-ignore", join(r.dir, ".ai-agent-ignore"));
    const { paths } = await collectRepositoryFiles(r.dir);
    expect(paths).toEqual(["config/agent-ignore", "src/app.py"]);
  });

  it("is refused, not read nor skipped, when a link or the setting leads out of the repository", async () => {
    const outside = mkdtempSync(join(tmpdir(), "ctx-outside-"));
    afterThis(() => rmSync(outside, { recursive: true, force: true }));
    // Reading it would apply patterns from anywhere on the runner; skipping it would
    // send what the maintainer meant to keep out.
    writeFileSync(join(outside, "patterns"), "src/\n");
    const r = repo({ "src/app.py": "x = 1\n" });
    symlinkSync(join(outside, "patterns"), join(r.dir, ".ai-agent-ignore"));
    await expect(collectRepositoryFiles(r.dir)).rejects.toThrow(
      /ignore file ".ai-agent-ignore" resolves outside the repository \(a symlink pointing out of it\)/,
    );
    await expect(
      collectRepositoryFiles(r.dir, {
        ignoreFile: join("..", outside.split("/").pop()!, "patterns"),
      }),
    ).rejects.toThrow(/resolves outside the repository \(a path outside it\)/);
    // A folder on the way that leads out counts as much as the file itself.
    const viaFolder = repo({ "src/app.py": "x = 1\n" });
    symlinkSync(outside, join(viaFolder.dir, "config"));
    await expect(
      collectRepositoryFiles(viaFolder.dir, { ignoreFile: "config/patterns" }),
    ).rejects.toThrow(/resolves outside the repository \(a symlink pointing out of it\)/);
    const dangling = repo({ "src/app.py": "x = 1\n" });
    symlinkSync(join(outside, "gone"), join(dangling.dir, ".ai-agent-ignore"));
    await expect(collectRepositoryFiles(dangling.dir)).rejects.toThrow(/is a symlink to nothing/);
  });

  it("is refused when named on purpose and missing, so that a misspelt name hides nothing", async () => {
    const r = repo({ "src/app.py": "x = 1\n", "secrets/notes.md": "x\n" });
    await expect(collectRepositoryFiles(r.dir, { ignoreFile: ".ai-agnet-ignore" })).rejects.toThrow(
      /ignore file `.ai-agnet-ignore` does not exist in the repository.*the workflow's `ignore-file` input/,
    );
    // The default file is optional.
    await expect(collectRepositoryFiles(r.dir)).resolves.toMatchObject({
      paths: expect.arrayContaining(["src/app.py"]),
    });
  });
});

describe("listRepositoryFiles (git)", () => {
  it("lists what git tracks plus untracked files not ignored", async () => {
    const r = repo({
      ".gitignore": "*.tmp\n",
      "tracked.py": "a = 1\n",
      "scratch.tmp": "junk\n",
    });
    const git = (...args: string[]): void => {
      execFileSync("git", ["-C", r.dir, ...args], { stdio: "ignore" });
    };
    git("init", "-q");
    git("add", ".gitignore", "tracked.py");
    r.write("untracked.py", "b = 2\n");
    r.write("forced.tmp", "x\n");
    git("add", "-f", "forced.tmp");
    const paths = await listRepositoryFiles(r.dir);
    expect(paths).toEqual([".gitignore", "forced.tmp", "tracked.py", "untracked.py"]);
  });
});
