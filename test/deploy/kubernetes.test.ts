import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadWorkerConfig } from "../../backend/config.js";
import { REQUEST_QUEUE } from "../../protocol/index.js";
import {
  BASE_DIR,
  CHART_DIR,
  K8S_DIR,
  NAMESPACE,
  ROOT,
  containersOf,
  findObject,
  podSpecs,
  readYamlFile,
  renderKustomization,
  yamlFilesUnder,
  type K8sObject,
  type Loose,
} from "./manifests.js";
import { unknownFields, validateObject } from "./schemas.js";

const base = renderKustomization(BASE_DIR);
const gpu = renderKustomization(join(K8S_DIR, "overlays", "gpu"));
const secretTemplates = yamlFilesUnder(join(K8S_DIR, "secrets")).flatMap((path) =>
  readYamlFile(path),
) as K8sObject[];

const workerConfig = findObject(base, "ConfigMap", "worker-config").data as Record<string, string>;
const worker = findObject(base, "Deployment", "worker");
const scaledObject = findObject(base, "ScaledObject", "worker");
const trigger = (scaledObject.spec as Loose).triggers[0];

/** Names the worker reads from its environment, taken from backend/config.ts. */
const knownWorkerVariables = new Set(
  [
    ...readFileSync(join(ROOT, "backend", "config.ts"), "utf8").matchAll(
      /^ {4}([A-Z][A-Z0-9_]+):/gm,
    ),
  ].map((match) => match[1]),
);

describe("every manifest file", () => {
  const files = yamlFilesUnder(K8S_DIR, (path) => path.startsWith(join(CHART_DIR, "templates")));

  test("there are manifests to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test.each(files.map((file) => [file.slice(ROOT.length + 1), file]))(
    "%s parses",
    (_name, file) => {
      expect(() => readYamlFile(file)).not.toThrow();
    },
  );
});

describe.each([
  ["k8s/base", base],
  ["k8s/overlays/gpu", gpu],
  ["k8s/secrets", secretTemplates],
])("%s", (_name, objects) => {
  test.each(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]))(
    "%s validates against its schema",
    (_id, object) => {
      expect(() => validateObject(object)).not.toThrow();
      expect(unknownFields(object)).toEqual([]);
    },
  );

  test("every object lives in the ai-agent namespace", () => {
    for (const object of objects.filter((o) => o.kind !== "Namespace")) {
      expect([object.kind, object.metadata.name, object.metadata.namespace]).toEqual([
        object.kind,
        object.metadata.name,
        NAMESPACE,
      ]);
    }
  });
});

describe("schema checks can fail", () => {
  test("a wrong type is rejected", () => {
    const broken = structuredClone(worker);
    (broken.spec as Loose).template.spec.terminationGracePeriodSeconds = "960";
    expect(() => validateObject(broken)).toThrow(/terminationGracePeriodSeconds/);
  });

  test("a misspelt field is reported", () => {
    const broken = structuredClone(worker);
    (broken.spec as Loose).template.spec.terminationGracePeriodSecond = 960;
    expect(unknownFields(broken)).toEqual(["spec.template.spec.terminationGracePeriodSecond"]);
  });

  test("a ScaledObject trigger setting must be a string", () => {
    const broken = structuredClone(scaledObject);
    (broken.spec as Loose).triggers[0].metadata.value = 1;
    expect(() => validateObject(broken)).toThrow(/value/);
  });
});

