import type { Plan } from "../../protocol/index.js";

export interface GroundingIssue {
  path: string;
  problem: string;
}

/**
 * Checks every path the plan names against the repository tree: a file to modify or
 * delete must exist; a file to create must not; a step may name only files that exist or
 * that the plan creates. Problems are reported, never hidden or silently fixed.
 */
export function groundPlan(plan: Plan, tree: ReadonlySet<string>): GroundingIssue[] {
  const issues: GroundingIssue[] = [];
  const created = new Set<string>();
  for (const file of plan.files) {
    const path = normalise(file.path);
    const exists = tree.has(path);
    if (file.change === "create") {
      created.add(path);
      if (exists) issues.push({ path, problem: "marked to create, but it already exists" });
    } else if (!exists) {
      issues.push({
        path,
        problem: `marked to ${file.change}, but no such file in the repository`,
      });
    }
  }
  const listed = new Set(plan.files.map((f) => normalise(f.path)));
  for (const step of plan.steps) {
    for (const raw of step.files) {
      const path = normalise(raw);
      if (!tree.has(path) && !created.has(path) && !listed.has(path)) {
        issues.push({
          path,
          problem: `named in step "${step.title}", but no such file and not marked new`,
        });
      }
    }
  }
  return dedupe(issues);
}

function normalise(path: string): string {
  return path.trim().replace(/^\.\//, "").replace(/^\/+/, "");
}

function dedupe(issues: GroundingIssue[]): GroundingIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\0${i.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
