import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
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

  // The undo wrote a deleted script back with the default mode: after "nothing was
  // changed", the tree held a script that could no longer run.
  it("restores a deleted executable with its mode when the check fails", async () => {
    await writeFile(join(root, "deploy.sh"), "#!/bin/sh\necho deploy\n");
    await chmod(join(root, "deploy.sh"), 0o755);
    const r = await applyAndCheck(root, [{ path: "deploy.sh", change: "delete", hunks: [] }], {
      checkCommand: "exit 3",
      checkTimeoutMs: 20_000,
    });
    expect(r).toMatchObject({ ok: false, failedAt: "check" });
    expect(await readFile(join(root, "deploy.sh"), "utf8")).toBe("#!/bin/sh\necho deploy\n");
    expect((await stat(join(root, "deploy.sh"))).mode & 0o777).toBe(0o755);
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

  it("quotes no secret of a file in any refusal: apply, syntax or check", async () => {
    const key = `sk_live_${"51HxQ2eKJ8s0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123"}`;
    const webhook = `whsec_${"Q7m2Xk9Lp4Zr8Tn3Vb6Wc1Yd5Fg0Hj"}`;
    // The second secret starts past column 90: a quote cut at 100 characters shows its head.
    const settings =
      `DEBUG = False\nSTRIPE_KEY = "${key}"\n` +
      `PAYMENTS = dict(base_url="https://api.payments.example.com/v1/intents", retries=5, secret="${webhook}")\n`;
    await writeFile(join(root, "app/settings.py"), settings);
    const pieces = [key.slice(0, 10), webhook.slice(0, 10)];
    const reports = [
      failureReport(
        await applyAndCheck(root, [
          {
            path: "app/settings.py",
            change: "modify",
            hunks: [
              { search: 'DEBUG = False\nSTRIPE_KEY = "[redacted]"', replace: "DEBUG = True" },
              {
                search: `PAYMENTS = dict(base_url="https://api.payments.example.com/v1/intents", retries=5, secret="[redacted]")`,
                replace: "PAYMENTS = {}",
              },
            ],
          },
        ]),
      ),
      failureReport(
        await applyAndCheck(root, [
          {
            path: "app/settings.py",
            change: "modify",
            hunks: [{ search: 'STRIPE_KEY = "', replace: 'STRIPE_KEY = ("' }],
          },
        ]),
      ),
      failureReport(
        await applyAndCheck(
          root,
          [
            {
              path: "app/settings.py",
              change: "modify",
              hunks: [{ search: "DEBUG = False\n", replace: "DEBUG = True\n" }],
            },
          ],
          {
            checkCommand: "cat app/settings.py; exit 1",
            checkTimeoutMs: 20_000,
            checkUnisolated: true,
          },
        ),
      ),
    ];
    expect(reports[0]).toMatch(/hunk 1 of app\/settings\.py: search text not found/);
    expect(reports[0]).toMatch(/hunk 2 of app\/settings\.py: search text not found/);
    expect(reports[1]).toMatch(/^The edited files have syntax errors/);
    expect(reports[2]).toMatch(/^The check command failed/);
    for (const report of reports) {
      for (const piece of pieces) expect(report).not.toContain(piece);
      expect(report).toContain("[redacted] stands for a secret");
    }
  });

  it("refuses to read or change an existing file the context would not show", async () => {
    await writeFile(join(root, ".env"), "API_KEY=hunter2-dotenv-0042\n");
    const r = await applyAndCheck(
      root,
      [
        {
          path: ".env",
          change: "modify",
          hunks: [{ search: "API_KEY=hunter2-dotenv-0000", replace: "x" }],
        },
      ],
      { shown: new Set(["app/calc.py"]) },
    );
    expect(r.failedAt).toBe("apply");
    expect(r.apply.changes).toEqual([]);
    expect(failureReport(r)).toBe(
      "The edits could not be applied. Each search text must match the current file exactly once:\n" +
        "- .env: kept from the model like any context file (secret, ignored, binary or in a dependency folder)",
    );
    expect(await readFile(join(root, ".env"), "utf8")).toBe("API_KEY=hunter2-dotenv-0042\n");
  });
});
