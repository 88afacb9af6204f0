import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { CHART_DIR, ROOT } from "./manifests.js";

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string };
type Job = {
  "runs-on": string;
  permissions?: Record<string, string>;
  steps: Step[];
};
type Workflow = {
  name: string;
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
};

const DIR = join(ROOT, ".github", "workflows");
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => readFileSync(join(DIR, file), "utf8");
const load = (file: string) => parse(text(file)) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.run ?? "").join("\n");

describe("every workflow", () => {
  test("the project has CI, image, and release workflows", () => {
    expect(files.sort()).toEqual(["ci.yml", "image.yml", "release.yml"]);
  });

  test.each(files)("%s sets read-only default permissions and grants writes per job", (file) => {
    const workflow = load(file);
    expect(workflow.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(workflow.jobs)) {
      for (const value of Object.values(job.permissions ?? {}))
        expect(["read", "write"]).toContain(value);
    }
  });

  test.each(files)("%s pins every action to a commit, with its version beside it", (file) => {
    const uses = text(file)
      .split("\n")
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses)
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test.each(files)("%s sets up Node 24 wherever it sets up Node", (file) => {
    for (const step of steps(load(file)).filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
      expect(step.with?.["node-version"]).toBe(24);
    }
  });

  test.each(files)("%s: every job has a timeout and a pinned runner image", (file) => {
    for (const job of Object.values(load(file).jobs)) {
      expect(job["runs-on"]).toMatch(/^ubuntu-\d+\.\d+$/);
      expect((job as { "timeout-minutes"?: number })["timeout-minutes"]).toBeGreaterThan(0);
    }
  });

  const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  (hasShellcheck ? test.each(files) : test.skip.each(files))(
    "%s: run scripts are shellcheck-clean (skipped without shellcheck)",
    (file) => {
      const dir = mkdtempSync(join(tmpdir(), "workflow-run-"));
      try {
        steps(load(file))
          .filter((s) => s.run)
          .forEach((step, index) => {
            // Expressions are substituted before the shell sees the script.
            const script = (step.run as string).replace(/\$\{\{[^}]*\}\}/g, "placeholder");
            const path = join(dir, `step-${index}.sh`);
            writeFileSync(path, `#!/usr/bin/env bash\nset -e\n${script}`);
            const result = spawnSync("shellcheck", [path], { encoding: "utf8" });
            expect([step.run, result.stdout]).toEqual([step.run, ""]);
          });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("ci.yml", () => {
  const ci = load("ci.yml");
  const ciRun = readFileSync(join(ROOT, ".ci", "run"), "utf8");

  test("runs the whole suite through .ci/run, as a fresh machine does, and the chart", () => {
    expect(Object.keys(ci.jobs).sort()).toEqual(["helm", "suite"]);
    expect(runs(ci.jobs.suite)).toMatch(/^bash \.ci\/run$/m);
    // The Action commits through the API: no job needs the token left in .git/config.
    for (const job of Object.values(ci.jobs))
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")))
        expect(step.with?.["persist-credentials"]).toBe(false);
  });

  test(".ci/run installs and starts RabbitMQ itself, and lets a non-root runner use rabbitmqctl", () => {
    expect(ciRun).toMatch(/rabbitmq-server -detached/);
    expect(ciRun).toMatch(/await_startup/);
    expect(ciRun).toMatch(/RABBITMQCTL="sudo rabbitmqctl"/);
  });

  test(".ci/run fails when dist/ differs from a fresh build or loads a package from outside dist/", () => {
    expect(ciRun).toMatch(/npm run build/);
    expect(ciRun).toMatch(/git status --porcelain -- dist/);
    expect(ciRun).toMatch(/node scripts\/check-dist\.mjs/);
    expect(ciRun).toMatch(/^npm test$/m);
  });

  test("lints the chart that exists, strictly, and builds the kustomizations", () => {
    const script = runs(ci.jobs.helm);
    const chart = /helm lint --strict (\S+)/.exec(script)?.[1];
    expect(chart && join(ROOT, chart)).toBe(CHART_DIR);
    for (const [, dir] of script.matchAll(/kubectl kustomize (\S+)/g)) {
      expect(existsSync(join(ROOT, dir as string, "kustomization.yaml"))).toBe(true);
    }
  });
});

describe("image.yml", () => {
  const image = load("image.yml");
  const job = image.jobs.image as Job;
  const build = job.steps.find((s) => s.uses?.startsWith("docker/build-push-action@"));

  test("builds backend/Dockerfile from the repository root", () => {
    expect(build?.with?.file).toBe("backend/Dockerfile");
    expect(existsSync(join(ROOT, build?.with?.file as string))).toBe(true);
    expect(build?.with?.context).toBe(".");
  });

  test("pushes to GitHub's registry except for pull requests, with packages: write", () => {
    expect(build?.with?.push).toBe("${{ github.event_name != 'pull_request' }}");
    expect(job.permissions).toEqual({ contents: "read", packages: "write" });
    const login = job.steps.find((s) => s.uses?.startsWith("docker/login-action@"));
    expect(login?.if).toBe("github.event_name != 'pull_request'");
    const meta = job.steps.find((s) => s.uses?.startsWith("docker/metadata-action@"));
    expect(meta?.with?.images).toMatch(/^ghcr\.io\/.+\/issue-agent-worker$/);
  });
});

describe("release.yml", () => {
  const release = load("release.yml");
  const job = release.jobs["move-major-tag"] as Job;

  test("runs on published releases and may write tags", () => {
    expect(release.on).toEqual({ release: { types: ["published"] } });
    expect(job.permissions).toEqual({ contents: "write" });
  });

  test("checks version and dist before force-moving the major tag", () => {
    const script = runs(job);
    const order = [
      "package.json",
      "npm run build",
      "git status --porcelain -- dist/",
      'git push --force origin "refs/tags/$major"',
    ];
    const positions = order.map((needle) => script.indexOf(needle));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(script).toMatch(/major="\$\{TAG%%\.\*\}"/);
  });
});
