/**
 * The checkout the Action makes when the workspace has none: a shallow fetch from the
 * (emulated) GitHub with the token, which must never appear on a git command line, where
 * every user of the machine can read it (`ps`, `/proc/<pid>/cmdline`).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureCheckout, withAuthHeader } from "../../action/checkout.js";
import { startGitHubEmulator, type GitHubEmulator } from "../support/github/emulator.js";

let github: GitHubEmulator;
let scratch: string;
let argvLog: string;
const savedPath = process.env.PATH;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "checkout-test-"));
  const seed = path.join(scratch, "seed");
  await mkdir(path.join(seed, "lib"), { recursive: true });
  await writeFile(path.join(seed, "lib", "a.py"), "print('a')\n");
  github = await startGitHubEmulator({ repos: [{ owner: "octo", name: "py", directory: seed }] });
  // A `git` first on PATH that writes down every command line it is given, then runs
  // the real git: what `ps` would have shown during the run.
  const bin = path.join(scratch, "bin");
  await mkdir(bin);
  argvLog = path.join(scratch, "argv.log");
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  await writeFile(
    path.join(bin, "git"),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${realGit}' "$@"\n`,
  );
  await chmod(path.join(bin, "git"), 0o755);
  process.env.PATH = `${bin}${path.delimiter}${savedPath ?? ""}`;
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await github.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("ensureCheckout", () => {
  it("clones with the token while no command line carries it", async () => {
    const workspace = path.join(scratch, "workspace");
    const checkout = await ensureCheckout({
      workspace,
      serverUrl: github.serverUrl,
      owner: "octo",
      repo: "py",
      ref: "main",
      token: github.token,
      log: () => undefined,
    });
    expect(checkout.cloned).toBe(true);
    expect(await readFile(path.join(workspace, "lib", "a.py"), "utf8")).toBe("print('a')\n");
    const commandLines = await readFile(argvLog, "utf8");
    expect(commandLines).toMatch(/fetch --depth=1/);
    const encoded = Buffer.from(`x-access-token:${github.token}`).toString("base64");
    expect(commandLines).not.toContain(github.token);
    expect(commandLines).not.toContain(encoded);
    expect(commandLines).not.toMatch(/extraheader/i);
    // Nor does the clone keep it.
    expect(await readFile(path.join(workspace, ".git", "config"), "utf8")).not.toContain(encoded);
  });
});

describe("withAuthHeader", () => {
  it("adds the header after settings already given through the environment", () => {
    const env = withAuthHeader(
      { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "core.a", GIT_CONFIG_VALUE_0: "x" },
      "t0k",
    );
    expect(env.GIT_CONFIG_COUNT).toBe("2");
    expect(env.GIT_CONFIG_KEY_0).toBe("core.a");
    expect(env.GIT_CONFIG_KEY_1).toBe("http.extraheader");
    expect(env.GIT_CONFIG_VALUE_1).toContain(Buffer.from("x-access-token:t0k").toString("base64"));
  });
});
