import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { applyEdits, memoryReader } from "../../../action/edits/apply-edits.js";
import { diffToEdits } from "../../../action/edits/diff-to-hunks.js";
import { syntaxGate } from "../../../action/edits/syntax-gate.js";
import { parseSource } from "../../../action/parsing/index.js";
import { findMirror, mirrorRoot, noMirrorsReason } from "../../bench/bench-data.js";
import { GOLD_FILE, evaluateGoldPatch, loadGoldPatches } from "../../bench/edit-apply/gold.js";
import {
  BREAKAGES,
  PERTURBATIONS,
  breakSyntax,
  perturbHunk,
} from "../../bench/edit-apply/variants.js";

interface Fixture {
  patch: string;
  base: Record<string, string>;
  expected: Record<string, string>;
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/realistic-patches.json", import.meta.url), "utf8"),
) as Fixture;

describe("realistic fixes through the apply path (self-contained)", () => {
  const { edits } = diffToEdits(fixture.patch, (p) => fixture.base[p]);

  it.each(PERTURBATIONS.map((p) => [p]))("still reproduces the fix after %s", async (kind) => {
    const perturbed = edits.map((e) => ({ ...e, hunks: e.hunks.map((h) => perturbHunk(h, kind)) }));
    // The perturbation really changed the hunks, so the tolerant ladder is exercised.
    expect(perturbed.flatMap((e) => e.hunks.map((h) => h.search))).not.toEqual(
      edits.flatMap((e) => e.hunks.map((h) => h.search)),
    );
    const r = await applyEdits(perturbed, memoryReader(fixture.base));
    expect(r.failures).toEqual([]);
    for (const [path, text] of Object.entries(fixture.expected)) {
      expect(r.changes.find((c) => c.path === path)?.after).toBe(text);
    }
  });

  it("passes the syntax gate on every fixed file", async () => {
    const gate = await syntaxGate(
      Object.entries(fixture.expected).map(([path, after]) => ({
        path,
        before: fixture.base[path],
        after,
      })),
    );
    expect(gate.failures).toEqual([]);
    expect(
      gate.files
        .filter((f) => f.status === "passed")
        .map((f) => f.path)
        .sort(),
    ).toEqual([
      "django_like/validators.py",
      "gin/router.go",
      "lib/rubocop/cop/layout/line_length.rb",
      "src/sds.c",
      "src/version.ts",
    ]);
  });

  it.each(BREAKAGES.map((b) => [b]))("catches %s in the fixed files", async (kind) => {
    let tried = 0;
    for (const [path, after] of Object.entries(fixture.expected)) {
      const parsed = await parseSource(path, after);
      if (!parsed) continue;
      const broken = breakSyntax(parsed, kind, 1, after.split("\n").length);
      parsed.dispose();
      if (broken === undefined) continue;
      tried++;
      const gate = await syntaxGate([{ path, before: fixture.base[path], after: broken }]);
      expect({ path, ok: gate.ok }).toEqual({ path, ok: false });
    }
    expect(tried).toBeGreaterThanOrEqual(3);
  });
});

// Real fixes from the benchmark, when their repositories have been fetched on this
// machine (BENCH_MIRRORS; CI machines have none: the suite above still runs there).
const SAMPLE = [
  "psf__requests-2317",
  "gin-gonic__gin-1805",
  "sharkdp__bat-1892",
  "rubocop__rubocop-13362",
  "redis__redis-10095",
  "immutable-js__immutable-js-2006",
  "laravel__framework-46234",
  "projectlombok__lombok-3602",
];

const rows = existsSync(GOLD_FILE) ? loadGoldPatches() : [];
const available = SAMPLE.map((id) => rows.find((r) => r.instance_id === id)).filter(
  (r): r is NonNullable<typeof r> => r !== undefined && findMirror(r.repo) !== undefined,
);
if (available.length === 0) {
  console.log(
    `gold-patches: real-patch sample skipped: ${mirrorRoot() === undefined ? noMirrorsReason() : `none of its repositories is mirrored there (or ${GOLD_FILE} is missing)`}`,
  );
}

describe("real gold patches (local mirrors only)", () => {
  const cases = available.map((r) => [r.instance_id, r] as const);
  const run =
    cases.length > 0 ? it.each(cases) : it.skip.each([["(no mirrors)", undefined] as const]);
  run("%s applies exactly, survives perturbation, and passes the gate", async (_id, row) => {
    const gitDir = row && findMirror(row.repo);
    if (!row || gitDir === undefined) throw new Error("unreachable: only available rows run");
    const r = await evaluateGoldPatch(row, gitDir);
    expect(r.skipped).toBeUndefined();
    expect(r.exactFailure).toBeUndefined();
    expect(r.exact).toBe(true);
    for (const kind of PERTURBATIONS) expect(r.perturbed[kind].failures).toEqual([]);
    expect(r.gate.falseAlarms).toEqual([]);
    for (const kind of BREAKAGES) expect(r.breakage[kind].missed).toEqual([]);
  });
});
