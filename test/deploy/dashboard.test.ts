import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEAD_LETTER_QUEUE, REQUEST_QUEUE } from "../../protocol/index.js";
import { ROOT } from "./manifests.js";

type Target = { refId: string; expr: string; datasource?: { uid: string } };
type Panel = {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
};

const dashboard = JSON.parse(
  readFileSync(join(ROOT, "docs", "grafana-dashboard.json"), "utf8"),
) as {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
};
const panels = dashboard.panels.filter((p) => p.type !== "row");
const expressions = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

/** The worker's own metrics, as registered in backend/ops/metrics.ts. */
const registered = [
  ...readFileSync(join(ROOT, "backend", "ops", "metrics.ts"), "utf8").matchAll(
    /name: "(issue_agent_\w+)"/g,
  ),
].map((m) => m[1] as string);

describe("docs/grafana-dashboard.json", () => {
  test("is an importable dashboard with a Prometheus data source variable", () => {
    expect(dashboard.uid).toBe("issue-agent-worker");
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const datasource = dashboard.templating.list.find((v) => v.name === "datasource");
    expect(datasource).toMatchObject({ type: "datasource", query: "prometheus" });
  });

  test("every panel queries through the data source variable", () => {
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, "${datasource}"]);
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
  });

  test("panel ids are unique and panels do not overlap", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { gridPos, title } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect([title, cells.has(`${x},${y}`)]).toEqual([title, false]);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  test("queries only metrics the worker registers (histograms through _bucket/_sum/_count)", () => {
    expect(registered.length).toBeGreaterThan(8);
    const used = new Set(
      expressions.flatMap((e) =>
        [...e.matchAll(/\bissue_agent_\w+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, "")),
      ),
    );
    for (const name of used) expect(registered).toContain(name);
    // ... and shows every one of them.
    for (const name of registered) expect([...used]).toContain(name);
  });

  test("watches the queue the worker consumes and its dead-letter queue", () => {
    const queues = new Set(
      expressions.flatMap((e) => [...e.matchAll(/queue="([^"]+)"/g)].map((m) => m[1])),
    );
    expect([...queues].sort()).toEqual([DEAD_LETTER_QUEUE, REQUEST_QUEUE].sort());
  });

  test("histogram quantiles aggregate by le", () => {
    for (const expr of expressions.filter((e) => e.includes("histogram_quantile"))) {
      expect(expr).toMatch(/sum by \(le(, \w+)?\) \((rate|increase)\(issue_agent_\w+_bucket/);
    }
  });
});