describe("the base", () => {
  test("holds the namespace, RabbitMQ, Ollama, the model pull, the worker and KEDA objects", () => {
    expect(base.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        "ConfigMap/rabbitmq-config",
        "ConfigMap/worker-config",
        "Deployment/ollama",
        "Deployment/worker",
        "Job/ollama-pull-model",
        "Namespace/ai-agent",
        "NetworkPolicy/ollama",
        "PersistentVolumeClaim/ollama-models",
        "ScaledObject/worker",
        "Service/ollama",
        "Service/rabbitmq",
        "StatefulSet/rabbitmq",
        "TriggerAuthentication/rabbitmq-management",
      ].sort(),
    );
  });

  test("lets only the worker's and the model pull's pods reach Ollama's API", () => {
    const policy = findObject(base, "NetworkPolicy", "ollama") as Loose;
    const podLabels = (kind: string, name: string) =>
      (findObject(base, kind, name) as Loose).spec.template.metadata.labels as Record<
        string,
        string
      >;
    const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value);
    expect(matches(policy.spec.podSelector.matchLabels, podLabels("Deployment", "ollama"))).toBe(
      true,
    );
    const admitted = (labels: Record<string, string>) =>
      (policy.spec.ingress as Loose[]).some((rule) =>
        (rule.from as Loose[]).some((peer) => matches(peer.podSelector.matchLabels, labels)),
      );
    expect(admitted(podLabels("Deployment", "worker"))).toBe(true);
    expect(admitted(podLabels("Job", "ollama-pull-model"))).toBe(true);
    expect(admitted(podLabels("StatefulSet", "rabbitmq"))).toBe(false);
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 11434 }]);
  });

  test("commits no Secret: those are created from the templates", () => {
    expect(base.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  test("object names are unique per kind", () => {
    const ids = base.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("the worker image is the published one, tagged with the package version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(containersOf(worker)[0]?.image).toBe(
      `ghcr.io/issue-agent/issue-agent-worker:${pkg.version}`,
    );
  });

  test("every container has probes (except the Job) and resource requests and limits", () => {
    for (const object of base) {
      for (const container of containersOf(object)) {
        const id = `${object.kind}/${object.metadata.name}/${container.name}`;
        expect([id, container.resources?.requests?.memory]).toEqual([id, expect.any(String)]);
        expect([id, container.resources?.limits?.memory]).toEqual([id, expect.any(String)]);
        if (object.kind !== "Job") {
          expect([id, container.livenessProbe, container.readinessProbe]).toEqual([
            id,
            expect.any(Object),
            expect.any(Object),
          ]);
        }
      }
    }
  });

  test("every image is pinned to a tag, never latest", () => {
    for (const object of base) {
      for (const container of containersOf(object)) {
        expect(container.image).toMatch(/:[\w.-]+$/);
        expect(container.image).not.toMatch(/:latest$/);
      }
    }
  });
});

describe("cross-checks", () => {
  test("every workload's selector matches its pod template labels, and a Service selects it", () => {
    for (const object of base.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind))) {
      const spec = object.spec as Loose;
      const labels = spec.template.metadata.labels as Record<string, string>;
      expect(labels).toMatchObject(spec.selector.matchLabels);
    }
    for (const service of base.filter((o) => o.kind === "Service")) {
      const selector = (service.spec as Loose).selector as Record<string, string>;
      const selected = base.filter((o) => {
        const labels = (o.spec as Loose)?.template?.metadata?.labels as
          Record<string, string> | undefined;
        return (
          labels !== undefined &&
          Object.entries(selector).every(([key, value]) => labels[key] === value)
        );
      });
      expect([service.metadata.name, selected.map((o) => o.metadata.name)]).toEqual([
        service.metadata.name,
        [service.metadata.name],
      ]);
    }
  });

  test("every Service targetPort names a port of the pods it selects", () => {
    for (const service of base.filter((o) => o.kind === "Service")) {
      const workload = base.find(
        (o) =>
          ["Deployment", "StatefulSet"].includes(o.kind) &&
          o.metadata.name === service.metadata.name,
      );
      const portNames = containersOf(workload as K8sObject).flatMap((c) =>
        ((c.ports as { name: string }[] | undefined) ?? []).map((p) => p.name),
      );
      for (const port of (service.spec as Loose).ports as { targetPort: string }[]) {
        expect(portNames).toContain(port.targetPort);
      }
    }
  });

  test("probes use ports the container declares", () => {
    for (const object of base) {
      for (const container of containersOf(object)) {
        const names = ((container.ports as { name: string }[] | undefined) ?? []).map(
          (p) => p.name,
        );
        for (const probe of [
          container.startupProbe,
          container.livenessProbe,
          container.readinessProbe,
        ]) {
          if (probe?.httpGet) expect(names).toContain(probe.httpGet.port);
        }
      }
    }
  });

  test("the worker's probes are its health endpoints on HEALTH_PORT", () => {
    const [container] = containersOf(worker);
    expect(container?.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container?.readinessProbe.httpGet.path).toBe("/readyz");
    const port = (container?.ports as { name: string; containerPort: number }[])[0];
    expect(port?.containerPort).toBe(Number(workerConfig.HEALTH_PORT));
    expect(port?.containerPort).toBe(loadWorkerConfig({}).healthPort);
  });

  test("the ScaledObject targets the worker Deployment", () => {
    expect((scaledObject.spec as Loose).scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: worker.metadata.name,
    });
    expect(trigger.authenticationRef.name).toBe(
      findObject(base, "TriggerAuthentication", "rabbitmq-management").metadata.name,
    );
  });

  test("the worker leaves the replica count to KEDA", () => {
    expect((worker.spec as Loose).replicas).toBeUndefined();
  });

  test("KEDA reads the queue through the management API, in messages per replica", () => {
    expect(trigger.type).toBe("rabbitmq");
    expect(trigger.metadata.protocol).toBe("http");
    expect(trigger.metadata.mode).toBe("QueueLength");
    expect((scaledObject.spec as Loose).minReplicaCount).toBe(0);
    expect(trigger.metadata.value).toBe(workerConfig.CONCURRENCY);
  });

  test("the queue KEDA watches is the queue the worker consumes", () => {
    expect(trigger.metadata.queueName).toBe(REQUEST_QUEUE);
    expect(workerConfig.REQUEST_QUEUE).toBe(REQUEST_QUEUE);
    expect(loadWorkerConfig({}).requestQueue).toBe(REQUEST_QUEUE);
  });

  test("no more workers than Ollama serves in parallel", () => {
    const ollama = containersOf(findObject(base, "Deployment", "ollama"))[0];
    const parallel = (ollama?.env as { name: string; value: string }[]).find(
      (e) => e.name === "OLLAMA_NUM_PARALLEL",
    );
    const maxReplicas = (scaledObject.spec as Loose).maxReplicaCount as number;
    expect(maxReplicas * Number(workerConfig.CONCURRENCY)).toBeLessThanOrEqual(
      Number(parallel?.value),
    );
  });

  test("the worker ConfigMap is a valid worker configuration and names only known variables", () => {
    for (const key of Object.keys(workerConfig)) expect(knownWorkerVariables).toContain(key);
    for (const env of containersOf(worker)[0]?.env as { name: string }[]) {
      expect(knownWorkerVariables).toContain(env.name);
    }
    const config = loadWorkerConfig({ ...workerConfig, AMQP_URL: "amqp://u:p@rabbitmq:5672" });
    expect(config.llm.ollamaHost).toBe(
      `http://${findObject(base, "Service", "ollama").metadata.name}:11434`,
    );
  });

  test("a pod being scaled away finishes its longest job: the worker waits for it, and Kubernetes waits for the worker", () => {
    const config = loadWorkerConfig({ ...workerConfig });
    const grace = (podSpecs(worker)[0] as { terminationGracePeriodSeconds: number })
      .terminationGracePeriodSeconds;
    // The worker's own grace decides whether the job in hand finishes or is requeued (and
    // computed again from the start); the pod's must outlast it, with time to close.
    expect(config.shutdownGraceMs).toBeGreaterThanOrEqual(config.jobTimeoutMs);
    expect(grace * 1000).toBeGreaterThanOrEqual(config.shutdownGraceMs + 30_000);
    expect(config.jobTimeoutMs).toBeGreaterThanOrEqual(loadWorkerConfig({}).jobTimeoutMs);
    // The same unset, as docker-compose.yml leaves it.
    expect(loadWorkerConfig({}).shutdownGraceMs).toBe(loadWorkerConfig({}).jobTimeoutMs);
  });

  test("no node drain cuts a job short: the cluster autoscaler's 600 s cap does not apply to a worker", () => {
    const annotations = (worker.spec as Loose).template.metadata.annotations as Record<
      string,
      string
    >;
    // The autoscaler drains within --max-graceful-termination-sec (600 s) whatever the
    // pod's grace period, and a job may run JOB_TIMEOUT_MS (900 s).
    expect(loadWorkerConfig({ ...workerConfig }).jobTimeoutMs).toBeGreaterThan(600_000);
    expect(annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"]).toBe("false");
  });

  test("KEDA's fallback, when it cannot read the queue, stops no busy worker", () => {
    const spec = scaledObject.spec as Loose;
    expect(spec.fallback.replicas).toBe(spec.maxReplicaCount);
  });

  test("RabbitMQ's consumer_timeout exceeds the longest job", () => {
    const conf = (findObject(base, "ConfigMap", "rabbitmq-config").data as Record<string, string>)[
      "rabbitmq.conf"
    ];
    const timeout = Number(/^consumer_timeout\s*=\s*(\d+)\s*$/m.exec(conf ?? "")?.[1]);
    expect(timeout).toBeGreaterThan(loadWorkerConfig({ ...workerConfig }).jobTimeoutMs);
  });

  test("RabbitMQ's memory watermark stays well under its container limit", () => {
    const conf = (findObject(base, "ConfigMap", "rabbitmq-config").data as Record<string, string>)[
      "rabbitmq.conf"
    ];
    const watermark = /^vm_memory_high_watermark\.absolute\s*=\s*(\d+)MiB\s*$/m.exec(
      conf ?? "",
    )?.[1];
    const container = containersOf(findObject(base, "StatefulSet", "rabbitmq"))[0];
    const limit = /^(\d+)(Mi|Gi)$/.exec(container?.resources.limits.memory as string);
    const limitMiB = Number(limit?.[1]) * (limit?.[2] === "Gi" ? 1024 : 1);
    expect(Number(watermark)).toBeGreaterThan(0);
    expect(Number(watermark)).toBeLessThanOrEqual(0.7 * limitMiB);
  });

  test("the model pull Job reads MODEL and OLLAMA_HOST from the worker's ConfigMap", () => {
    const env = containersOf(findObject(base, "Job", "ollama-pull-model"))[0]?.env as Loose[];
    expect(env.map((e) => [e.name, e.valueFrom.configMapKeyRef])).toEqual([
      ["OLLAMA_HOST", { name: "worker-config", key: "OLLAMA_HOST" }],
      ["MODEL", { name: "worker-config", key: "MODEL" }],
    ]);
  });

  test("every referenced Secret and ConfigMap key exists in a template or the base", () => {
    const secrets = new Map(
      secretTemplates.map((s) => [
        s.metadata.name,
        Object.keys((s.stringData ?? s.data) as object),
      ]),
    );
    const configMaps = new Map(
      base
        .filter((o) => o.kind === "ConfigMap")
        .map((c) => [c.metadata.name, Object.keys(c.data as object)]),
    );
    const references: [string, string, string][] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === "object" && value !== null) {
        const record = value as Record<string, Loose>;
        if (record.secretKeyRef)
          references.push(["Secret", record.secretKeyRef.name, record.secretKeyRef.key]);
        if (record.configMapKeyRef) {
          references.push(["ConfigMap", record.configMapKeyRef.name, record.configMapKeyRef.key]);
        }
        if (record.configMapRef) references.push(["ConfigMap", record.configMapRef.name, ""]);
        if (record.secretRef) references.push(["Secret", record.secretRef.name, ""]);
        Object.values(record).forEach(collect);
      }
    };
    base.forEach(collect);
    // KEDA's TriggerAuthentication refers to Secrets in its own shape.
    for (const auth of base.filter((o) => o.kind === "TriggerAuthentication")) {
      for (const ref of (auth.spec as Loose).secretTargetRef)
        references.push(["Secret", ref.name, ref.key]);
    }
    expect(references.length).toBeGreaterThan(5);
    for (const [kind, name, key] of references) {
      const keys = (kind === "Secret" ? secrets : configMaps).get(name);
      expect([kind, name, key, keys !== undefined]).toEqual([kind, name, key, true]);
      if (key) expect([kind, name, keys]).toEqual([kind, name, expect.arrayContaining([key])]);
    }
  });

  test("the secret templates hold placeholders, never real values", () => {
    for (const secret of secretTemplates) {
      for (const value of Object.values(secret.stringData as Record<string, string>)) {
        expect(value === "" || value === "ai-agent" || value.includes("CHANGE-ME")).toBe(true);
      }
    }
  });

  test("the management URL in the template ends with the slash KEDA needs", () => {
    const credentials = secretTemplates.find((s) => s.metadata.name === "rabbitmq-credentials");
    const url = (credentials?.stringData as Record<string, string>)["management-url"];
    expect(url).toMatch(/^http:\/\/[^/]+:15672\/$/);
    expect(trigger.metadata.vhostName).toBe("/");
  });

  test("the worker runs as a non-root user with a read-only root filesystem", () => {
    const spec = podSpecs(worker)[0] as Loose;
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
    const [container] = containersOf(worker);
    expect(container?.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container?.securityContext.allowPrivilegeEscalation).toBe(false);
  });
});

describe("the gpu overlay", () => {
  test("changes only Ollama's resources and tolerations", () => {
    const ollama = findObject(gpu, "Deployment", "ollama");
    expect(containersOf(ollama)[0]?.resources.limits["nvidia.com/gpu"]).toBe(1);
    expect(containersOf(ollama)[0]?.image).toBe(
      containersOf(findObject(base, "Deployment", "ollama"))[0]?.image,
    );
    const others = (objects: K8sObject[]) => objects.filter((o) => o.metadata.name !== "ollama");
    expect(others(gpu)).toEqual(others(base));
  });
});
