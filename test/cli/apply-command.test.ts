/**
 * `issue-agent apply` as a user runs it: `node dist/cli.js apply` on a git checkout built
 * here, against the scripted Ollama test server. The edits land in the working tree and
 * the diff is printed; what `/approve` refuses, apply refuses, changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CodeRequest, EditSet, Plan } from "../../protocol/index.js";
import { PARSER_SOURCE } from "../support/fixtures.js";
import { startOllamaTestServer, type OllamaTestServer } from "../support/ollama/server.js";

const CLI = path.join(fileURLToPath(new URL("../../", import.meta.url)), "dist", "cli.js");

const plan: Plan = {
  summary: "Accept a trailing comma in parse_args",
  steps: [
    {
      title: "Skip a final comma",
      detail: "In parse_args, ignore a comma.",
      files: ["src/parser.py"],
    },
  ],
  files: [{ path: "src/parser.py", change: "modify", reason: "parse_args raises on the comma" }],
  risks: [],
  tests: [],
  openQuestions: [],
};
const fix: EditSet = {
  summary: "skip commas",
  edits: [
    {
      path: "src/parser.py",
      change: "modify",
      hunks: [
        {
          search: "            raise SyntaxError('unexpected comma')\n",
          replace: "            continue\n",
        },
      ],
    },
  ],
};

let workdir: string;
let ollama: OllamaTestServer;
let replies: EditSet[] = [];

function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function checkout(name: string): Promise<string> {
  const dir = path.join(workdir, name);
  await mkdir(path.join(dir, "src"), { recursive: true });
  await mkdir(path.join(dir, ".github", "workflows"), { recursive: true });
  await writeFile(path.join(dir, "src", "parser.py"), PARSER_SOURCE);
  await writeFile(path.join(dir, ".github", "workflows", "ci.yml"), "on: push\n");
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      },
    });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "init");
  return dir;
}

beforeAll(async () => {
  workdir = await mkdtemp(path.join(os.tmpdir(), "cli-apply-"));
  await writeFile(
    path.join(workdir, "plan.json"),
    JSON.stringify({
      planHash: "x",
      issueText: { title: "Trailing comma", body: "parse_args raises" },
      plan,
    }),
  );
  ollama = await startOllamaTestServer({
    mode: "scripted",
    script: () => ({ content: JSON.stringify(replies.shift() ?? fix) }),
  });
});

afterAll(async () => {
  await ollama.close();
  await rm(workdir, { recursive: true, force: true });
});

const apply = (dir: string, ...extra: string[]) =>
  runCli(
    [
      "apply",
      "--repo",
      dir,
      "--plan",
      path.join(workdir, "plan.json"),
      "--model",
      ollama.model,
      ...extra,
    ],
    {
      OLLAMA_HOST: ollama.url,
    },
  );

describe("issue-agent apply", () => {
  it("changes the working tree and prints the diff", async () => {
    const dir = await checkout("ok");
    replies = [fix];
    const run = await apply(dir);
    expect(run.stderr).toContain("every check passed");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^-\s+raise SyntaxError\('unexpected comma'\)$/m);
    expect(run.stdout).toMatch(/^\+\s+continue$/m);
    expect(await readFile(path.join(dir, "src", "parser.py"), "utf8")).toContain("continue");
  });

  it("refuses an edit outside the plan and a protected path, changing nothing", async () => {
    const dir = await checkout("refused");
    const outside: EditSet = {
      summary: "more",
      edits: [
        ...fix.edits,
        {
          path: ".github/workflows/ci.yml",
          change: "modify",
          hunks: [{ search: "on: push\n", replace: "on: pull_request_target\n" }],
        },
      ],
    };
    replies = [outside, outside];
    const run = await apply(dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing was changed: the edits failed the apply step twice/);
    expect(await readFile(path.join(dir, "src", "parser.py"), "utf8")).toBe(PARSER_SOURCE);
    expect(await readFile(path.join(dir, ".github", "workflows", "ci.yml"), "utf8")).toBe(
      "on: push\n",
    );
  });

  it("prints the code request it would send with --print-request, calling no model", async () => {
    const dir = await checkout("print");
    const before = ollama.requests.length;
    const run = await apply(dir, "--print-request");
    expect(run.code).toBe(0);
    const request = JSON.parse(run.stdout) as CodeRequest;
    expect(request.type).toBe("code");
    expect(request.files[0]?.path).toBe("src/parser.py");
    expect(request.files[0]?.content).toBe(PARSER_SOURCE);
    expect(request.issue.title).toBe("Trailing comma");
    expect(ollama.requests.length).toBe(before);
  });

  it("says what is wrong with a file that is not a plan", async () => {
    await writeFile(path.join(workdir, "bad.json"), JSON.stringify({ plan: { summary: "x" } }));
    const run = await runCli([
      "apply",
      "--repo",
      workdir,
      "--plan",
      path.join(workdir, "bad.json"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a plan \(steps:/);
  });
});
