import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import {
  BASE_DIR,
  CHART_DIR,
  ROOT,
  containersOf,
  findObject,
  renderChart,
  renderKustomization,
  type K8sObject,
  type Loose,
} from "./manifests.js";
import { unknownFields, validateObject } from "./schemas.js";

const byId = (objects: K8sObject[]) =>
  new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const));

// helm leaves namespaces to `--create-namespace`; everything else must be the same.
const base = renderKustomization(BASE_DIR).filter((o) => o.kind !== "Namespace");
const chart = renderChart();

describe("the Helm chart", () => {
  test("renders the same objects as the kustomize base", () => {
    expect([...byId(chart).keys()].sort()).toEqual([...byId(base).keys()].sort());
  });

  test.each([...byId(base).entries()])("%s is identical in both", (id, object) => {
    expect(byId(chart).get(id)).toEqual(object);
  });

  test.each(chart.map((o) => [`${o.kind}/${o.metadata.name}`, o]))(
    "%s validates against its schema",
    (_id, object) => {
      expect(() => validateObject(object)).not.toThrow();
      expect(unknownFields(object)).toEqual([]);
    },
  );

  test("appVersion follows the package version", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const meta = parse(readFileSync(join(CHART_DIR, "Chart.yaml"), "utf8")) as Record<
      string,
      string
    >;
    expect(meta.apiVersion).toBe("v2");
    expect(meta.appVersion).toBe(pkg.version);
  });

  test("values flow through: image tag, queue name, scaling bounds, namespace", () => {
    const objects = renderChart(CHART_DIR, {
      namespace: "other",
      values: {
        worker: { image: { tag: "9.9.9" }, config: { REQUEST_QUEUE: "q.custom" } },
        autoscaling: { maxReplicaCount: 5 },
      },
    });
    const worker = findObject(objects, "Deployment", "worker");
    expect(containersOf(worker)[0]?.image).toBe("ghcr.io/issue-agent/issue-agent-worker:9.9.9");
    const scaled = findObject(objects, "ScaledObject", "worker").spec as Loose;
    expect(scaled.triggers[0].metadata.queueName).toBe("q.custom");
    expect(scaled.maxReplicaCount).toBe(5);
    const config = findObject(objects, "ConfigMap", "worker-config").data as Record<string, string>;
    expect(config.REQUEST_QUEUE).toBe("q.custom");
    expect(objects.every((o) => o.metadata.namespace === "other")).toBe(true);
  });

  test("a number given for a config value (--set worker.config.NUM_CTX=16384) goes in as a string", () => {
    const objects = renderChart(CHART_DIR, { values: { worker: { config: { NUM_CTX: 16384 } } } });
    const config = findObject(objects, "ConfigMap", "worker-config");
    expect(() => validateObject(config)).not.toThrow();
    expect(config).toMatchObject({ data: { NUM_CTX: "16384" } });
  });

  test("pulls the worker's image with the pull Secrets given", () => {
    const objects = renderChart(CHART_DIR, {
      values: { worker: { imagePullSecrets: [{ name: "ghcr-pull" }] } },
    });
    const worker = findObject(objects, "Deployment", "worker");
    expect(worker).toMatchObject({
      spec: { template: { spec: { imagePullSecrets: [{ name: "ghcr-pull" }] } } },
    });
    expect(() => validateObject(worker)).not.toThrow();
  });

  test("RabbitMQ's consumer_timeout is a whole number under Helm 3's float values", () => {
    for (const cluster of [{}, { enabled: true }, { enabled: true, operator: true }]) {
      const objects = renderChart(CHART_DIR, { values: { rabbitmq: { cluster } } });
      const text = JSON.stringify(objects);
      expect(text).toMatch(/consumer_timeout = 3600000\b/);
      expect(text).not.toMatch(/consumer_timeout = [\d.]+e\+/);
    }
  });

  test("the comparison notices a drift between chart and base", () => {
    const drifted = renderChart(CHART_DIR, {
      values: { worker: { terminationGracePeriodSeconds: 30 } },
    });
    expect(findObject(drifted, "Deployment", "worker")).not.toEqual(
      findObject(base, "Deployment", "worker"),
    );
  });
});
