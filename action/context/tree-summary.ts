/**
 * The file tree shown to the model, abridged to a token share when the repository is
 * large: the directories of the ranked files first (where the change will be), then
 * the shallowest paths. The true file count is always reported alongside.
 */
import { posix } from "node:path";
import { estimateTokens } from "../../protocol/index.js";

/** The protocol's limit on listed paths. */
export const MAX_TREE_PATHS = 20000;

/**
 * Picks the paths to show within `tokenShare`, sorted. `focus` are ranked paths whose
 * directories are listed first.
 */
export function abridgeTree(
  paths: readonly string[],
  focus: readonly string[],
  tokenShare: number,
): string[] {
  const cost = (path: string): number => estimateTokens(`"${path}",`);
  let total = 0;
  for (const path of paths) total += cost(path);
  if (total <= tokenShare && paths.length <= MAX_TREE_PATHS) return [...paths];

  const chosen = new Set<string>();
  let used = 0;
  const take = (path: string): boolean => {
    if (chosen.has(path)) return true;
    const c = cost(path);
    if (used + c > tokenShare || chosen.size >= MAX_TREE_PATHS) return false;
    chosen.add(path);
    used += c;
    return true;
  };
  const focusDirs = new Set(focus.map((path) => posix.dirname(path)));
  for (const path of focus) if (!take(path)) break;
  for (const path of paths) {
    if (focusDirs.has(posix.dirname(path)) && !take(path)) break;
  }
  const byDepth = [...paths].sort(
    (a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const path of byDepth) if (!take(path)) break;
  return [...chosen].sort();
}
