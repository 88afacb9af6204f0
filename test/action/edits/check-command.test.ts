import { describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkEnvironment, runCheckCommand } from "../../../action/edits/check-command.js";

describe("runCheckCommand", () => {
  it("reports success, output and the working directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "check-"));
    try {
      const r = await runCheckCommand({
        command: "pwd; echo err >&2",
        cwd: dir,
        timeoutMs: 20_000,
      });
      expect(r.ok).toBe(true);
      expect(r.exitCode).toBe(0);
      expect(r.output).toContain(dir);
      expect(r.output).toContain("err");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports failure with the exit code", async () => {
    const r = await runCheckCommand({
      command: "echo lint failed; exit 3",
      cwd: tmpdir(),
      timeoutMs: 20_000,
    });
    expect(r).toMatchObject({ ok: false, exitCode: 3, timedOut: false });
    expect(r.output).toContain("lint failed");
  });

  it("kills the whole process group on timeout", async () => {
    const dir = await mkdtemp(join(tmpdir(), "check-"));
    try {
      // A background grandchild that would write a file later if it survived the kill,
      // and a shell that ignores SIGTERM.
      const r = await runCheckCommand({
        command: `trap '' TERM; (sleep 3; echo alive > ${join(dir, "survivor")}) & echo started; sleep 30`,
        cwd: dir,
        timeoutMs: 300,
        killGraceMs: 200,
      });
      expect(r.timedOut).toBe(true);
      expect(r.ok).toBe(false);
      expect(r.output).toContain("started");
      expect(r.output).toContain("timed out after 300 ms");
      await new Promise((resolve) => setTimeout(resolve, 3500));
      await expect(readFile(join(dir, "survivor"), "utf8")).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("bounds the output, keeping head and tail", async () => {
    const r = await runCheckCommand({
      command: "echo FIRST; head -c 200000 /dev/zero | tr '\\0' x; echo; echo LAST",
      cwd: tmpdir(),
      timeoutMs: 20_000,
      maxOutputBytes: 1000,
    });
    expect(r.ok).toBe(true);
    expect(r.output.startsWith("FIRST")).toBe(true);
    expect(r.output.trimEnd().endsWith("LAST")).toBe(true);
    expect(r.omittedBytes).toBeGreaterThan(190_000);
    expect(r.output.length).toBeLessThan(1200);
  });

  it("keeps credentials out of the command's environment", async () => {
    const env = checkEnvironment({
      PATH: process.env.PATH,
      HOME: "/home/runner",
      CI: "true",
      GITHUB_TOKEN: "ghs_secret",
      "INPUT_GITHUB-TOKEN": "ghs_secret",
      INPUT_AMQP_URL: "amqp://u:p@h",
      ACTIONS_RUNTIME_TOKEN: "rt",
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://x",
      NPM_AUTH: "a",
      MY_API_KEY: "k",
      GITHUB_REPOSITORY: "o/r",
    });
    expect(Object.keys(env).sort()).toEqual(["CI", "GITHUB_REPOSITORY", "HOME", "PATH"]);
    const r = await runCheckCommand({ command: "env", cwd: tmpdir(), timeoutMs: 20_000, env });
    expect(r.output).not.toContain("ghs_secret");
  });

  it("filters the runner's environment by default", async () => {
    process.env.INPUT_TOKEN_FOR_TEST = "ghs_default_secret";
    try {
      const r = await runCheckCommand({ command: "env", cwd: tmpdir(), timeoutMs: 20_000 });
      expect(r.output).toContain("PATH=");
      expect(r.output).not.toContain("ghs_default_secret");
    } finally {
      delete process.env.INPUT_TOKEN_FOR_TEST;
    }
  });
});
