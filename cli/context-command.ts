/**
 * `issue-agent context`: ranks the files of a checkout for an issue, exactly as the
 * Action does, and prints why each file was chosen. With `--json` stdout carries only
 * `{"files":[{"path","score","reasons","lines","focus"}],"scan":{...}}` (`lines`: the line
 * ranges a plan request would send of the file, at the Action's default budget; `focus`:
 * the ranges among them where the evidence is, best first, which a worker with a small
 * window keeps first; `scan`: how many files were read, on how many threads); logs and
 * errors go to stderr.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { assembleContext, rankRepository } from "../action/context/build-context.js";
import type { RankedFile, RepositoryRanking } from "../action/context/build-context.js";
import { AUTO_CONTEXT_TOKENS } from "../action/settings.js";

const USAGE = `Usage: issue-agent context --repo DIR (--title-file F | --title TEXT)
                         [--body-file F | --body TEXT] [--top K] [--json] [--ignore-file F]

Ranks the files of the checkout in DIR for the issue and prints the best K (default 10)
with the signals that chose them. --json prints
{"files":[{"path","score","reasons","lines","focus"}],"scan":{"files","threads","workerBatches"}},
where lines are the [start, end] ranges a plan request would send of each file, focus the
ranges among them where the issue's evidence is (best first), and scan says how the
checkout was read.
ISSUE_AGENT_SCAN_THREADS=N caps the threads that read it (default: one per core, at most 4).`;

/**
 * Runs the `context` subcommand. Returns the process exit code: 0 on success, 2 for
 * usage errors, 1 when the repository or an issue file cannot be read.
 */
export async function runContextCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        repo: { type: "string" },
        "title-file": { type: "string" },
        "body-file": { type: "string" },
        title: { type: "string" },
        body: { type: "string" },
        top: { type: "string", default: "10" },
        json: { type: "boolean", default: false },
        "ignore-file": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`issue-agent context: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.repo === undefined) return usageError("--repo is required");
  if (values.title === undefined && values["title-file"] === undefined) {
    return usageError("--title-file or --title is required");
  }
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1 || top > 1000) {
    return usageError(`--top: expected a positive integer up to 1000, got '${values.top}'`);
  }

  let title: string;
  let body: string;
  try {
    title = values.title ?? (await readIssueFile(values["title-file"] ?? "", "title"));
    body =
      values.body ??
      (values["body-file"] === undefined ? "" : await readIssueFile(values["body-file"], "body"));
  } catch (error) {
    process.stderr.write(`issue-agent context: ${(error as Error).message}\n`);
    return 1;
  }

  if (!title.trim() && !body.trim())
    return usageError("the issue is empty: give its words with --title (and --body)");

  let ranking: RankedFile[];
  let ranked: RepositoryRanking;
  const ignoreFile = values["ignore-file"];
  const options = {
    repoDir: values.repo,
    title: title.trim(),
    body,
    ...(ignoreFile === undefined ? {} : { ignoreFile }),
  };
  try {
    // Ranked once, at least as deep as a plan request ranks, for the lines it would send.
    ranked = await rankRepository({ ...options, top: Math.max(top, 50) });
    ranking = ranked.ranking.slice(0, top);
  } catch (error) {
    process.stderr.write(`issue-agent context: ${(error as Error).message}\n`);
    return 1;
  }

  if (values.json) {
    const context = await assembleContext({ ...options, tokenBudget: AUTO_CONTEXT_TOKENS }, ranked);
    const sent = new Map(context.files.map((f) => [f.path, f]));
    const ranges = (regions: readonly { startLine: number; endLine: number }[] = []) =>
      regions.map((r) => [r.startLine, r.endLine]);
    const files = ranking.map((file) => ({
      ...file,
      lines: ranges(sent.get(file.path)?.excerpts),
      focus: ranges(sent.get(file.path)?.focus),
    }));
    const scan = { files: ranked.paths.length, ...ranked.scan };
    process.stdout.write(`${JSON.stringify({ files, scan })}\n`);
  } else {
    process.stdout.write(formatTable(ranking));
  }
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`issue-agent context: ${message}\n\n${USAGE}\n`);
  return 2;
}

async function readIssueFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new Error(`cannot read the issue ${what} file '${path}' (${code})`, { cause: error });
  }
}

/** A readable table: rank, score, path, then the reasons indented below. */
function formatTable(ranking: readonly RankedFile[]): string {
  if (ranking.length === 0) return "No file matched the issue.\n";
  const width = String(ranking.length).length;
  const lines: string[] = [];
  ranking.forEach((file, i) => {
    lines.push(
      `${String(i + 1).padStart(width)}. ${file.score.toFixed(2).padStart(7)}  ${file.path}`,
    );
    for (const reason of file.reasons) lines.push(`${" ".repeat(width + 11)}- ${reason}`);
  });
  return `${lines.join("\n")}\n`;
}
