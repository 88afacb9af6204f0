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
/** When set, computes each reply from the prompt instead of taking the next of `replies`. */
let respond: ((prompt: string) => EditSet) | undefined;

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

async function checkout(name: string, more: Record<string, string> = {}): Promise<string> {
  const dir = path.join(workdir, name);
  await mkdir(path.join(dir, "src"), { recursive: true });
  await mkdir(path.join(dir, ".github", "workflows"), { recursive: true });
  await writeFile(path.join(dir, "src", "parser.py"), PARSER_SOURCE);
  await writeFile(path.join(dir, ".github", "workflows", "ci.yml"), "on: push\n");
  for (const [file, text] of Object.entries(more)) await writeFile(path.join(dir, file), text);
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
    // A model with a 32k context, as qwen2.5-coder has: `--num-ctx` sets the window.
    contextLength: 32768,
    script: (request) => ({
      content: JSON.stringify(respond ? respond(request.prompt) : (replies.shift() ?? fix)),
    }),
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

  it("refuses to write over uncommitted work in a file the plan changes, before asking the model", async () => {
    const dir = await checkout("dirty");
    const mine = `${PARSER_SOURCE}# my own work in progress\n`;
    await writeFile(path.join(dir, "src", "parser.py"), mine);
    const asked = ollama.requestsTo("/api/chat").length;
    replies = [fix];
    const run = await apply(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /uncommitted work in src\/parser\.py, which the plan changes .*: commit or stash it first .* or pass --allow-dirty/,
    );
    expect(await readFile(path.join(dir, "src", "parser.py"), "utf8")).toBe(mine);
    expect(ollama.requestsTo("/api/chat")).toHaveLength(asked);
  });

  it("with --allow-dirty, prints only the model's change, not the user's own", async () => {
    const dir = await checkout("dirty-allowed");
    await writeFile(
      path.join(dir, "src", "parser.py"),
      `${PARSER_SOURCE}# my own work in progress\n`,
    );
    replies = [fix];
    const run = await apply(dir, "--allow-dirty");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\+\s+continue$/m);
    // The user's line may stand in the diff's context, never as a change.
    expect(run.stdout).not.toMatch(/^[-+].*my own work in progress/m);
    expect(await readFile(path.join(dir, "src", "parser.py"), "utf8")).toContain(
      "# my own work in progress",
    );
  });

  it("on a directory that is not a git checkout, prints the diff and nothing of git's", async () => {
    const dir = path.join(workdir, "plain");
    await mkdir(path.join(dir, "src"), { recursive: true });
    await writeFile(path.join(dir, "src", "parser.py"), PARSER_SOURCE);
    replies = [fix];
    const run = await apply(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^--- a\/src\/parser\.py$/m);
    expect(run.stdout).toMatch(/^\+\+\+ b\/src\/parser\.py$/m);
    expect(run.stdout).toMatch(/^\+\s+continue$/m);
    expect(run.stderr).toContain("is not a git checkout");
    expect(run.stderr).not.toMatch(/usage: git|--no-index/);
    // The diff is a patch that takes the original to the result.
    await writeFile(path.join(workdir, "plain.patch"), run.stdout);
    await writeFile(path.join(dir, "src", "parser.py"), PARSER_SOURCE);
    execFileSync("git", ["apply", "--unsafe-paths", "-p1", path.join(workdir, "plain.patch")], {
      cwd: dir,
    });
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

  it("answers a plan of two large files a file at a time and applies both, each only from its own reply", async () => {
    const dir = await checkout("parts");
    // Two modules of about 20,000 tokens each: at NUM_CTX 8192 neither goes whole.
    const big = (name: string) =>
      Array.from(
        { length: 600 },
        (_, i) =>
          `def ${name}_step_${i}(value):\n    value = value * ${i + 2} + ${i}  # ${name} ${i}\n    return value\n`,
      ).join("\n");
    await writeFile(path.join(dir, "src", "alpha.py"), big("alpha"));
    await writeFile(path.join(dir, "src", "beta.py"), big("beta"));
    execFileSync("git", ["-C", dir, "add", "-A"]);
    execFileSync("git", [
      "-C",
      dir,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@t",
      "commit",
      "-qm",
      "big",
    ]);
    const twoFiles: Plan = {
      summary: "Double the step in alpha_step_450 and beta_step_120",
      steps: [
        {
          title: "alpha_step_450",
          detail: "Multiply by 904 in alpha_step_450.",
          files: ["src/alpha.py"],
        },
        {
          title: "beta_step_120",
          detail: "Multiply by 244 in beta_step_120.",
          files: ["src/beta.py"],
        },
      ],
      files: [
        { path: "src/alpha.py", change: "modify", reason: "alpha_step_450" },
        { path: "src/beta.py", change: "modify", reason: "beta_step_120" },
      ],
      risks: [],
      tests: [],
      openQuestions: [],
    };
    const planFile = path.join(workdir, "two-files.json");
    await writeFile(
      planFile,
      JSON.stringify({
        planHash: "x",
        issueText: { title: "Steps", body: "Double two steps" },
        plan: twoFiles,
      }),
    );
    const change = (file: "alpha" | "beta", i: number) => ({
      path: `src/${file}.py`,
      change: "modify" as const,
      hunks: [
        {
          search: `    value = value * ${i + 2} + ${i}  # ${file} ${i}\n`,
          replace: `    value = value * ${2 * (i + 2)} + ${i}  # ${file} ${i}\n`,
        },
      ],
    });
    const prompts: string[] = [];
    respond = (prompt) => {
      prompts.push(prompt);
      // Alpha's reply also edits beta: that edit is beta's reply's to make, and is dropped.
      return prompt.includes("changes to `src/alpha.py`")
        ? { summary: "alpha", edits: [change("alpha", 450), change("beta", 7)] }
        : { summary: "beta", edits: [change("beta", 120)] };
    };
    try {
      const run = await runCli(
        ["apply", "--repo", dir, "--plan", planFile, "--model", ollama.model, "--num-ctx", "8192"],
        { OLLAMA_HOST: ollama.url },
      );
      expect(run.stderr).toContain("every check passed");
      expect(run.code).toBe(0);
    } finally {
      respond = undefined;
    }
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain("alpha 450");
    expect(prompts[0]).not.toContain("beta 120");
    expect(prompts[1]).toContain("beta 120");
    const alpha = await readFile(path.join(dir, "src", "alpha.py"), "utf8");
    const beta = await readFile(path.join(dir, "src", "beta.py"), "utf8");
    expect(alpha).toContain("    value = value * 904 + 450  # alpha 450\n");
    expect(beta).toContain("    value = value * 244 + 120  # beta 120\n");
    expect(beta).toContain("    value = value * 9 + 7  # beta 7\n");
  });

  // Told that one file's hunk failed, a model often answers with that file alone: the
  // other file's edit, which had applied, dropped out and half the plan went missing.
  it("keeps the first answer's edits of files a repair answer leaves out", async () => {
    const dir = await checkout("repair-partial", { "src/util.py": "LIMIT = 10\n" });
    const twoFiles: Plan = {
      ...plan,
      files: [...plan.files, { path: "src/util.py", change: "modify", reason: "the limit" }],
    };
    const planPath = path.join(workdir, "two-files.json");
    await writeFile(
      planPath,
      JSON.stringify({ planHash: "y", issueText: { title: "t", body: "b" }, plan: twoFiles }),
    );
    const limit = {
      path: "src/util.py",
      change: "modify" as const,
      hunks: [{ search: "LIMIT = 10\n", replace: "LIMIT = 20\n" }],
    };
    const badParser = {
      ...fix.edits[0]!,
      hunks: [{ search: "raise SyntaxError('no such line')\n", replace: "continue\n" }],
    };
    replies = [
      { summary: "both", edits: [limit, badParser] },
      { summary: "the parser again", edits: fix.edits },
    ];
    const run = await runCli(
      ["apply", "--repo", dir, "--plan", planPath, "--model", ollama.model],
      {
        OLLAMA_HOST: ollama.url,
      },
    );
    expect(run.stderr).toMatch(
      /the repair answer left out src\/util\.py; their first edits, which applied, are kept/,
    );
    expect(run.code).toBe(0);
    expect(await readFile(path.join(dir, "src", "util.py"), "utf8")).toBe("LIMIT = 20\n");
    expect(await readFile(path.join(dir, "src", "parser.py"), "utf8")).toContain("continue");
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

  // Read as UTF-8 and written back, every Latin-1 accent in the file became U+FFFD.
  it("neither shows the model nor edits a file that is not UTF-8, and says why", async () => {
    const dir = await checkout("latin1");
    const latin1 = Buffer.concat([
      Buffer.from("# Auteur : Andr\xe9\n", "latin1"),
      Buffer.from(PARSER_SOURCE, "utf8"),
    ]);
    await writeFile(path.join(dir, "src", "parser.py"), latin1);
    const printed = await apply(dir, "--print-request");
    const request = JSON.parse(printed.stdout) as CodeRequest;
    expect(request.files).toEqual([]);
    expect(request.context.omitted).toContainEqual({
      path: "src/parser.py",
      reason: expect.stringMatching(/^not UTF-8 text: .*convert the file to UTF-8 first$/),
    });
    replies = [fix, fix];
    // The Latin-1 text was written over the committed file: uncommitted, so allowed.
    const run = await apply(dir, "--allow-dirty");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/src\/parser\.py: not UTF-8 text/);
    expect(await readFile(path.join(dir, "src", "parser.py"))).toEqual(latin1);
  });

  it("keeps from the model what the plan's --ignore-file kept from it", async () => {
    const dir = await checkout("ignored", { ".private-ignore": "src/\n" });
    const planned = path.join(workdir, "plan-ignoring.json");
    await writeFile(
      planned,
      JSON.stringify({
        plan,
        planHash: "x",
        issueText: { title: "Trailing comma", body: "parse_args raises" },
        ignoreFile: ".private-ignore",
      }),
    );
    const run = await runCli(["apply", "--repo", dir, "--plan", planned, "--print-request"], {
      OLLAMA_HOST: ollama.url,
    });
    expect(run.code).toBe(0);
    const request = JSON.parse(run.stdout) as CodeRequest;
    expect(request.files).toEqual([]);
    expect(JSON.stringify(request)).not.toContain("unexpected comma");
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
