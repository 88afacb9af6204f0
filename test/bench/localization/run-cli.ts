/**
 * Runs the `issue-agent context` CLI as users do (one process per issue) and measures
 * its wall time and peak resident memory with GNU time. The CLI is bundled once with
 * esbuild so the measurement excludes on-the-fly compilation; the bundle sits under
 * `node_modules/.cache` (never committed) so that its package imports resolve. It is
 * split at the dynamic imports as `dist/cli.js` is, so that `context` loads what the
 * shipped CLI loads: one file holding every command would load the model runtime and
 * the GitHub client in each process, relaunch and scan thread, which users never pay.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface CliRun {
  files: { path: string; score: number; reasons: string[] }[];
  /** Wall time of the process (includes waiting for a busy CPU). */
  seconds: number;
  /** User + system CPU time: what the ranking costs, whatever else runs. */
  cpuSeconds: number;
  peakRssMb: number;
}

/** Bundles `cli/main.ts` and returns the bundle's path. */
export async function bundleCli(root: string): Promise<string> {
  const scratch = join(root, "node_modules", ".cache", "issue-agent-bench");
  mkdirSync(scratch, { recursive: true });
  const outdir = join(scratch, `cli-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  const esbuild = join(root, "node_modules", ".bin", "esbuild");
  if (!existsSync(esbuild)) throw new Error("esbuild (installed with tsx) not found");
  const build = (entry: string): Promise<unknown> =>
    execFileAsync(
      esbuild,
      [
        entry,
        "--bundle",
        "--platform=node",
        "--format=esm",
        "--splitting",
        "--out-extension:.js=.mjs",
        "--target=node20",
        "--packages=external",
        // CommonJS modules in the bundle (action/parsing/tree-sitter-runtime.cts) require
        // their packages at run time: give the ES module bundle a `require`.
        "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        `--outdir=${outdir}`,
        "--log-level=error",
      ],
      { cwd: root },
    );
  try {
    await build(join(root, "cli/main.ts"));
    return join(outdir, "main.mjs");
  } catch {
    // main.ts imports every subcommand; while one is missing, bundle `context` alone.
    await build(join(root, "test/bench/localization/context-entry.ts"));
    return join(outdir, "context-entry.mjs");
  }
}

/** Runs the bundled CLI for one issue. */
export async function runCli(
  cli: string,
  root: string,
  repoDir: string,
  titleFile: string,
  bodyFile: string,
  top: number,
): Promise<CliRun> {
  const args = [
    "-f",
    "%e %U %S %M",
    process.execPath,
    cli,
    "context",
    "--repo",
    repoDir,
    "--title-file",
    titleFile,
    "--body-file",
    bodyFile,
    "--top",
    String(top),
    "--json",
  ];
  // Run from the project so the bundle's external packages resolve.
  const { stdout, stderr } = await execFileAsync("/usr/bin/time", args, {
    cwd: resolve(root),
    maxBuffer: 64 << 20,
  });
  const measure = /([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr.trim());
  const parsed = JSON.parse(stdout) as { files: CliRun["files"] };
  return {
    files: parsed.files,
    seconds: Number(measure?.[1] ?? NaN),
    cpuSeconds: Math.round((Number(measure?.[2] ?? NaN) + Number(measure?.[3] ?? NaN)) * 100) / 100,
    peakRssMb: Math.round(Number(measure?.[4] ?? NaN) / 102.4) / 10,
  };
}
