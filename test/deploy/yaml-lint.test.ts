import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { CHART_DIR, ROOT } from "./manifests.js";

// Prettier formats these files; yamllint adds what prettier does not check (duplicate
// keys, truthy values, trailing spaces). Lines up to 120 columns, as prettier wraps at 100.
const CONFIG = [
  "extends: default",
  "rules:",
  "  line-length: {max: 120}",
  "  document-start: disable",
  "  truthy: {check-keys: false}",
  "  comments: {min-spaces-from-content: 1}",
].join("\n");

const hasYamllint = spawnSync("yamllint", ["--version"]).status === 0;

describe("yamllint", () => {
  (hasYamllint ? test : test.skip)(
    "passes on the manifests, chart values, compose file and workflows (skipped without yamllint)",
    () => {
      const targets = [
        "k8s/base",
        "k8s/overlays",
        "k8s/secrets",
        join(CHART_DIR, "Chart.yaml"),
        join(CHART_DIR, "values.yaml"),
        "docker-compose.yml",
        ".github/workflows",
      ];
      const result = spawnSync("yamllint", ["-f", "parsable", "-d", CONFIG, ...targets], {
        cwd: ROOT,
        encoding: "utf8",
      });
      expect(result.stdout).toBe("");
      expect(result.status).toBe(0);
    },
  );
});
