import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyAndCheck } from "../../../action/edits/apply-and-check.js";
import { failureReport } from "../../../action/edits/failure-report.js";

const APP = "def total(xs):\n    return sum(xs)\n";

describe("applyAndCheck", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "act-"));
    await mkdir(join(root, "app"));
    await writeFile(join(root, "app/calc.py"), APP);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes the files when apply, syntax and check all pass", async () => {
    const r = await applyAndCheck(
      root,
      [
        {
          path: "app/calc.py",
          change: "modify",
          hunks: [{ search: "    return sum(xs)\n", replace: "    return sum(xs or [])\n" }],
        },
        { path: "app/notes.md", change: "create", hunks: [], content: "(unbalanced\n" },
      ],
      { checkCommand: "grep -q 'xs or' app/calc.py", checkTimeoutMs: 20_000 },
    );
    expect(r.ok).toBe(true);
    expect(r.syntax?.files.map((f) => f.status)).toEqual(["passed", "skipped"]);
    expect(r.check?.exitCode).toBe(0);
    expect(await readFile(join(root, "app/calc.py"), "utf8")).toContain("xs or []");
    expect(failureReport(r)).toBe("");
  });

  it("refuses a syntax break without touching the tree", async () => {
    const r = await applyAndCheck(root, [
      {
        path: "app/calc.py",
        change: "modify",
        hunks: [{ search: "    return sum(xs)\n", replace: "    return sum(xs\n" }],
      },
    ]);
    expect(r).toMatchObject({ ok: false, failedAt: "syntax", written: [] });
    expect(await readFile(join(root, "app/calc.py"), "utf8")).toBe(APP);
    expect(failureReport(r)).toMatch(
      /^The edited files have syntax errors that the originals did not have:\n- app\/calc\.py:2:\d+: syntax error/,
    );
  });

  it("restores the files when the check command fails", async () => {
    const r = await applyAndCheck(
      root,
      [
        {
          path: "app/calc.py",
          change: "modify",
          hunks: [{ search: "sum(xs)", replace: "max(xs)" }],
        },
        { path: "app/extra.py", change: "create", hunks: [], content: "X = 1\n" },
      ],
      { checkCommand: "echo 'test_total FAILED'; exit 1", checkTimeoutMs: 20_000 },
    );
    expect(r).toMatchObject({ ok: false, failedAt: "check" });
    expect(await readFile(join(root, "app/calc.py"), "utf8")).toBe(APP);
    expect(existsSync(join(root, "app/extra.py"))).toBe(false);
    expect(failureReport(r)).toBe(
      "The check command failed (exit code 1). The end of its output:\n```\ntest_total FAILED\n```",
    );
  });

  it("reports apply failures for the repair round, bounded", async () => {
    const r = await applyAndCheck(root, [
      {
        path: "app/calc.py",
        change: "modify",
        hunks: Array.from({ length: 30 }, (_, i) => ({ search: `missing_${i}()`, replace: "x" })),
      },
    ]);
    expect(r.failedAt).toBe("apply");
    const report = failureReport(r, 500);
    expect(report.length).toBeLessThanOrEqual(540);
    expect(report).toMatch(/^The edits could not be applied\./);
    expect(report).toContain("- hunk 1 of app/calc.py: search text not found");
    expect(report).toMatch(/\[… \d+ more characters\]$/);
  });
});
