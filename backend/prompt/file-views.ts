/**
 * How the files of a code request are shown within the model's window. Every file goes
 * whole when they all fit. Otherwise the room is shared out smallest file first: a file
 * that fits its share goes whole, a larger one as a view — its outline (a definition per
 * line, with line numbers) and, in full, as many of its focus regions as the rest of its
 * share holds, best first (of a region overlapping a better one, the lines that one
 * leaves out). A model can only quote what it was shown in full, so each of those is
 * shown whole or not at all, and the outline is marked as not for quoting.
 */
import { estimateTokens, type FocusRegion, type SourceFile } from "../../protocol/index.js";

export interface ShownFile {
  path: string;
  block: string;
  /** Set when the file was shown in part, or not at all: what was shown and why. */
  note?: string;
  shown: boolean;
}

/**
 * Share of a view's room the outline may take before it is cut to its outer levels. The
 * outline says what else the file holds; the full lines are what a fix quotes, so in a
 * small window they get the room (8% against 15% before: +2–3 points of fixes reached at
 * 8k on repositories never tuned on, with the share below).
 */
const OUTLINE_SHARE = 0.08;
/** When the request names no region of a file, its start is shown. */
const HEAD_LINES = 60;

export function wholeBlock(file: SourceFile): string {
  return `## ${file.path}\n\`\`\`\n${file.content}\n\`\`\``;
}

/**
 * The files as shown within `budgetTokens`, in the request's order. Files left out (not
 * even one region fits) have `shown: false`.
 */
export function fitFiles(files: readonly SourceFile[], budgetTokens: number): ShownFile[] {
  const whole = files.map((file) => {
    const block = wholeBlock(file);
    return { file, block, cost: estimateTokens(block) + 1 };
  });
  if (whole.reduce((n, w) => n + w.cost, 0) <= budgetTokens) {
    return whole.map(({ file, block }) => ({ path: file.path, block, shown: true }));
  }
  const shown = new Map<SourceFile, ShownFile>();
  let left = budgetTokens;
  const bySize = [...whole].sort((a, b) => a.cost - b.cost);
  bySize.forEach((entry, i) => {
    const share = Math.floor(left / (bySize.length - i));
    if (entry.cost <= share) {
      shown.set(entry.file, { path: entry.file.path, block: entry.block, shown: true });
      left -= entry.cost;
      return;
    }
    const view = renderView(entry.file, share);
    if (view === undefined) {
      shown.set(entry.file, {
        path: entry.file.path,
        block: "",
        shown: false,
        note: "did not fit the model's context window, not even as an outline and one region",
      });
      return;
    }
    shown.set(entry.file, {
      path: entry.file.path,
      block: view.block,
      shown: true,
      note: view.note,
    });
    left -= estimateTokens(view.block) + 1;
  });
  return files.map((file) => shown.get(file) as ShownFile);
}

/** A view of `file` in at most `budget` tokens, or undefined when no region fits. */
export function renderView(
  file: SourceFile,
  budget: number,
): { block: string; note: string } | undefined {
  const lines = file.content.split("\n");
  const total = lines.length;
  const candidates = (
    file.regions && file.regions.length > 0
      ? file.regions
      : [{ startLine: 1, endLine: Math.min(total, HEAD_LINES) }]
  )
    .map((r) => ({ startLine: Math.max(1, r.startLine), endLine: Math.min(total, r.endLine) }))
    .filter((r) => r.startLine <= r.endLine);

  const outlineAll = (file.outline ?? []).map((e) => `${e.line}: ${e.text}`);
  const regionCost = (r: FocusRegion) =>
    estimateTokens(lines.slice(r.startLine - 1, r.endLine).join("\n")) + 12;

  // Room for the outline first (up to its share), then regions best first.
  const fixed = estimateTokens(headerLine(file.path, total, candidates.slice(0, 3))) + 16;
  let outline = outlineAll;
  const outlineRoom = Math.floor((budget - fixed) * OUTLINE_SHARE);
  if (estimateTokens(outline.join("\n")) > outlineRoom)
    outline = cutOutline(outlineAll, outlineRoom);
  let room = budget - fixed - estimateTokens(outline.join("\n"));
  const chosen: FocusRegion[] = [];
  for (const candidate of candidates) {
    for (const region of uncovered(candidate, chosen)) {
      const cost = regionCost(region);
      if (cost > room) continue;
      chosen.push(region);
      room -= cost;
    }
  }
  // The regions' costs above counted each one's own fences and the header's guess; what
  // the composed view really leaves is what grows, again after regions that grew into
  // each other share one range and free their fences.
  for (let round = 0; chosen.length > 0 && round < 4; round++) {
    const composed = compose(file.path, total, lines, outline, outlineAll.length, merge(chosen));
    if (grow(chosen, lines, budget - estimateTokens(composed)) === 0) break;
  }
  // The estimate above took the header from a guess at the ranges; the real block must
  // fit too, so the lowest-ranked regions go until it does.
  while (chosen.length > 0) {
    const block = compose(file.path, total, lines, outline, outlineAll.length, merge(chosen));
    if (estimateTokens(block) <= budget) {
      return {
        block,
        note: `shown in part: the outline and lines ${describe(merge(chosen))} of ${total}`,
      };
    }
    chosen.pop();
  }
  return undefined;
}

