import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { join } from "node:path";
import { runContextCommand } from "../../cli/context-command.js";
import { reposPerTest } from "../action/context/fixture-repo.js";

const { repo } = reposPerTest();
afterEach(() => {
  jest.restoreAllMocks();
});

/** Runs the command and captures what it writes to stdout and stderr. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => {
    stderr += String(chunk);
    return true;
  });
  const code = await runContextCommand(argv);
  jest.restoreAllMocks();
  return { code, stdout, stderr };
}

const FILES = {
  "src/parser.ts": "export function parseConfig(text: string) {\n  return JSON.parse(text);\n}\n",
  "src/render.ts": "export function renderPage() {\n  return '<html>';\n}\n",
  "src/parser.test.ts":
    "import { parseConfig } from '../action/context/parser.js';\nparseConfig('{}');\n",
};

describe("issue-agent context", () => {
  it("prints only the ranked JSON on stdout with --json", async () => {
    const r = repo(FILES);
    r.write("issue/title.txt", "parseConfig throws on comments");
    r.write("issue/body.txt", "`parseConfig` should accept // comments");
    const { code, stdout } = await run([
      "--repo",
      r.dir,
      "--title-file",
      join(r.dir, "issue/title.txt"),
      "--body-file",
      join(r.dir, "issue/body.txt"),
      "--top",
      "2",
      "--json",
    ]);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as {
      files: {
        path: string;
        score: number;
        reasons: string[];
        lines: [number, number][];
        focus: [number, number][];
      }[];
    };
    expect(parsed.files).toHaveLength(2);
    expect(parsed.files[0]?.path).toBe("src/parser.ts");
    expect(parsed.files[0]?.reasons).toContain("defines parseConfig");
    expect(typeof parsed.files[0]?.score).toBe("number");
    // The lines a plan request would send of the file: its one function, whole.
    expect(parsed.files[0]?.lines).toEqual([[1, 3]]);
    // Where in it the evidence is: the same function, which a small window keeps first.
    expect(parsed.files[0]?.focus).toEqual([[1, 3]]);
  });

  it("prints a readable table with reasons without --json", async () => {
    const r = repo(FILES);
    const { code, stdout } = await run(["--repo", r.dir, "--title", "renderPage is blank"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ *1\. +[\d.]+ +src\/render\.ts$/m);
    expect(stdout).toContain("- defines renderPage");
  });

  it("fails with a clear message for a missing repository or issue file", async () => {
    const r = repo(FILES);
    const missingRepo = await run(["--repo", join(r.dir, "nope"), "--title", "x", "--json"]);
    expect(missingRepo.code).toBe(1);
    expect(missingRepo.stdout).toBe("");
    expect(missingRepo.stderr).toMatch(/repository directory not found/);

    const missingFile = await run(["--repo", r.dir, "--title-file", join(r.dir, "absent.txt")]);
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/cannot read the issue title file .*absent\.txt.*ENOENT/);

    const badTop = await run(["--repo", r.dir, "--title", "x", "--top", "ten"]);
    expect(badTop.code).toBe(2);
    expect(badTop.stderr).toMatch(/--top: expected a positive integer/);
  });
});
