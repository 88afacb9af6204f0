/**
 * The repository's file list: what git tracks when the directory is a work tree, a
 * walk that honours .gitignore files otherwise. Symlinks are never followed (a link
 * could point anywhere on the runner), and a project ignore file in gitignore syntax
 * removes more.
 */
import { execFile } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { lstat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import ignore from "ignore";
import type { Ignore } from "ignore";
import { MAX_PATH_CHARS } from "../../protocol/index.js";
import { exclusionReason, isInsideAny, packageManagerVendorDirs } from "./file-filters.js";

const execFileAsync = promisify(execFile);

/** The ignore file honoured by default, in gitignore syntax, at the repository root. */
export const DEFAULT_IGNORE_FILE = ".ai-agent-ignore";

export interface ListFilesOptions {
  /** Path of an extra ignore file relative to the repository (default `.ai-agent-ignore`). */
  ignoreFile?: string;
  /** Stop after this many files (the walk fallback only); protects against runaway trees. */
  maxFiles?: number;
}

export interface RepositoryFiles {
  /** Repository-relative paths with forward slashes, sorted, safe to show and read. */
  paths: string[];
  /** Paths kept out, with the reason (secret, binary, symlink, ignored by the ignore file...). */
  excluded: { path: string; reason: string }[];
}

/**
 * Lists the files of a repository that may go into a context, sorted.
 * See {@link collectRepositoryFiles} for the excluded ones too.
 */
export async function listRepositoryFiles(
  repoDir: string,
  options: ListFilesOptions = {},
): Promise<string[]> {
  return (await collectRepositoryFiles(repoDir, options)).paths;
}

/**
 * Lists the files of a repository and says which were excluded and why. Uses
 * `git ls-files` in a git work tree, a .gitignore-aware walk otherwise.
 */
export async function collectRepositoryFiles(
  repoDir: string,
  options: ListFilesOptions = {},
): Promise<RepositoryFiles> {
  const fromGit = await gitFiles(repoDir);
  const raw = fromGit ?? walkFiles(repoDir, options.maxFiles ?? 2_000_000);
  const projectIgnore = loadProjectIgnoreFile(repoDir, options.ignoreFile ?? DEFAULT_IGNORE_FILE);
  const vendored = packageManagerVendorDirs(raw.map((entry) => entry.path));
  const paths: string[] = [];
  const excluded: { path: string; reason: string }[] = [];
  for (const entry of raw) {
    if (isInsideAny(entry.path, vendored)) {
      excluded.push({ path: entry.path, reason: "dependency folder" });
      continue;
    }
    if (entry.symlink) {
      excluded.push({ path: entry.path, reason: "symlink (not followed)" });
      continue;
    }
    // A message carries no longer path (a generated fixture nested deep enough); such a
    // file is left out, never the whole context.
    if (entry.path.length > MAX_PATH_CHARS) {
      excluded.push({ path: entry.path, reason: "path too long" });
      continue;
    }
    if (projectIgnore?.ignores(entry.path)) {
      excluded.push({ path: entry.path, reason: "listed in the ignore file" });
      continue;
    }
    const reason = exclusionReason(entry.path);
    if (reason) excluded.push({ path: entry.path, reason });
    else paths.push(entry.path);
  }
  paths.sort();
  return { paths, excluded };
}

interface RawEntry {
  path: string;
  symlink: boolean;
}

async function gitFiles(repoDir: string): Promise<RawEntry[] | undefined> {
  try {
    const top = await execFileAsync("git", ["-C", repoDir, "rev-parse", "--show-prefix"], {
      encoding: "utf8",
    });
    // A directory nested inside some other work tree (e.g. a scratch checkout under a
    // repository) is not itself a repository root: walk it instead.
    if (top.stdout.trim() !== "") return undefined;
    // `-s` gives the mode, which tells symlinks (120000) apart without a stat per file.
    const { stdout } = await execFileAsync(
      "git",
      ["-C", repoDir, "ls-files", "-z", "-s", "--cached", "--exclude-standard"],
      { encoding: "utf8", maxBuffer: 1 << 30 },
    );
    const out: RawEntry[] = [];
    const seen = new Set<string>();
    for (const record of stdout.split("\0")) {
      const tab = record.indexOf("\t");
      if (tab < 0) continue;
      const path = record.slice(tab + 1);
      if (seen.has(path)) continue; // merge stages list a path more than once
      seen.add(path);
      out.push({ path, symlink: record.startsWith("120000") });
    }
    const others = await execFileAsync(
      "git",
      ["-C", repoDir, "ls-files", "-z", "--others", "--exclude-standard"],
      { encoding: "utf8", maxBuffer: 1 << 30 },
    );
    for (const path of others.stdout.split("\0")) {
      if (path === "" || seen.has(path)) continue;
      const stat = await lstat(join(repoDir, path)).catch(() => undefined);
      if (stat) out.push({ path, symlink: stat.isSymbolicLink() });
    }
    return out;
  } catch {
    return undefined;
  }
}

function loadIgnoreFile(file: string): Ignore | undefined {
  if (!existsSync(file)) return undefined;
  return ignore().add(readFileSync(file, "utf8"));
}

/**
 * The project's ignore file, read only where it really lies inside the repository: a
 * symlink (or `../` in the setting) pointing elsewhere on the runner is refused rather
 * than read or skipped, since skipping it would send the files it was written to keep
 * out. A link to another file of the repository is read through.
 */
function loadProjectIgnoreFile(repoDir: string, name: string): Ignore | undefined {
  const file = resolve(repoDir, name);
  if (!lstatSync(file, { throwIfNoEntry: false })) {
    // The default file is optional; one named on purpose keeps files from the model, and
    // a misspelt name would send them without a word.
    if (name === DEFAULT_IGNORE_FILE) return undefined;
    throw new Error(
      `The ignore file \`${name}\` does not exist in the repository, so the files it would keep from the model would be sent. Create it, or correct its name (the workflow's \`ignore-file\` input; \`--ignore-file\` for the CLI).`,
    );
  }
  // Resolved whole: a link anywhere on the way (the file, or a folder above it) counts,
  // and so does a workspace that itself lies behind a link (a runner's _work on a disk).
  const real = realpathOrUndefined(file);
  if (real === undefined) {
    throw new Error(
      `The ignore file ${JSON.stringify(name)} is a symlink to nothing. Make it a regular file inside the repository, or set ignore-file to one.`,
    );
  }
  if (!isWithin(realpathSync(repoDir), real)) {
    throw new Error(
      `The ignore file ${JSON.stringify(name)} resolves outside the repository (${
        isWithin(resolve(repoDir), file) ? "a symlink pointing out of it" : "a path outside it"
      }). Make it a regular file inside the repository, or set ignore-file to one.`,
    );
  }
  if (!statSync(real).isFile()) {
    throw new Error(
      `The ignore file ${JSON.stringify(name)} is not a regular file. Make it a file in gitignore syntax, or set ignore-file to one.`,
    );
  }
  return loadIgnoreFile(real);
}

/** Whether `path` lies strictly inside the folder `root` (both absolute). */
function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== "" && inside !== ".." && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Depth-first walk with one `ignore` matcher per directory that has a .gitignore,
 * matched against paths relative to that directory, as git does. Synchronous on
 * purpose: a walk of many small directories spends more time hopping between the
 * event loop and the thread pool than reading.
 */
function walkFiles(repoDir: string, maxFiles: number): RawEntry[] {
  const out: RawEntry[] = [];
  const rules: { base: string; matcher: Ignore }[] = [];
  const ignored = (relative: string, isDir: boolean): boolean => {
    for (const { base, matcher } of rules) {
      if (base !== "" && !relative.startsWith(`${base}/`)) continue;
      const local = base === "" ? relative : relative.slice(base.length + 1);
      if (matcher.ignores(isDir ? `${local}/` : local)) return true;
    }
    return false;
  };
  const visit = (relativeDir: string): void => {
    const absolute = relativeDir === "" ? repoDir : join(repoDir, relativeDir);
    const entries = readdirSync(absolute, { withFileTypes: true });
    // Read .gitignore only where the listing shows one (no stat per directory).
    const hasGitignore = entries.some((entry) => entry.name === ".gitignore" && entry.isFile());
    const gitignore = hasGitignore ? loadIgnoreFile(join(absolute, ".gitignore")) : undefined;
    if (gitignore) rules.push({ base: relativeDir, matcher: gitignore });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (out.length >= maxFiles) break;
      if (entry.name === ".git") continue;
      const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        if (!ignored(relative, false)) out.push({ path: relative, symlink: true });
      } else if (entry.isDirectory()) {
        if (!ignored(relative, true)) visit(relative);
      } else if (entry.isFile()) {
        if (!ignored(relative, false)) out.push({ path: relative, symlink: false });
      }
    }
    if (gitignore) rules.pop();
  };
  visit("");
  return out;
}