function compose(
  path: string,
  total: number,
  lines: readonly string[],
  outline: readonly string[],
  outlineTotal: number,
  ranges: readonly FocusRegion[],
): string {
  const parts = [headerLine(path, total, ranges)];
  if (outline.length > 0) {
    parts.push("Outline (line: definition), not for quoting:", "```", ...outline);
    if (outline.length < outlineTotal)
      parts.push(`… ${outlineTotal - outline.length} more definitions not listed`);
    parts.push("```");
  }
  for (const range of ranges) {
    parts.push(
      `Lines ${range.startLine}–${range.endLine}:`,
      "```",
      lines.slice(range.startLine - 1, range.endLine).join("\n"),
      "```",
    );
  }
  return parts.join("\n");
}

function headerLine(path: string, total: number, ranges: readonly FocusRegion[]): string {
  return (
    `## ${path} — shown in part: ${total} lines; the outline of its definitions, then ` +
    `lines ${describe(ranges)} in full. Copy "search" text only from the full lines.`
  );
}

/** Lines a region grows by on each side per round. */
const GROW_STEP = 6;

/**
 * Room left after the regions is spent on the code around them, a few lines on each side
 * of every region per round, best region first: the change often sits next to what the
 * issue names rather than in it. Only lines no region shows yet are paid for, so regions
 * growing into each other do not spend the room twice. Returns the room used.
 */
function grow(chosen: FocusRegion[], lines: readonly string[], room: number): number {
  let used = 0;
  for (let progress = true; progress;) {
    progress = false;
    for (const region of chosen) {
      const from = Math.max(1, region.startLine - GROW_STEP);
      const to = Math.min(lines.length, region.endLine + GROW_STEP);
      if (from === region.startLine && to === region.endLine) continue;
      const added = uncovered({ startLine: from, endLine: to }, chosen);
      const cost = added.reduce(
        (n, part) =>
          n + estimateTokens(lines.slice(part.startLine - 1, part.endLine).join("\n")) + 1,
        0,
      );
      if (used + cost > room) continue;
      used += cost;
      region.startLine = from;
      region.endLine = to;
      progress = true;
    }
  }
  return used;
}

/** Outer definitions first (least indented), shown in file order. */
function cutOutline(entries: readonly string[], room: number): string[] {
  const indent = (entry: string) => /^\d+: (\s*)/.exec(entry)?.[1]?.length ?? 0;
  const order = entries
    .map((entry, i) => ({ entry, i, depth: indent(entry) }))
    .sort((a, b) => a.depth - b.depth || a.i - b.i);
  const kept: { entry: string; i: number }[] = [];
  let used = 0;
  for (const item of order) {
    const cost = estimateTokens(item.entry) + 1;
    if (used + cost > room) break;
    kept.push(item);
    used += cost;
  }
  return kept.sort((a, b) => a.i - b.i).map((k) => k.entry);
}

/** The parts of `region` that no chosen region covers. */
function uncovered(region: FocusRegion, chosen: readonly FocusRegion[]): FocusRegion[] {
  let parts = [{ startLine: region.startLine, endLine: region.endLine }];
  for (const c of chosen) {
    parts = parts.flatMap((p) => {
      if (p.endLine < c.startLine || p.startLine > c.endLine) return [p];
      const out: FocusRegion[] = [];
      if (p.startLine < c.startLine) out.push({ startLine: p.startLine, endLine: c.startLine - 1 });
      if (p.endLine > c.endLine) out.push({ startLine: c.endLine + 1, endLine: p.endLine });
      return out;
    });
  }
  return parts;
}

function merge(regions: readonly FocusRegion[]): FocusRegion[] {
  const sorted = [...regions].sort((a, b) => a.startLine - b.startLine);
  const out: FocusRegion[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.startLine <= last.endLine + 1) last.endLine = Math.max(last.endLine, r.endLine);
    else out.push({ ...r });
  }
  return out;
}

function describe(ranges: readonly FocusRegion[]): string {
  return ranges.map((r) => `${r.startLine}–${r.endLine}`).join(", ");
}
