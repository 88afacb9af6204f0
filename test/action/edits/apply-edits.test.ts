import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyEdits, applyEditsToTree, memoryReader } from "../../../action/edits/apply-edits.js";
import type { FileEdit } from "../../../protocol/index.js";

const files = {
  "src/app.py": "def main():\n    print('hi')\n\n\ndef helper():\n    return 1\n",
  "README.md": "# app\n",
};

describe("applyEdits (in memory)", () => {
  it("applies modify, create and delete and reports before/after", async () => {
    const edits: FileEdit[] = [
      {
        path: "src/app.py",
        change: "modify",
        hunks: [
          { search: "    print('hi')\n", replace: "    print('hello')\n" },
          { search: "    return 1\n", replace: "    return 2\n" },
        ],
      },
      { path: "src/new.py", change: "create", hunks: [], content: "X = 1\n" },
      { path: "README.md", change: "delete", hunks: [] },
    ];
    const r = await applyEdits(edits, memoryReader(files));
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    const byPath = Object.fromEntries(r.changes.map((c) => [c.path, c]));
    expect(byPath["src/app.py"]?.after).toBe(
      "def main():\n    print('hello')\n\n\ndef helper():\n    return 2\n",
    );
    expect(byPath["src/app.py"]?.hunks.map((h) => h.level)).toEqual(["exact", "exact"]);
    expect(byPath["src/new.py"]).toMatchObject({
      change: "create",
      before: undefined,
      after: "X = 1\n",
    });
    expect(byPath["README.md"]).toMatchObject({ change: "delete", after: undefined });
  });

  it("lists every failure with hunk numbers and paths", async () => {
    const edits: FileEdit[] = [
      {
        path: "src/app.py",
        change: "modify",
        hunks: [
          { search: "    print('hi')\n", replace: "    print('x')\n" },
          { search: "    return 99\n", replace: "    return 2\n" },
        ],
      },
      { path: "README.md", change: "create", hunks: [], content: "# new\n" },
      { path: "src/missing.py", change: "modify", hunks: [{ search: "a", replace: "b" }] },
      { path: "gone.py", change: "delete", hunks: [] },
      { path: "../escape.py", change: "create", hunks: [], content: "" },
      { path: ".github/workflows/ci.yml", change: "create", hunks: [], content: "on: push\n" },
    ];
    const r = await applyEdits(edits, memoryReader(files));
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.message)).toEqual([
      'hunk 2 of src/app.py: search text not found; no line of it occurs in the file (first line: "return 99"); the most similar line is 6: "return 1"',
      'README.md: create of an existing file; send "modify" with search/replace hunks instead',
      'src/missing.py: modify of a file that does not exist; send "create" with the whole content instead',
      "gone.py: delete of a file that does not exist",
      expect.stringMatching(/^\.\.\/escape\.py: path .* contains "\.\."/),
      expect.stringMatching(/^\.github\/workflows\/ci\.yml: path .* is protected/),
    ]);
    expect(r.failures[0]?.hunk).toBe(2);
  });

  it("applies several edits of one path in order", async () => {
    const r = await applyEdits(
      [
        {
          path: "src/app.py",
          change: "modify",
          hunks: [{ search: "return 1", replace: "return 2" }],
        },
        {
          path: "src/app.py",
          change: "modify",
          hunks: [{ search: "return 2", replace: "return 3" }],
        },
      ],
      memoryReader(files),
    );
    expect(r.ok).toBe(true);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]?.after).toContain("return 3");
  });
});

describe("applyEditsToTree", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "apply-tree-"));
    await mkdir(join(root, "src"));
    for (const [p, t] of Object.entries(files)) await writeFile(join(root, p), t);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes every change when all edits apply", async () => {
    const r = await applyEditsToTree(root, [
      {
        path: "src/app.py",
        change: "modify",
        hunks: [{ search: "return 1", replace: "return 5" }],
      },
      { path: "pkg/sub/mod.py", change: "create", hunks: [], content: "Y = 2\n" },
      { path: "README.md", change: "delete", hunks: [] },
    ]);
    expect(r.ok).toBe(true);
    expect(await readFile(join(root, "src/app.py"), "utf8")).toContain("return 5");
    expect(await readFile(join(root, "pkg/sub/mod.py"), "utf8")).toBe("Y = 2\n");
    expect(existsSync(join(root, "README.md"))).toBe(false);
  });

  it("writes nothing when any edit fails", async () => {
    const r = await applyEditsToTree(root, [
      {
        path: "src/app.py",
        change: "modify",
        hunks: [{ search: "return 1", replace: "return 5" }],
      },
      { path: "src/other.py", change: "modify", hunks: [{ search: "nope", replace: "x" }] },
    ]);
    expect(r.ok).toBe(false);
    expect(await readFile(join(root, "src/app.py"), "utf8")).toBe(files["src/app.py"]);
  });

  // Read as UTF-8, every Latin-1 accent of such a file became U+FFFD, and an edit of one
  // line wrote them all back so: the string literals changed, the file still parsed.
  it("refuses to edit a file that is not UTF-8, leaving its bytes as they were", async () => {
    const latin1 = Buffer.from(
      '/* Auteur : Andr\xe9 */\nconst char *s = "\xe7a va";\nint n = 10;\n',
      "latin1",
    );
    await writeFile(join(root, "src/greet.c"), latin1);
    const r = await applyEditsToTree(root, [
      {
        path: "src/greet.c",
        change: "modify",
        hunks: [{ search: "int n = 10;", replace: "int n = 20;" }],
      },
    ]);
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.message)).toEqual([
      expect.stringMatching(/^src\/greet\.c: not UTF-8 text: .*convert the file to UTF-8/),
    ]);
    expect(await readFile(join(root, "src/greet.c"))).toEqual(latin1);
  });

  it("keeps a UTF-8 file's byte order mark and every other byte it does not edit", async () => {
    const text = "\uFEFF# café\nx = 1\n";
    await writeFile(join(root, "src/bom.py"), text, "utf8");
    const r = await applyEditsToTree(root, [
      { path: "src/bom.py", change: "modify", hunks: [{ search: "x = 1", replace: "x = 2" }] },
    ]);
    expect(r.ok).toBe(true);
    expect(await readFile(join(root, "src/bom.py"))).toEqual(
      Buffer.from("\uFEFF# café\nx = 2\n", "utf8"),
    );
  });
});
