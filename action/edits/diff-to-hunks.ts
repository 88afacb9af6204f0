import type { EditHunk, FileEdit } from "../../protocol/index.js";
import { occurrences } from "./hunk-match.js";

/** One `@@` block of a unified diff. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Body lines: op and text (without the newline); `noEol` when "\ No newline" followed. */
  lines: { op: " " | "-" | "+"; text: string; noEol: boolean }[];
}

/** One file's section of a `git diff`. */
export interface FilePatch {
  oldPath: string | undefined;
  newPath: string | undefined;
  hunks: DiffHunk[];
}

/**
 * Parses a git-style unified diff. Paths come from the `---`/`+++` lines (`/dev/null`
 * means absent), falling back to the `diff --git` header for sections without hunks.
 */
export function parseUnifiedDiff(patch: string): FilePatch[] {
  const files: FilePatch[] = [];
  let file: FilePatch | undefined;
  let hunk: DiffHunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  const lines = patch.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      const op = line.charAt(0);
      if (op === " " || op === "-" || op === "+" || line === "") {
        // An empty line inside a hunk is a context line whose leading space was stripped.
        const kind = line === "" ? " " : (op as " " | "-" | "+");
        hunk.lines.push({ op: kind, text: line.slice(1), noEol: false });
        if (kind !== "+") oldLeft--;
        if (kind !== "-") newLeft--;
        continue;
      }
    }
    if (line.startsWith("\\ ")) {
      const last = hunk?.lines[hunk.lines.length - 1];
      if (last) last.noEol = true;
      continue;
    }
    if (line.startsWith("diff --git ")) {
      const m = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
      file = { oldPath: m?.[1], newPath: m?.[2], hunks: [] };
      files.push(file);
      hunk = undefined;
    } else if (line.startsWith("--- ") && file && !hunk) {
      file.oldPath = diffPath(line.slice(4));
    } else if (line.startsWith("+++ ") && file && !hunk) {
      file.newPath = diffPath(line.slice(4));
    } else if (line.startsWith("new file mode") && file) {
      file.oldPath = undefined;
    } else if (line.startsWith("deleted file mode") && file) {
      file.newPath = undefined;
    } else if (line.startsWith("@@") && file) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) throw new Error(`malformed hunk header: ${line}`);
      hunk = {
        oldStart: Number(m[1]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        lines: [],
      };
      oldLeft = hunk.oldLines;
      newLeft = hunk.newLines;
      file.hunks.push(hunk);
    }
  }
  return files;
}

export interface DiffConversion {
  edits: FileEdit[];
  /** Sections that could not be converted, with the reason. */
  problems: string[];
}

/**
 * Turns a unified diff into the edit format the model produces: search/replace hunks for
 * modified files, whole content for new ones. Each diff hunk becomes one search/replace
 * hunk whose search is the hunk's old lines plus its context, widened line by line
 * (above, then below) until it occurs exactly once in the file as the earlier hunks left
 * it, which is how the applier will see it. `readBase` gives a file's text before the patch.
 */
export function diffToEdits(
  patch: string,
  readBase: (path: string) => string | undefined,
): DiffConversion {
  const edits: FileEdit[] = [];
  const problems: string[] = [];
  for (const file of parseUnifiedDiff(patch)) {
    if (file.oldPath === undefined && file.newPath !== undefined) {
      edits.push({ path: file.newPath, change: "create", hunks: [], content: newContent(file) });
      continue;
    }
    if (file.oldPath !== undefined && file.newPath === undefined) {
      edits.push({ path: file.oldPath, change: "delete", hunks: [] });
      continue;
    }
    if (file.oldPath === undefined || file.newPath === undefined) continue;
    if (file.oldPath !== file.newPath) {
      problems.push(`${file.oldPath} → ${file.newPath}: renames are not converted`);
      continue;
    }
    const base = readBase(file.oldPath);
    if (base === undefined) {
      problems.push(`${file.oldPath}: base file not available`);
      continue;
    }
    const converted = convertFile(file, base);
    if (typeof converted === "string") problems.push(`${file.oldPath}: ${converted}`);
    else edits.push({ path: file.oldPath, change: "modify", hunks: converted });
  }
  return { edits, problems };
}

function convertFile(file: FilePatch, base: string): EditHunk[] | string {
  // Lines keep their terminator so that CRLF files and a missing final newline survive.
  let current = splitKeep(base);
  let delta = 0;
  const out: EditHunk[] = [];
  for (const [n, hunk] of file.hunks.entries()) {
    const oldBlock: string[] = [];
    const newBlock: string[] = [];
    for (const l of hunk.lines) {
      const text = l.text + (l.noEol ? "" : "\n");
      if (l.op !== "+") oldBlock.push(text);
      if (l.op !== "-") newBlock.push(text);
    }
    const expected = (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1) + delta;
    // Like `git apply`, accept the hunk's lines at an offset from the numbers in its
    // header (the diff may have been made against a slightly different revision).
    const at = nearestBlock(current, oldBlock, expected);
    if (at === undefined)
      return `hunk ${n + 1} does not match the base file near line ${expected + 1}`;
    delta += at - expected;
    let from = at;
    let to = at + oldBlock.length;
    const text = current.join("");
    const search = (): string => current.slice(from, to).join("");
    let grow = 0;
    while (search().trim() === "" || occurrences(text, search()).length !== 1) {
      if (from === 0 && to === current.length) return `hunk ${n + 1} cannot be made unique`;
      // Alternate above and below, so the anchor stays centred on the change.
      if ((grow++ % 2 === 0 && from > 0) || to === current.length) from--;
      else to++;
    }
    const replacement = [
      ...current.slice(from, at),
      ...newBlock,
      ...current.slice(at + oldBlock.length, to),
    ];
    out.push({ search: search(), replace: replacement.join("") });
    current = [...current.slice(0, from), ...replacement, ...current.slice(to)];
    delta += newBlock.length - oldBlock.length;
  }
  return out;
}

/** The line index closest to `expected` where `block` occurs in `lines`. */
function nearestBlock(
  lines: readonly string[],
  block: readonly string[],
  expected: number,
): number | undefined {
  const matchesAt = (i: number): boolean =>
    i >= 0 && i + block.length <= lines.length && block.every((l, k) => lines[i + k] === l);
  if (block.length === 0) return expected >= 0 && expected <= lines.length ? expected : undefined;
  for (let d = 0; d <= lines.length; d++) {
    if (matchesAt(expected - d)) return expected - d;
    if (matchesAt(expected + d)) return expected + d;
  }
  return undefined;
}

function newContent(file: FilePatch): string {
  return file.hunks
    .flatMap((h) => h.lines.filter((l) => l.op === "+").map((l) => l.text + (l.noEol ? "" : "\n")))
    .join("");
}

function diffPath(raw: string): string | undefined {
  const path = raw.replace(/\t.*$/, "");
  if (path === "/dev/null") return undefined;
  return path.replace(/^[ab]\//, "");
}

function splitKeep(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}
