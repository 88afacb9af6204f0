/**
 * The follow-up round's view: when the model's hunk quotes code the file does not hold
 * verbatim, most often it quoted code it was not shown (a large file goes in part). The
 * repair request then puts the places the quote most resembles first among that file's
 * regions, so the model sees the real text there before it tries again.
 */
import type { EditFailure } from "../edits/apply-edits.js";
import type { EditSet, FocusRegion, SourceFile } from "../../protocol/index.js";

/** Lines around the best-matching line that the follow-up shows. */
const BEFORE = 15;
const AFTER = 30;

/** `files` with the places the failed hunks' search texts resemble moved to the front. */
export function withQuotedCode(
  files: readonly SourceFile[],
  edits: EditSet,
  failures: readonly EditFailure[],
): SourceFile[] {
  return files.map((file) => {
    const quoted: FocusRegion[] = [];
    for (const failure of failures) {
      if (failure.path !== file.path || failure.hunk === undefined) continue;
      // A failure names its hunk within its edit; with several edits of one file, each
      // one's hunk of that number may be the one that failed.
      const hunk = failure.hunk;
      const searches = edits.edits
        .filter((e) => e.path === file.path)
        .map((e) => e.hunks[hunk - 1]?.search)
        .filter((s): s is string => s !== undefined);
      for (const search of searches) {
        const line = bestMatchLine(file.content, search);
        if (line === undefined) continue;
        const lines = file.content.split("\n").length;
        quoted.push({
          startLine: Math.max(1, line - BEFORE),
          endLine: Math.min(lines, line + AFTER),
        });
      }
    }
    if (quoted.length === 0) return file;
    return { ...file, regions: [...quoted, ...(file.regions ?? [])].slice(0, 200) };
  });
}

/**
 * The 1-based line of `content` where the quote's lines, compared without surrounding
 * whitespace, agree most; undefined when no line agrees at all.
 */
export function bestMatchLine(content: string, search: string): number | undefined {
  const fileLines = content.split("\n").map((l) => l.trim());
  const wanted = search
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 4);
  if (wanted.length === 0) return undefined;
  const wantedSet = new Set(wanted);
  // Score each line by how many quoted lines appear within the quote's span after it.
  const span = search.split("\n").length + 5;
  const hits = fileLines.map((l) => (wantedSet.has(l) ? 1 : 0));
  let best = 0;
  let bestEnd = -1;
  let window = 0;
  for (let i = 0; i < hits.length; i++) {
    window += hits[i] ?? 0;
    if (i >= span) window -= hits[i - span] ?? 0;
    if (window > best) {
      best = window;
      bestEnd = i;
    }
  }
  if (bestEnd < 0) return undefined;
  // The first agreeing line of the best window.
  for (let j = Math.max(0, bestEnd - span + 1); j <= bestEnd; j++) if (hits[j]) return j + 1;
  return bestEnd + 1;
}
