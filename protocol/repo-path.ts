import { z } from "zod";

/**
 * Why `path` cannot name a file of the repository, or undefined when it can. Paths come
 * from the model (plans, edits) and are untrusted: the contract refuses every form that
 * could reach outside the tree or into git's own files before anything reads or writes
 * them — absolute and home paths, drive letters, `..`, backslashes (another separator on
 * some systems), control characters and NUL, and `.git` in any spelling that some file
 * system resolves to it (any case, trailing dots or spaces, NTFS streams, the 8.3 name
 * `GIT~1`).
 */
export function repoPathProblem(path: string): string | undefined {
  if (path.length === 0) return "empty path";
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(path)) return "contains control characters";
  if (path.includes("\\")) return "contains a backslash; use forward slashes";
  if (path.startsWith("/") || path.startsWith("~") || /^[A-Za-z]:/.test(path))
    return "is absolute; give it relative to the repository root";
  const segments = path.split("/");
  if (segments.some((s) => s === "..")) return 'contains ".."';
  if (segments.some(isGitDirName)) return "is inside .git/";
  if (path.endsWith("/")) return "names a directory";
  return undefined;
}

/** `.git` as any file system may spell it. */
function isGitDirName(segment: string): boolean {
  return /^\.git(?:[ .]*|::.*)$/i.test(segment) || /^git~\d+$/i.test(segment);
}

/** A repository-relative file path, checked by {@link repoPathProblem}. */
export const RepoPathSchema = z
  .string()
  .min(1)
  .max(400)
  .superRefine((path, ctx) => {
    const problem = repoPathProblem(path);
    if (problem)
      ctx.addIssue({ code: "custom", message: `path ${JSON.stringify(path)} ${problem}` });
  })
  .describe("Repository-relative path, forward slashes");
