import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./manifests.js";

const SCRIPTS = ["install.sh", "uninstall.sh"];
const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

describe("the shell scripts", () => {
  test.each(SCRIPTS)("%s is strict bash", (script) => {
    const text = readFileSync(join(ROOT, script), "utf8");
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(spawnSync("bash", ["-n", join(ROOT, script)]).status).toBe(0);
  });

  if (hasShellcheck) {
    test.each(SCRIPTS)("%s is shellcheck-clean", (script) => {
      const result = spawnSync("shellcheck", ["-x", "--severity=style", script], {
        cwd: ROOT,
        encoding: "utf8",
      });
      expect(result.stdout).toBe("");
      expect(result.status).toBe(0);
    });
  } else {
    test.skip("shellcheck (not installed here: apt-get install shellcheck)", () => undefined);
  }
});

/**
 * Runs a script against stub kubectl and helm that record their arguments, so the
 * scripts' decisions (what they check, create, apply and delete) can be asserted on
 * without a cluster. STUB_* variables choose the stubs' answers.
 */
function runWithStubs(
  script: string,
  args: string[],
  stubs: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "deploy-stubs-"));
  const log = join(dir, "calls.log");
  const kubectl = `#!/usr/bin/env bash
echo "kubectl $*" >> "${log}"
case "$*" in
  "cluster-info"*) exit "\${STUB_CLUSTER:-0}" ;;
  "config current-context") echo test-context ;;
  "get crd"*) exit "\${STUB_KEDA:-0}" ;;
  "get namespace"*) exit "\${STUB_NAMESPACE_EXISTS:-0}" ;;
  *"get secret"*) exit "\${STUB_SECRETS_EXIST:-1}" ;;
  *"get deployment worker"*)
    [[ -n "\${STUB_WORKER_MANAGED_BY+set}" ]] || exit 1
    echo -n "$STUB_WORKER_MANAGED_BY" ;;
  *"create "*) echo "kind: Rendered" ;;
  "apply"*" -f -") while IFS= read -r line; do echo "  stdin: $line" >> "${log}"; done ;;
esac
exit 0
`;
  const helm = `#!/usr/bin/env bash
echo "helm $*" >> "${log}"
case "$1" in
  status) exit "\${STUB_HELM_RELEASE:-1}" ;;
esac
exit 0
`;
  writeFileSync(join(dir, "kubectl"), kubectl);
  writeFileSync(join(dir, "helm"), helm);
  chmodSync(join(dir, "kubectl"), 0o755);
  chmodSync(join(dir, "helm"), 0o755);
  writeFileSync(log, "");
  try {
    const result = spawnSync("bash", [join(ROOT, script), ...args], {
      encoding: "utf8",
      input: "",
      env: {
        PATH: `${dir}:/usr/bin:/bin`,
        KUBECTL: join(dir, "kubectl"),
        HELM: join(dir, "helm"),
        ...stubs,
      },
      timeout: 20_000,
    });
    const calls = readFileSync(log, "utf8").split("\n").filter(Boolean);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("install.sh", () => {
  test("--help prints the usage", () => {
    const result = runWithStubs("install.sh", ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: \.\/install\.sh/);
  });

  test("says so when kubectl is missing", () => {
    const result = runWithStubs("install.sh", [], { KUBECTL: "kubectl-not-installed" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/kubectl not found/);
  });

  test("says so when helm is asked for but missing", () => {
    const result = runWithStubs("install.sh", ["--method", "helm"], { HELM: "helm-not-installed" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/helm not found.*--method kustomize/);
  });

  test("stops when the cluster cannot be reached", () => {
    const result = runWithStubs("install.sh", [], { STUB_CLUSTER: "1" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot reach a cluster/);
    expect(result.calls.some((call) => / (apply|create|upgrade) /.test(call))).toBe(false);
  });

  test("stops when KEDA is not installed, and says how to install it", () => {
    const result = runWithStubs("install.sh", [], { STUB_KEDA: "1" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/KEDA is not installed[\s\S]*helm install keda kedacore\/keda/);
  });

  test("rejects unknown options and malformed images", () => {
    expect(runWithStubs("install.sh", ["--frobnicate"]).stderr).toMatch(
      /unknown option '--frobnicate'/,
    );
    expect(runWithStubs("install.sh", ["--image", "no-tag"]).stderr).toMatch(
      /--image must be REPO:TAG/,
    );
    expect(
      runWithStubs("install.sh", ["--method", "kustomize", "--overlay", "nope"]).stderr,
    ).toMatch(/no overlay 'nope'/);
  });

  test("with helm: creates missing Secrets with consistent URLs, replaces the pull Job, upgrades the release", () => {
    const result = runWithStubs("install.sh", [
      "--image",
      "registry:5000/team/worker:1.2.3",
      "--model",
      "m:1b",
    ]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.calls).toContain(`kubectl apply -f ${ROOT}/k8s/base/namespace.yaml`);
    const create = result.calls.find((c) =>
      c.includes("create secret generic rabbitmq-credentials"),
    );
    const password = /--from-literal=password=([0-9a-f]+)/.exec(create ?? "")?.[1];
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(create).toContain(
      `--from-literal=amqp-url=amqp://ai-agent:${password}@rabbitmq.ai-agent.svc:5672`,
    );
    expect(create).toContain(
      `--from-literal=management-url=http://ai-agent:${password}@rabbitmq.ai-agent.svc:15672/`,
    );
    const worker = result.calls.find((c) => c.includes("create secret generic worker-secrets"));
    expect(worker).toMatch(/--from-literal=signing-key=[0-9a-f]{64}/);

    const deleteJob = result.calls.findIndex((c) => c.includes("delete job ollama-pull-model"));
    const upgrade = result.calls.findIndex((c) => c.startsWith("helm upgrade --install"));
    expect(deleteJob).toBeGreaterThan(-1);
    expect(upgrade).toBeGreaterThan(deleteJob);
    expect(result.calls[upgrade]).toBe(
      `helm upgrade --install issue-agent ${ROOT}/k8s/helm/issue-agent --namespace ai-agent` +
        " --set worker.image.repository=registry:5000/team/worker --set worker.image.tag=1.2.3" +
        " --set worker.config.MODEL=m:1b",
    );
    expect(result.calls).toContain(
      "kubectl -n ai-agent rollout status statefulset/rabbitmq --timeout=5m",
    );
    expect(result.stdout).toMatch(
      /ISSUE_AGENT_SIGNING_KEY:.*get secret worker-secrets.*gh secret set ISSUE_AGENT_SIGNING_KEY/,
    );
  });

  test("keeps existing Secrets, unless a SIGNING_KEY is given", () => {
    const kept = runWithStubs("install.sh", [], { STUB_SECRETS_EXIST: "0" });
    expect(kept.status).toBe(0);
    expect(kept.calls.filter((c) => c.includes("create secret"))).toEqual([]);
    // Rotating the signing key replaces that key alone: a model server's API key given at
    // the first install is not wiped because it is not given again.
    const replaced = runWithStubs("install.sh", [], {
      STUB_SECRETS_EXIST: "0",
      SIGNING_KEY: "k3y",
    });
    expect(replaced.status).toBe(0);
    expect(replaced.calls.filter((c) => c.includes("create secret"))).toEqual([]);
    expect(replaced.calls).toContain(
      'kubectl -n ai-agent patch secret worker-secrets --type merge -p {"stringData":{"signing-key":"k3y"}}',
    );
    expect(replaced.stdout).toContain("replaced signing-key; its other keys kept");
    const both = runWithStubs("install.sh", [], {
      STUB_SECRETS_EXIST: "0",
      SIGNING_KEY: "k3y",
      OPENAI_API_KEY: 'sk-"quoted"',
    });
    expect(both.calls).toContain(
      'kubectl -n ai-agent patch secret worker-secrets --type merge -p {"stringData":{"signing-key":"k3y","openai-api-key":"sk-\\"quoted\\""}}',
    );
  });

  test("creates the worker's Secret with the model server's keys given", () => {
    const result = runWithStubs("install.sh", [], { OLLAMA_API_KEY: "olk" });
    const create = result.calls.find((c) => c.includes("create secret generic worker-secrets"));
    expect(create).toContain("--from-literal=ollama-api-key=olk");
    expect(create).toContain("--from-literal=openai-api-key=");
  });

  test("with kustomize: applies the chosen overlay", () => {
    const result = runWithStubs("install.sh", ["--method", "kustomize", "--overlay", "gpu"]);
    expect(result.status).toBe(0);
    expect(result.calls).toContain(`kubectl apply -k ${ROOT}/k8s/overlays/gpu`);
    expect(result.calls.some((c) => c.startsWith("helm "))).toBe(false);
  });

  test("with the replicated broker: creates the nodes' cookie when missing", () => {
    const result = runWithStubs("install.sh", [
      "--method",
      "kustomize",
      "--overlay",
      "replicated-broker",
    ]);
    expect(result.status).toBe(0);
    const cookie = result.calls.find((c) =>
      c.includes("create secret generic rabbitmq-cluster-cookie"),
    );
    expect(cookie).toMatch(/--from-literal=cookie=[0-9a-f]{64}/);
    const apply = result.calls.indexOf(`kubectl apply -k ${ROOT}/k8s/overlays/replicated-broker`);
    expect(apply).toBeGreaterThan(result.calls.indexOf(cookie ?? ""));
    const kept = runWithStubs(
      "install.sh",
      ["--method", "kustomize", "--overlay", "replicated-broker"],
      { STUB_SECRETS_EXIST: "0" },
    );
    expect(kept.calls.filter((c) => c.includes("create secret"))).toEqual([]);
  });

  test("refuses the operator's variant, which it cannot set up, before changing anything", () => {
    const result = runWithStubs("install.sh", [
      "--method",
      "kustomize",
      "--overlay",
      "rabbitmq-operator",
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/operator's variant .* docs\/deploy\.md/);
    expect(result.calls.some((c) => / (apply|create|upgrade) /.test(c))).toBe(false);
  });

  test("keeps an install made with kustomize on kustomize, where helm could not adopt it", () => {
    const auto = runWithStubs("install.sh", [], { STUB_WORKER_MANAGED_BY: "" });
    expect(auto.status).toBe(0);
    expect(auto.stdout).toMatch(/installed with kustomize: upgrading it with kustomize/);
    expect(auto.calls).toContain(`kubectl apply -k ${ROOT}/k8s/base`);
    expect(auto.calls.some((c) => c.startsWith("helm upgrade"))).toBe(false);
    const asked = runWithStubs("install.sh", ["--method", "helm"], { STUB_WORKER_MANAGED_BY: "" });
    expect(asked.status).toBe(1);
    expect(asked.stderr).toMatch(
      /installed with kustomize.*--method kustomize, or \.\/uninstall\.sh/,
    );
    const helmMade = runWithStubs("install.sh", [], { STUB_WORKER_MANAGED_BY: "Helm" });
    expect(helmMade.calls.some((c) => c.startsWith("helm upgrade --install"))).toBe(true);
  });

  test("--dry-run changes nothing", () => {
    const result = runWithStubs("install.sh", ["--method", "kustomize", "--dry-run"]);
    expect(result.status).toBe(0);
    const applies = result.calls.filter((c) => c.startsWith("kubectl apply"));
    expect(applies.length).toBeGreaterThan(0);
    expect(applies.every((c) => c.includes("--dry-run=server"))).toBe(true);
    expect(result.calls.some((c) => c.includes(" delete "))).toBe(false);
  });

  test("--dry-run on a fresh cluster validates client-side", () => {
    const result = runWithStubs("install.sh", ["--dry-run"], { STUB_NAMESPACE_EXISTS: "1" });
    expect(result.status).toBe(0);
    const changing = result.calls.filter((c) => /^(kubectl apply|helm upgrade)/.test(c));
    expect(changing.length).toBeGreaterThan(2);
    expect(changing.every((c) => c.includes("--dry-run=client"))).toBe(true);
  });
});

describe("uninstall.sh", () => {
  test("refuses without a terminal unless --yes", () => {
    const result = runWithStubs("uninstall.sh", []);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/pass --yes/);
    expect(result.calls.some((c) => c.includes("delete"))).toBe(false);
  });

  test("removes a helm release, then the namespace", () => {
    const result = runWithStubs("uninstall.sh", ["--yes"], { STUB_HELM_RELEASE: "0" });
    expect(result.status).toBe(0);
    expect(result.calls).toContain("helm uninstall issue-agent --namespace ai-agent --wait");
    expect(result.calls).toContain("kubectl delete namespace ai-agent --ignore-not-found --wait");
  });

  test("removes a kustomize install by label, ScaledObject first, and keeps data on request", () => {
    const result = runWithStubs("uninstall.sh", ["--yes", "--keep-data"]);
    expect(result.status).toBe(0);
    expect(result.calls).toContain(
      "kubectl -n ai-agent delete scaledobject,triggerauthentication,deployment,statefulset,job,service,configmap,networkpolicy,poddisruptionbudget" +
        " -l app.kubernetes.io/part-of=issue-agent --ignore-not-found --wait",
    );
    expect(result.calls.some((c) => c.includes("delete namespace"))).toBe(false);
  });
});

describe("the Makefile", () => {
  const make = (...args: string[]) =>
    spawnSync("make", ["-n", ...args], { cwd: ROOT, encoding: "utf8" });
  const hasMake = spawnSync("make", ["--version"]).status === 0;
  const whenMake = hasMake ? test : test.skip;

  whenMake("has the targets the docs name", () => {
    const help = spawnSync("make", ["help"], { cwd: ROOT, encoding: "utf8" }).stdout;
    for (const target of ["install", "status", "logs", "uninstall", "test"]) {
      expect(help).toMatch(new RegExp(`^  ${target}\\s`, "m"));
    }
  });

  whenMake("install passes its variables to install.sh", () => {
    const out = make("install", "METHOD=kustomize", "OVERLAY=gpu").stdout.replace(/\\\n\s*/g, " ");
    expect(out.replace(/\s+/g, " ").trim()).toBe("./install.sh --method kustomize --overlay gpu");
  });

  whenMake("uninstall and test call the scripts and npm", () => {
    expect(make("uninstall").stdout.trim()).toBe("./uninstall.sh");
    expect(make("test").stdout.trim().split("\n")).toEqual(["npm run lint", "npm test"]);
  });
});
