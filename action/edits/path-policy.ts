import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { repoPathProblem } from "../../protocol/index.js";

/** Which repository paths edits may touch. */
export interface PathPolicy {
  /** Globs of paths refused unless `allow` matches too. Default: `.github/workflows/**`. */
  protected: readonly string[];
  /** Globs that lift the protection of a protected path. Cannot unlock `.git/`. */
  allow: readonly string[];
}

export const DEFAULT_PROTECTED = [".github/workflows/**"] as const;

export const DEFAULT_POLICY: PathPolicy = { protected: DEFAULT_PROTECTED, allow: [] };

export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * Normalises a repository-relative path as the model wrote it (backslashes, `./`, doubled
 * slashes) and refuses anything that could leave the repository: absolute paths, drive
 * letters, `~`, and any `..` segment (even one that would resolve inside: an edit has no
 * reason to spell its path that way).
 */
export function normalizeRepoPath(raw: string): PathCheck {
  if (raw.trim() === "") return { ok: false, message: "empty path" };
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point.
  if (/[\u0000-\u001f]/.test(raw)) {
    return { ok: false, message: `path ${JSON.stringify(raw)} contains control characters` };
  }
  const slashed = raw.replace(/\\/g, "/");
  if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed) || slashed.startsWith("~")) {
    return {
      ok: false,
      message: `path ${JSON.stringify(raw)} is absolute; give it relative to the repository root`,
    };
  }
  if (slashed.endsWith("/"))
    return { ok: false, message: `path ${JSON.stringify(raw)} names a directory` };
  const segments = slashed.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) {
    return {
      ok: false,
      message: `path ${JSON.stringify(raw)} contains "..": paths must stay inside the repository`,
    };
  }
  if (segments.length === 0)
    return { ok: false, message: `path ${JSON.stringify(raw)} names the repository root` };
  return { ok: true, path: segments.join("/") };
}

/**
 * Checks a path against the policy, lexically: normalisation first, then `.git/` (always
 * refused: a write there could plant a hook), then the protected globs unless allowed.
 */
export function checkPath(raw: string, policy: PathPolicy = DEFAULT_POLICY): PathCheck {
  const normal = normalizeRepoPath(raw);
  if (!normal.ok) return normal;
  return checkNormalized(normal.path, policy);
}

/**
 * {@link checkPath}, then the file system: no part of the path may be a symlink, whether
 * it points inside the repository, outside it, or nowhere (a dangling link would be
 * created through, into `.git/hooks/` or `.github/workflows/` say). The file itself must
 * not be a directory. Returns the normalised repository-relative path.
 */
export async function checkPathInTree(
  root: string,
  raw: string,
  policy: PathPolicy = DEFAULT_POLICY,
): Promise<PathCheck> {
  const lexical = checkPath(raw, policy);
  if (!lexical.ok) return lexical;
  const segments = lexical.path.split("/");
  let at = root;
  for (const [index, segment] of segments.entries()) {
    at = join(at, segment);
    const stat = await lstat(at).catch(() => undefined);
    // Nothing below a missing segment can exist yet, let alone be a link.
    if (stat === undefined) break;
    if (stat.isSymbolicLink())
      return {
        ok: false,
        message: `path ${lexical.path} goes through the symlink ${segments.slice(0, index + 1).join("/")}; edits never write through links`,
      };
    if (index === segments.length - 1 && stat.isDirectory())
      return { ok: false, message: `path ${lexical.path} is a directory, not a file` };
  }
  return lexical;
}

/** Whether `path` matches `glob` (`**` any depth, `*` and `?` within a segment, `{a,b}`). */
export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

function checkNormalized(path: string, policy: PathPolicy): PathCheck {
  // The contract's rule, whatever the spelling: `.GIT`, `.git.`, `GIT~1`...
  if (repoPathProblem(path) === "is inside .git/") {
    return { ok: false, message: `path ${path} is inside .git/, which edits never touch` };
  }
  const rule = policy.protected.find((g) => matchesGlob(path, g));
  if (rule !== undefined && !policy.allow.some((g) => matchesGlob(path, g))) {
    return {
      ok: false,
      message: `path ${path} is protected (matches "${rule}"); a maintainer must allow it explicitly`,
    };
  }
  return { ok: true, path };
}

const globCache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  // A trailing slash means "this directory and everything in it", as in .gitignore.
  const source = glob.endsWith("/") ? `${glob}**` : glob;
  let re = "";
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === "*" && source.charAt(i + 1) === "*") {
      const slashAfter = source.charAt(i + 2) === "/";
      // `**/` matches zero or more whole segments; a final `**` matches the rest.
      re += slashAfter ? "(?:[^/]+/)*" : ".*";
      i += slashAfter ? 2 : 1;
    } else if (c === "*") {
      re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "{") {
      const close = source.indexOf("}", i);
      if (close === -1) {
        re += "\\{";
      } else {
        re += `(?:${source
          .slice(i + 1, close)
          .split(",")
          .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, "\\$&"))
          .join("|")})`;
        i = close;
      }
    } else {
      re += c.replace(/[.+^$()|[\]\\{}]/g, "\\$&");
    }
  }
  // Case-insensitive: on a case-insensitive checkout `.GitHub/Workflows/ci.yml` is the
  // protected file itself.
  const compiled = new RegExp(`^${re}$`, "i");
  globCache.set(glob, compiled);
  return compiled;
}
