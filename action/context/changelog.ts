/**
 * The changelog convention. Many projects want every change recorded in a changelog
 * file, and a fix that leaves it out gets sent back in review. A maintainer knows the
 * project's habit; here it is read from the changelog itself: when it opens with a
 * pending section ("Unreleased", "Upcoming", "in development") that already lists
 * entries, contributors add to it as they go. (Contributing guides
 * were tried as evidence and dropped: they mix what contributors do with what the
 * release process does, and named the changelog in projects whose fixes never touch it.)
 *
 * Projects that collect entries as separate new files (`changelog/`, `changes/`,
 * `newsfragments/`, `.changeset/`) never edit the changelog itself in a change, so they
 * are left alone. When the convention holds, the changelog nearest to each of the best
 * files joins the ranking right after that file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Companion } from "./companions.js";

export const CHANGELOG_REASON = "changelog: the project records each change here";

const CHANGELOG_NAME =
  /^(change[-_]?log|changes|history|news|releases?|release[-_]?notes|whats[-_]?new)(\.(md|markdown|rst|txt|adoc))?$/i;
const FRAGMENT_DIR = /(^|\/)(changelog|changes|newsfragments|\.changeset|changelog\.d)\//i;
/** Headings that name changes not yet released. */
const PENDING_HEADING =
  /\b(unreleased|upcoming|in development|under development|not yet released|unpublished)\b/i;
/**
 * A list entry: `- Fix x (#123)`, `* Templates use Bootstrap 4`. Entries need not cite a
 * pull request: Keep a Changelog projects often write them bare (measured on Loc-Bench,
 * requiring a citation missed four fixes' changelogs and spared no wrong one).
 */
const ENTRY = /^\s*[-*+]\s/;
/** "- None.", "* Nothing yet": an empty section's stand-in, not an entry. */
const PLACEHOLDER_ENTRY = /^\s*[-*+]\s+\W*(none|nothing|n\/a|tbd|todo)\b[^a-z]*$/i;
/** An entry in GitHub's generated release notes. */
const GENERATED_ENTRY = /\bby \[?@[\w-]+\]?(\([^)\s]*\))? in https?:\/\/\S+\/pull\/\d+/;
/** How far into the file the pending section and the release before it are read. */
const HEAD_LINES = 80;
/**
 * Paths of changelogs the project expects each change to update, given every listed
 * path. Reads only the head of each changelog.
 */
export function changelogsToUpdate(repoDir: string, paths: readonly string[]): string[] {
  if (paths.some((path) => FRAGMENT_DIR.test(path))) return [];
  const changelogs = paths.filter((path) => isChangelogPath(path));
  if (changelogs.length === 0) return [];
  return changelogs.filter((path) => {
    const head = readHead(repoDir, path, HEAD_LINES);
    return head !== undefined && opensWithPendingEntries(head);
  });
}

/**
 * The companion a best file has by this convention: the changelog nearest to it (by
 * shared directory), unless it is a changelog itself.
 */
export function changelogCompanion(anchor: string, changelogs: readonly string[]): Companion[] {
  if (changelogs.length === 0 || changelogs.includes(anchor)) return [];
  const nearest = nearestChangelog(anchor, changelogs);
  return nearest ? [{ path: nearest, reason: CHANGELOG_REASON }] : [];
}

export function isChangelogPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (!CHANGELOG_NAME.test(name)) return false;
  // A top-level changelog, one per package (`crate/CHANGELOG.md`) or in the docs folder.
  const depth = path.split("/").length - 1;
  return (
    depth === 0 ||
    (depth === 1 && !/^(test|tests|spec|vendor|node_modules)\//i.test(path)) ||
    /^docs?\/[^/]+$/i.test(path)
  );
}

/** A changelog's lines offered to the code step per region, and in all. */
const ENTRY_REGION_LINES = 30;
const ENTRY_SECTION_LINES = 150;

/**
 * Where a change's entry goes in a changelog: its first release section (the pending
 * one, or else the latest release) from the top of the file, as regions of at most 30
 * lines in file order, up to 150 lines. The entry goes there whatever the change is, so
 * the and the plan's words, which point at older entries like it, cannot find
 * the place; the model needs to see it to add to it.
 */
