import { afterEach, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkEnvironment,
  ensureCheckCanRun,
  knownSecrets,
  runCheckCommand,
  type CheckCommandOptions,
} from "../../../action/edits/check-command.js";
import { detectSandbox } from "../../../action/edits/sandbox.js";
import { ActionFailure } from "../../../action/failure.js";

const capability = await detectSandbox();
/** Tests of the sandbox itself; elsewhere (no root or sudo, no namespaces) they are skipped. */
const itSandboxed = capability.ok ? it : it.skip;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tree(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "check-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** Sandboxed where the machine allows it, unisolated (quietly) elsewhere. */
function run(options: Partial<CheckCommandOptions> & { command: string; cwd: string }) {
  return runCheckCommand({
    timeoutMs: 20_000,
    unisolated: true,
    warn: () => undefined,
    ...options,
  });
}

/** Processes whose command line contains `needle`. */
function processesWith(needle: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("runCheckCommand", () => {
  it("runs in a copy of the tree and reports success and output", async () => {
    const dir = await tree({ "app/calc.py": "X = 1\n" });
    const r = await run({ command: "pwd; cat app/calc.py; echo err >&2", cwd: dir });
    expect(r.ok).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("X = 1");
    expect(r.output).toContain("err");
    expect(r.output).not.toContain(dir);
  });

  it("reports failure with the exit code", async () => {
    const r = await run({ command: "echo lint failed; exit 3", cwd: await tree() });
    expect(r).toMatchObject({ ok: false, exitCode: 3, timedOut: false });
    expect(r.output).toContain("lint failed");
  });

  it("kills every process the command started on timeout", async () => {
    // A background grandchild that would outlive its shell, and a shell ignoring SIGTERM.
    const marker = `${Math.floor(Math.random() * 1000) + 1000}.5`;
    const r = await run({
      command: `trap '' TERM; (sleep ${marker}) & echo started; sleep 30`,
      cwd: await tree(),
      timeoutMs: 500,
      killGraceMs: 200,
    });
    expect(r.timedOut).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.output).toContain("started");
    expect(r.output).toContain("timed out after 500 ms");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(processesWith(`sleep\0${marker}`)).toEqual([]);
  });

  it("bounds the output, keeping head and tail", async () => {
    const r = await run({
      command: "echo FIRST; head -c 200000 /dev/zero | tr '\\0' x; echo; echo LAST",
      cwd: await tree(),
      maxOutputBytes: 1000,
    });
    expect(r.ok).toBe(true);
    expect(r.output.startsWith("FIRST")).toBe(true);
    expect(r.output.trimEnd().endsWith("LAST")).toBe(true);
    expect(r.omittedBytes).toBeGreaterThan(190_000);
    expect(r.output.length).toBeLessThan(1200);
  });

  it("builds the environment from an allowlist", () => {
    const env = checkEnvironment({
      PATH: "/usr/bin:/bin",
      HOME: "/home/runner",
      CI: "true",
      LC_ALL: "C.UTF-8",
      GITHUB_TOKEN: "ghs_secret",
      "INPUT_GITHUB-TOKEN": "ghs_secret",
      INPUT_AMQP_URL: "amqp://u:p@h",
      ACTIONS_RUNTIME_TOKEN: "rt",
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://x",
      GITHUB_ENV: "/home/runner/work/_temp/_runner_file_commands/set_env_1",
      GITHUB_REPOSITORY: "o/r",
      NODE_OPTIONS: "--require /home/runner/work/_temp/hook.js",
      MY_API_KEY: "k",
    });
    expect(Object.keys(env).sort()).toEqual(["CI", "LANG", "LC_ALL", "PATH"]);
  });

  it("gives the command none of the runner's variables by default", async () => {
    process.env["INPUT_GITHUB-TOKEN"] = "ghs_default_secret_0123456789";
    process.env.GITHUB_ENV_FOR_TEST = "/nowhere";
    try {
      const r = await run({ command: "env", cwd: await tree() });
      expect(r.output).toContain("PATH=");
      expect(r.output).not.toContain("ghs_default_secret");
      expect(r.output).not.toMatch(/^(GITHUB_|INPUT_|ACTIONS_)/m);
    } finally {
      delete process.env["INPUT_GITHUB-TOKEN"];
      delete process.env.GITHUB_ENV_FOR_TEST;
    }
  });

  it("redacts secret patterns and the run's own secrets from the output", async () => {
    process.env["INPUT_SIGNING-KEY"] = "plain-words-signing-key";
    process.env["INPUT_AMQP-URL"] = "amqps://agent:Pa55word-amqp@broker:5671/";
    try {
      const r = await run({
        command:
          "echo key plain-words-signing-key; echo pass Pa55word-amqp; echo tok glpat-Zx8vQ2mN4pL6rT0yW3bK; exit 1",
        cwd: await tree(),
      });
      expect(r.output).not.toContain("plain-words-signing-key");
      expect(r.output).not.toContain("Pa55word-amqp");
      expect(r.output).not.toContain("glpat-Zx8");
      expect(r.output).toContain("key [redacted]");
    } finally {
      delete process.env["INPUT_SIGNING-KEY"];
      delete process.env["INPUT_AMQP-URL"];
    }
  });

  it("redacts what a tracked secret file holds, printed plain, in base64 or in hex", async () => {
    // The copy keeps a tracked secret file (tests may read it); code the model wrote can
    // print it encoded, wrapped, from any offset, past every pattern.
    const envFile = "API_KEY=k3Y-live-Zx8vQ2mN4pL6rT0yW3bK\nDB_PASSWORD=Pa55-rotated-w0rd!\n";
    const dir = await tree({ "tests/fixtures/.env.test": envFile, "src/app.js": "let ok = 1;\n" });
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("git", ["add", "."], { cwd: dir });
    process.env["INPUT_SIGNING-KEY"] = "plain-words-signing-key";
    try {
      const r = await run({
        command: [
          // First: a run of encoded lines is judged whole, wrapped lines being one text.
          "echo app:; base64 -w0 src/app.js; echo; echo done",
          "f=tests/fixtures/.env.test",
          "base64 $f",
          "base64 -w0 $f | cut -c3-; echo",
          "tail -c +6 $f | base64 -w 20",
          "od -An -tx1 $f | tr -d ' \\n'; echo",
          "xxd -p $f 2>/dev/null || true",
          "echo Pa55-rotated-w0rd!",
          "printf plain-words-signing-key | base64",
          "exit 1",
        ].join("; "),
        cwd: dir,
      });
      const flat = r.output.replace(/\s+/g, "");
      const b64 = Buffer.from(envFile).toString("base64");
      const hex = Buffer.from(envFile).toString("hex");
      for (const piece of [
        b64.slice(4, 40),
        b64.slice(40, 80),
        hex.slice(8, 60),
        hex.slice(60, 120),
      ])
        expect(flat).not.toContain(piece);
      expect(flat).not.toContain(
        Buffer.from("plain-words-signing-key").toString("base64").slice(0, 20),
      );
      expect(r.output).not.toContain("Pa55-rotated-w0rd");
      // Encoded text that holds no secret is shown as it is.
      expect(r.output).toContain(Buffer.from("let ok = 1;\n").toString("base64"));
    } finally {
      delete process.env["INPUT_SIGNING-KEY"];
    }
  });

  it("lists the token's git header form and the URL's password among the known secrets", () => {
    const secrets = knownSecrets({
      "INPUT_GITHUB-TOKEN": "ghs_abcdefghijklmnop",
      "INPUT_AMQP-URL": "amqps://u:p%40ssword@h/",
      "INPUT_CHECK-COMMAND": "npm test",
      "INPUT_TRIGGER-LABEL": "ai-agent-label",
      ACTIONS_RUNTIME_URL: "https://pipelines.example/",
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        "ghs_abcdefghijklmnop",
        Buffer.from("x-access-token:ghs_abcdefghijklmnop").toString("base64"),
        "amqps://u:p%40ssword@h/",
        "p%40ssword",
        "p@ssword",
      ]),
    );
    expect(secrets).not.toContain("npm test");
    expect(secrets).not.toContain("ai-agent-label");
    expect(secrets).not.toContain("https://pipelines.example/");
  });

  it("refuses without a sandbox unless the workflow opted in, naming the input", async () => {
    const none = () => Promise.resolve({ ok: false as const, reason: "no sudo here" });
    const refused = runCheckCommand({
      command: "true",
      cwd: await tree(),
      timeoutMs: 20_000,
      sandbox: none,
    });
    await expect(refused).rejects.toThrow(ActionFailure);
    await expect(refused).rejects.toThrow(/no sudo here/);
    await expect(refused).rejects.toMatchObject({
      retry: expect.stringContaining("check-command-unisolated: true") as unknown,
    });

    const warnings: string[] = [];
    const r = await runCheckCommand({
      command: "echo ran; test ! -e .git",
      cwd: await tree({ ".git/config": "[core]\n" }),
      timeoutMs: 20_000,
      sandbox: none,
      unisolated: true,
      warn: (m) => warnings.push(m),
    });
    expect(r).toMatchObject({ ok: true, isolation: "unisolated" });
    expect(warnings).toEqual([expect.stringContaining("WITHOUT isolation") as unknown]);
  });

  it("decides whether the check could run at all without running anything", async () => {
    const none = () => Promise.resolve({ ok: false as const, reason: "no namespaces" });
    await expect(ensureCheckCanRun({ unisolated: false, sandbox: none })).rejects.toThrow(
      /check-command.* was not run: .*no namespaces/,
    );
    await expect(ensureCheckCanRun({ unisolated: true, sandbox: none })).resolves.toMatchObject({
      ok: false,
    });
    const isolated = () =>
      Promise.resolve({ ok: true as const, privileged: [], uid: 990, gid: 990 });
    await expect(
      ensureCheckCanRun({ unisolated: false, sandbox: isolated }),
    ).resolves.toMatchObject({ ok: true });
  });

  it("copies the tree without .git and without untracked credential files", async () => {
    const dir = await tree({
      "src/app.js": "1\n",
      "tests/fixtures/.env.test": "FIXTURE=1\n",
      ".env": "TOKEN=x\n",
      ".envrc": "export X=1\n",
      "deploy/terraform.tfstate": "{}\n",
    });
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("git", ["add", "src", "tests"], { cwd: dir });
    const r = await run({
      command: "find . -type f | sort; test -f tests/fixtures/.env.test",
      cwd: dir,
    });
    expect(r.ok).toBe(true);
    expect(r.output).toContain("./src/app.js");
    expect(r.output).toContain("./tests/fixtures/.env.test");
    expect(r.output).not.toContain(".git/");
    expect(r.output).not.toContain("./.env\n");
    expect(r.output).not.toContain(".envrc");
    expect(r.output).not.toContain("tfstate");
  });

  itSandboxed("runs as another user, in its own PID namespace, without privileges", async () => {
    const r = await runCheckCommand({
      command:
        "id -un; echo pid=$$; ls /proc | grep -c '^[0-9]'; grep NoNewPrivs /proc/self/status; sudo -n true && echo SUDO-WORKS; exit 0",
      cwd: await tree(),
      timeoutMs: 20_000,
    });
    expect(r.isolation).toBe("sandbox");
    expect(r.output).toContain("issue-agent-check");
    expect(r.output).toMatch(/NoNewPrivs:\s*1/);
    expect(r.output).not.toContain("SUDO-WORKS");
    // Only the check's own few processes are visible.
    const visible = Number(/^(\d+)$/m.exec(r.output)?.[1] ?? "999");
    expect(visible).toBeLessThan(10);
  });

  itSandboxed(
    "cannot see the checkout, the Action's home or the runner's temp folder",
    async () => {
      const dir = await tree({
        ".git/config": "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
      });
      const temp = await tree({ "_runner_file_commands/set_env": "" });
      const saved = process.env.RUNNER_TEMP;
      process.env.RUNNER_TEMP = temp;
      let r;
      try {
        r = await runCheckCommand({
          command: `cat ${dir}/.git/config; ls ${dir}; ls ${temp}; echo X=1 >> ${temp}/_runner_file_commands/set_env; echo done`,
          cwd: dir,
          timeoutMs: 20_000,
        });
      } finally {
        if (saved === undefined) delete process.env.RUNNER_TEMP;
        else process.env.RUNNER_TEMP = saved;
      }
      expect(r.output).toContain("done");
      expect(r.output).not.toContain("extraheader");
      expect(readFileSync(join(temp, "_runner_file_commands/set_env"), "utf8")).toBe("");
    },
  );
});
