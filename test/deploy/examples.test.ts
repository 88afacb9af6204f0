/** The example workflows users copy: safe as copied. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./manifests.js";

type Step = { uses?: string; with?: Record<string, unknown> };
type Workflow = {
  concurrency?: unknown;
  jobs: Record<string, { if?: string; concurrency?: { group: string }; steps: Step[] }>;
};

const DIR = join(ROOT, "examples", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const load = (file: string) => parse(readFileSync(join(DIR, file), "utf8")) as Workflow;
const steps = (file: string) => Object.values(load(file).jobs).flatMap((job) => job.steps);

describe("example workflows", () => {
  test.each(files)("%s pins every third-party action to a full commit", (file) => {
    for (const step of steps(file).filter((s) => s.uses)) {
      if (step.uses?.startsWith("issue-agent/issue-agent@")) continue;
      expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    }
  });

  test.each(files)("%s checks out without persisting the token", (file) => {
    const checkouts = steps(file).filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
  });

  // At the workflow level every event joins the group before any `if:` is read, and GitHub
  // cancels a group's pending run when another arrives: a "+1" comment posted while a plan
  // ran cancelled the /approve waiting behind it.
  test.each(files)("%s serialises runs per issue on the job, after its filter", (file) => {
    const workflow = load(file);
    expect(workflow.concurrency).toBeUndefined();
    for (const job of Object.values(workflow.jobs))
      expect(job.concurrency?.group).toMatch(
        /^issue-agent-\$\{\{ (github\.event\.issue\.number|inputs\.issue-number) \}\}$/,
      );
  });

  test("the label workflow starts a runner only for the events the Action acts on", () => {
    const condition = Object.values(load("issues.yml").jobs)[0]?.if ?? "";
    expect(condition).toMatch(/github\.event\.label\.name == 'ai-agent'/);
    expect(condition).toMatch(/github\.event\.label\.name == 'ai-quickfix'/);
  });

  test("the comment workflow starts a runner only for commands from trusted associations", () => {
    const condition = Object.values(load("comments.yml").jobs)[0]?.if ?? "";
    expect(condition).toMatch(/author_association/);
    expect(condition).toMatch(/OWNER.*MEMBER.*COLLABORATOR/);
  });
});