export function entryRegions(text: string): { startLine: number; endLine: number }[] {
  const lines = text.split("\n", HEAD_LINES + ENTRY_SECTION_LINES);
  let sectionLevel: string | undefined;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const level = headingLevel(line, lines[i + 1] ?? "");
    if (level === undefined) continue;
    if (sectionLevel === undefined) {
      if (i < HEAD_LINES && (PENDING_HEADING.test(line) || /\d+\.\d+/.test(line)))
        sectionLevel = level;
    } else if (endsSection(level, sectionLevel)) {
      end = i;
      break;
    }
  }
  const last = Math.min(end, ENTRY_SECTION_LINES);
  const regions: { startLine: number; endLine: number }[] = [];
  for (let start = 1; start <= last; start += ENTRY_REGION_LINES)
    regions.push({ startLine: start, endLine: Math.min(last, start + ENTRY_REGION_LINES - 1) });
  return regions;
}

/** The changelog in the deepest directory that contains `path`. */
function nearestChangelog(path: string, changelogs: readonly string[]): string | undefined {
  let chosen: string | undefined;
  let depth = -1;
  for (const changelog of changelogs) {
    const dir = changelog.slice(0, changelog.lastIndexOf("/") + 1);
    // A changelog under docs/ speaks for the whole project, like a top-level one.
    const scope = /^docs?\/$/i.test(dir) ? "" : dir;
    if (!path.startsWith(scope) || scope.length <= depth) continue;
    chosen = changelog;
    depth = scope.length;
  }
  return chosen;
}

/**
 * The first heading names a pending release, and entries are written by hand: in the
 * pending section itself or, when it is still empty ("- None."), in the release just
 * before it. An entry is a list item with its indented continuation lines (a citation
 * often sits on the second line). Release notes generated from pull-request titles
 * ("* Title by @user in https://…/pull/1") are a release tool's work, not a
 * contributor's, and do not count.
 */
function opensWithPendingEntries(head: string): boolean {
  const lines = head.split("\n");
  let pendingLevel: string | undefined;
  let sectionsAfter = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const level = headingLevel(line, lines[i + 1] ?? "");
    if (level !== undefined && pendingLevel !== undefined) {
      if (endsSection(level, pendingLevel) && ++sectionsAfter > 1) return false;
      continue;
    }
    if (level !== undefined) {
      if (PENDING_HEADING.test(line)) pendingLevel = level;
      // A first heading naming a released version: nothing is pending.
      else if (/\d+\.\d+/.test(line)) return false;
      continue;
    }
    if (pendingLevel !== undefined && ENTRY.test(line) && isHandWritten(entryAt(lines, i))) {
      return true;
    }
  }
  return false;
}

/** The list item starting at `start` with the indented lines that continue it. */
function entryAt(lines: readonly string[], start: number): string {
  const parts = [lines[start] ?? ""];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!/^\s+\S/.test(line) || ENTRY.test(line)) break;
    parts.push(line.trim());
  }
  return parts.join(" ");
}

function isHandWritten(entry: string): boolean {
  return !GENERATED_ENTRY.test(entry) && !PLACEHOLDER_ENTRY.test(entry);
}

/** `#`, `##`... for Markdown headings, the underline character for reStructuredText. */
function headingLevel(line: string, next: string): string | undefined {
  const hashes = /^(#{1,6})\s/.exec(line);
  if (hashes) return hashes[1];
  const underline = /^([=~^*+-])\1{2,}\s*$/.exec(next);
  if (underline && line.trim() !== "" && !/^\s*[-*+]\s/.test(line)) return underline[1];
  return undefined;
}

function endsSection(level: string, pending: string): boolean {
  if (level.startsWith("#") && pending.startsWith("#")) return level.length <= pending.length;
  return level === pending;
}

function readHead(repoDir: string, path: string, lines: number): string | undefined {
  try {
    const text = readFileSync(join(repoDir, path), "utf8");
    return text.split("\n", lines).join("\n");
  } catch {
    return undefined;
  }
}
