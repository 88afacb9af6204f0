import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { applyEdits, memoryReader } from "../../../action/edits/apply-edits.js";
import { diffToEdits, parseUnifiedDiff } from "../../../action/edits/diff-to-hunks.js";
import { occurrences } from "../../../action/edits/hunk-match.js";

interface Fixture {
  patch: string;
  base: Record<string, string>;
  expected: Record<string, string>;
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/realistic-patches.json", import.meta.url), "utf8"),
) as Fixture;

describe("parseUnifiedDiff", () => {
  it("reads paths, creations, deletions and the missing-newline marker", () => {
    const files = parseUnifiedDiff(fixture.patch);
    expect(files.map((f) => [f.oldPath, f.newPath])).toEqual([
      ["lib/legacy.js", undefined],
      ["lib/rubocop/cop/layout/line_length.rb", "lib/rubocop/cop/layout/line_length.rb"],
      ["gin/router.go", "gin/router.go"],
      ["src/sds.c", "src/sds.c"],
      ["django_like/validators.py", "django_like/validators.py"],
      [undefined, "src/version.ts"],
    ]);
    const ruby = files[1]?.hunks[0];
    expect(ruby?.lines.filter((l) => l.noEol).map((l) => [l.op, l.text])).toEqual([["-", "end"]]);
    expect(files[4]?.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [8, 7, 8, 10],
      [21, 4, 24, 4],
    ]);
  });
});

describe("diffToEdits", () => {
  it("turns a multi-language fix into edits that reproduce the patched files", async () => {
    const { edits, problems } = diffToEdits(fixture.patch, (p) => fixture.base[p]);
    expect(problems).toEqual([]);
    expect(edits.map((e) => [e.path, e.change, e.hunks.length])).toEqual([
      ["lib/legacy.js", "delete", 0],
      ["lib/rubocop/cop/layout/line_length.rb", "modify", 1],
      ["gin/router.go", "modify", 1],
      ["src/sds.c", "modify", 1],
      ["django_like/validators.py", "modify", 2],
      ["src/version.ts", "create", 0],
    ]);
    const result = await applyEdits(edits, memoryReader(fixture.base));
    expect(result.failures).toEqual([]);
    const after = Object.fromEntries(result.changes.map((c) => [c.path, c.after]));
    expect(after).toEqual({ ...fixture.expected, "lib/legacy.js": undefined });
    // The CRLF file keeps its line endings.
    expect(after["src/sds.c"]).toContain("    if (s == NULL) return 0;\r\n");
  });

  it("widens context until the search text is unique", () => {
    const base = [
      "def a():",
      "    x = 1",
      "    return x",
      "",
      "def b():",
      "    x = 1",
      "    return x",
      "",
    ].join("\n");
    const patch = [
      "diff --git a/m.py b/m.py",
      "--- a/m.py",
      "+++ b/m.py",
      "@@ -6,2 +6,2 @@",
      "-    x = 1",
      "+    x = 2",
      "     return x",
    ].join("\n");
    const { edits } = diffToEdits(patch, () => base);
    const search = edits[0]?.hunks[0]?.search ?? "";
    expect(occurrences(base, search)).toHaveLength(1);
    expect(search).toContain("def b():");
  });

  it("finds a hunk whose header line numbers are off, as git apply does", async () => {
    const base = "# header\n# more\nimport os\n\nprint(os.sep)\n";
    const patch =
      "--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n import os\n \n-print(os.sep)\n+print(os.getcwd())\n";
    const { edits, problems } = diffToEdits(`diff --git a/x.py b/x.py\n${patch}`, () => base);
    expect(problems).toEqual([]);
    const r = await applyEdits(edits, memoryReader({ "x.py": base }));
    expect(r.changes[0]?.after).toBe("# header\n# more\nimport os\n\nprint(os.getcwd())\n");
  });

  it("reports a hunk that matches nowhere", () => {
    const patch =
      "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-absent\n+present\n";
    expect(diffToEdits(patch, () => "other\n").problems).toEqual([
      "x.py: hunk 1 does not match the base file near line 1",
    ]);
  });
});
