/**
 * The replicated broker, offline: the kustomize overlays k8s/overlays/replicated-broker
 * (three nodes with rabbitmq_peer_discovery_k8s) and k8s/overlays/rabbitmq-operator (a
 * RabbitmqCluster for the cluster operator), and the chart's rabbitmq.cluster switches,
 * which must render the same objects.
 */
import { join } from "node:path";
import { REQUEST_QUEUE } from "../../protocol/index.js";
import {
  BASE_DIR,
  K8S_DIR,
  NAMESPACE,
  containersOf,
  findObject,
  podSpecs,
  readYamlFile,
  renderChart,
  renderKustomization,
  yamlFilesUnder,
  type K8sObject,
  type Loose,
} from "./manifests.js";
import { unknownFields, validateObject } from "./schemas.js";

const base = renderKustomization(BASE_DIR);
const replicated = renderKustomization(join(K8S_DIR, "overlays", "replicated-broker"));
const operator = renderKustomization(join(K8S_DIR, "overlays", "rabbitmq-operator"));
const secretTemplates = yamlFilesUnder(join(K8S_DIR, "secrets")).flatMap((path) =>
  readYamlFile(path),
) as K8sObject[];

const statefulSet = findObject(replicated, "StatefulSet", "rabbitmq");
const stsSpec = statefulSet.spec as Loose;
const podSpec = podSpecs(statefulSet)[0] as Loose;
const rabbit = podSpec.containers.find((c: Loose) => c.name === "rabbitmq");
const headless = findObject(replicated, "Service", "rabbitmq-nodes");
const config = findObject(replicated, "ConfigMap", "rabbitmq-config").data as Record<
  string,
  string
>;
const cluster = findObject(operator, "RabbitmqCluster", "rabbitmq");
const clusterSpec = cluster.spec as Loose;

/** The broker's own objects, which the overlays replace; everything else stays the base's. */
const isBroker = (o: K8sObject) =>
  ["rabbitmq", "rabbitmq-config", "rabbitmq-nodes"].includes(o.metadata.name);
const id = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const byId = (objects: K8sObject[]) => new Map(objects.map((o) => [id(o), o] as const));
const secret = (name: string) =>
  secretTemplates.find((s) => s.metadata.name === name)?.stringData as
    Record<string, string> | undefined;
const confLines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
const conf = (text: string | undefined, key: string) =>
  confLines(text)
    .find((line) => line.startsWith(`${key} =`))
    ?.split("=")[1]
    ?.trim();
const baseConf = (findObject(base, "ConfigMap", "rabbitmq-config").data as Record<string, string>)[
  "rabbitmq.conf"
];
const envValue = (name: string) =>
  (rabbit.env as { name: string; value?: string }[]).find((e) => e.name === name)?.value;

describe.each([
  ["k8s/overlays/replicated-broker", replicated],
  ["k8s/overlays/rabbitmq-operator", operator],
])("%s", (_name, objects) => {
  test.each(objects.map((o) => [id(o), o]))("%s validates against its schema", (_id, object) => {
    expect(() => validateObject(object)).not.toThrow();
    expect(unknownFields(object)).toEqual([]);
  });

  test("every object lives in the ai-agent namespace", () => {
    for (const object of objects.filter((o) => o.kind !== "Namespace")) {
      expect([id(object), object.metadata.namespace]).toEqual([id(object), NAMESPACE]);
    }
  });

  test("the worker, KEDA and Ollama are the base's, unchanged", () => {
    const others = (list: K8sObject[]) =>
      list.filter((o) => !isBroker(o)).sort((a, b) => (id(a) < id(b) ? -1 : 1));
    expect(others(objects)).toEqual(others(base));
  });
});

describe("the RabbitmqCluster schema can fail", () => {
  test.each([
    ["a misspelt field", (c: Loose) => (c.spec.replica = 3), /replica/],
    [
      "a number for the configuration",
      (c: Loose) => (c.spec.rabbitmq.additionalConfig = 1),
      /additionalConfig/,
    ],
    [
      "a plugin name with a dash",
      (c: Loose) => (c.spec.rabbitmq.additionalPlugins = ["rabbitmq-shovel"]),
      /additionalPlugins/,
    ],
    [
      "shell substitution in envConfig",
      (c: Loose) => (c.spec.rabbitmq.envConfig = "X=$(id)"),
      /envConfig/,
    ],
    [
      "a field under secretBackend",
      (c: Loose) => (c.spec.secretBackend.externalSecrets = {}),
      /externalSecrets/,
    ],
    [
      "another API version",
      (c: Loose) => (c.apiVersion = "rabbitmq.com/v1"),
      /no schema|apiVersion/,
    ],
  ])("%s is rejected", (_what, breakIt, message) => {
    const broken = structuredClone(cluster) as Loose;
    breakIt(broken);
    expect(() => validateObject(broken)).toThrow(message);
  });
});

describe("the replicated-broker overlay", () => {
  test("adds a headless Service and a PodDisruptionBudget, and changes only RabbitMQ's objects", () => {
    const added = [...byId(replicated).keys()].filter((key) => !byId(base).has(key)).sort();
    expect(added).toEqual(["PodDisruptionBudget/rabbitmq", "Service/rabbitmq-nodes"]);
    const changed = [...byId(base).entries()]
      .filter(
        ([key, object]) => JSON.stringify(byId(replicated).get(key)) !== JSON.stringify(object),
      )
      .map(([key]) => key)
      .sort();
    expect(changed).toEqual(["ConfigMap/rabbitmq-config", "StatefulSet/rabbitmq"]);
  });

  test("runs an odd number of nodes, at least three, started side by side", () => {
    expect(stsSpec.replicas).toBeGreaterThanOrEqual(3);
    expect(stsSpec.replicas % 2).toBe(1);
    expect(stsSpec.podManagementPolicy).toBe("Parallel");
  });

  test("names each node after its pod and the headless Service, which publishes pods before they are ready", () => {
    expect(stsSpec.serviceName).toBe(headless.metadata.name);
    expect((headless.spec as Loose).clusterIP).toBe("None");
    expect((headless.spec as Loose).publishNotReadyAddresses).toBe(true);
    expect(envValue("RABBITMQ_USE_LONGNAME")).toBe("true");
    expect(envValue("RABBITMQ_NODENAME")).toBe(
      `rabbit@$(MY_POD_NAME).${headless.metadata.name}.$(MY_POD_NAMESPACE)`,
    );
  });

  test("every $(VAR) in the environment refers to a variable defined before it", () => {
    const env = rabbit.env as { name: string; value?: string; valueFrom?: Loose }[];
    env.forEach((entry, index) => {
      for (const [, name] of (entry.value ?? "").matchAll(/\$\((\w+)\)/g)) {
        expect([entry.name, env.slice(0, index).some((e) => e.name === name)]).toEqual([
          entry.name,
          true,
        ]);
      }
    });
    const fields = Object.fromEntries(
      env.filter((e) => e.valueFrom?.fieldRef).map((e) => [e.name, e.valueFrom.fieldRef.fieldPath]),
    );
    expect(fields).toEqual({
      MY_POD_NAME: "metadata.name",
      MY_POD_NAMESPACE: "metadata.namespace",
    });
  });

  test("peer discovery finds the seed node: every pod's name leads to pod 0's", () => {
    // What rabbit_peer_discovery_k8s (RabbitMQ 4.1+) does with the node's own name.
    const nodeName = (ordinal: number) =>
      (envValue("RABBITMQ_NODENAME") ?? "")
        .replace("$(MY_POD_NAME)", `${statefulSet.metadata.name}-${ordinal}`)
        .replace("$(MY_POD_NAMESPACE)", NAMESPACE);
    const seedOf = (name: string) => {
      const match = /^([^@]+@)([^.]*-)([0-9]+)(.*)$/.exec(name);
      return match ? `${match[1]}${match[2]}0${match[4]}` : undefined;
    };
    for (let ordinal = 0; ordinal < stsSpec.replicas; ordinal++) {
      expect(seedOf(nodeName(ordinal))).toBe(nodeName(0));
    }
    expect(nodeName(2)).toBe(`rabbit@rabbitmq-2.rabbitmq-nodes.${NAMESPACE}`);
  });

  test("keeps every setting of the single node and adds the cluster's", () => {
    const conf_ = config["rabbitmq.conf"];
    for (const line of confLines(baseConf)) expect(confLines(conf_)).toContain(line);
    expect(conf(conf_, "cluster_formation.peer_discovery_backend")).toBe("k8s");
    expect(conf(conf_, "cluster_partition_handling")).toBe("pause_minority");
    for (const key of [
      "cluster_formation.target_cluster_size_hint",
      "quorum_queue.initial_cluster_size",
      "quorum_queue.continuous_membership_reconciliation.target_group_size",
    ]) {
      expect([key, Number(conf(conf_, key))]).toEqual([key, stsSpec.replicas]);
    }
    expect(conf(conf_, "quorum_queue.continuous_membership_reconciliation.enabled")).toBe("true");
  });

  test("enables the peer discovery plugin beside the image's, from the ConfigMap", () => {
    expect(config.enabled_plugins?.trim()).toMatch(/^\[[a-z0-9_]+(,[a-z0-9_]+)*\]\.$/);
    const plugins = /\[(.*)\]/.exec(config.enabled_plugins ?? "")?.[1]?.split(",");
    expect(plugins).toEqual(
      expect.arrayContaining([
        "rabbitmq_management",
        "rabbitmq_prometheus",
        "rabbitmq_peer_discovery_k8s",
      ]),
    );
    const mount = (rabbit.volumeMounts as Loose[]).find(
      (m) => m.mountPath === "/etc/rabbitmq/enabled_plugins",
    );
    expect(mount?.subPath).toBe("enabled_plugins");
    const volume = (podSpec.volumes as Loose[]).find((v) => v.name === mount?.name);
    expect(volume?.configMap?.name).toBe("rabbitmq-config");
  });

  test("every node gets the shared Erlang cookie in RabbitMQ's home, readable by its user only", () => {
    const [init] = podSpec.initContainers as Loose[];
    const script = [...init.command, ...(init.args ?? [])].join(" ");
    expect(init.image).toBe(rabbit.image);
    const dataMount = (rabbit.volumeMounts as Loose[]).find((m) => m.name === "data");
    expect((init.volumeMounts as Loose[]).find((m) => m.name === "data")?.mountPath).toBe(
      dataMount.mountPath,
    );
    const cookieMount = (init.volumeMounts as Loose[]).find((m) => m.name !== "data");
    const volume = (podSpec.volumes as Loose[]).find((v) => v.name === cookieMount.name);
    expect(script).toContain(`${cookieMount.mountPath}/${volume.secret.items[0].path}`);
    expect(script).toContain(`${dataMount.mountPath}/.erlang.cookie`);
    expect(script).toMatch(/chmod 400 /);
    expect(volume.secret.defaultMode).toBe(0o400);
    const template = secret(volume.secret.secretName);
    expect(Object.keys(template ?? {})).toContain(volume.secret.items[0].key);
    expect(podSpec.securityContext.runAsNonRoot).toBe(true);
  });

  test("the headless Service's ports are ports the nodes declare", () => {
    const names = (rabbit.ports as { name: string }[]).map((p) => p.name);
    for (const port of (headless.spec as Loose).ports as { targetPort: string }[]) {
      expect(names).toContain(port.targetPort);
    }
  });

  test("a voluntary disruption takes one node at a time, leaving a majority", () => {
    const pdb = findObject(replicated, "PodDisruptionBudget", "rabbitmq").spec as Loose;
    const majority = Math.floor(stsSpec.replicas / 2) + 1;
    expect(stsSpec.replicas - pdb.maxUnavailable).toBeGreaterThanOrEqual(majority);
    expect(stsSpec.template.metadata.labels).toMatchObject(pdb.selector.matchLabels);
    expect(stsSpec.template.metadata.labels).toMatchObject((headless.spec as Loose).selector);
  });

  test("a stopping node waits for the quorum queues, within the grace period", () => {
    const command = rabbit.lifecycle.preStop.exec.command.join(" ");
    expect(command).toContain("rabbitmq-upgrade await_online_quorum_plus_one");
    const timeout = Number(/-t (\d+)/.exec(command)?.[1]);
    expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(timeout + 60);
  });

  test("the worker and KEDA reach the cluster through Service/rabbitmq", () => {
    const service = findObject(replicated, "Service", "rabbitmq").spec as Loose;
    expect(stsSpec.template.metadata.labels).toMatchObject(service.selector);
    const credentials = secret("rabbitmq-credentials") ?? {};
    for (const key of ["amqp-url", "management-url"]) {
      expect(new URL(credentials[key] ?? "").hostname).toBe(`rabbitmq.${NAMESPACE}.svc`);
    }
    const worker = containersOf(findObject(replicated, "Deployment", "worker"))[0];
    expect(
      (worker?.env as Loose[]).find((e) => e.name === "AMQP_URL").valueFrom.secretKeyRef,
    ).toEqual({
      name: "rabbitmq-credentials",
      key: "amqp-url",
    });
    const trigger = (findObject(replicated, "ScaledObject", "worker").spec as Loose).triggers[0];
    expect(trigger.metadata.queueName).toBe(REQUEST_QUEUE);
    expect(
      (findObject(replicated, "TriggerAuthentication", "rabbitmq-management").spec as Loose)
        .secretTargetRef[0],
    ).toMatchObject({ name: "rabbitmq-credentials", key: "management-url" });
  });
});

describe("the rabbitmq-operator overlay", () => {
  test("replaces the base's RabbitMQ objects with a RabbitmqCluster and a PodDisruptionBudget", () => {
    expect(operator.filter(isBroker).map(id).sort()).toEqual([
      "PodDisruptionBudget/rabbitmq",
      "RabbitmqCluster/rabbitmq",
    ]);
  });

  test("is named so that the operator's client Service is the one the URLs name", () => {
    const credentials = secret("rabbitmq-credentials") ?? {};
    for (const key of ["amqp-url", "management-url"]) {
      expect(new URL(credentials[key] ?? "").hostname).toBe(
        `${cluster.metadata.name}.${NAMESPACE}.svc`,
      );
    }
    expect(clusterSpec.service?.type ?? "ClusterIP").toBe("ClusterIP");
  });

  test("uses the base's credentials as its default user", () => {
    expect(clusterSpec.secretBackend.externalSecret.name).toBe("rabbitmq-credentials");
    const credentials = secret("rabbitmq-credentials") ?? {};
    const defaultUser = credentials["default_user.conf"];
    expect(conf(defaultUser, "default_user")).toBe(credentials.username);
    expect(conf(defaultUser, "default_pass")).toBe(credentials.password);
  });

  test("runs an odd number of nodes with the base's image, storage, resources and settings", () => {
    expect(clusterSpec.replicas).toBeGreaterThanOrEqual(3);
    expect(clusterSpec.replicas % 2).toBe(1);
    const single = findObject(base, "StatefulSet", "rabbitmq");
    expect(clusterSpec.image).toBe(containersOf(single)[0]?.image);
    expect(clusterSpec.resources).toEqual(containersOf(single)[0]?.resources);
    expect(clusterSpec.persistence.storage).toBe(
      (single.spec as Loose).volumeClaimTemplates[0].spec.resources.requests.storage,
    );
    const additional = clusterSpec.rabbitmq.additionalConfig as string;
    for (const line of confLines(baseConf)) expect(confLines(additional)).toContain(line);
    expect(Number(conf(additional, "quorum_queue.initial_cluster_size"))).toBe(
      clusterSpec.replicas,
    );
    expect(
      Number(
        conf(additional, "quorum_queue.continuous_membership_reconciliation.target_group_size"),
      ),
    ).toBe(clusterSpec.replicas);
  });

  test("the PodDisruptionBudget selects the operator's pod labels", () => {
    const pdb = findObject(operator, "PodDisruptionBudget", "rabbitmq").spec as Loose;
    // The operator labels its pods app.kubernetes.io/name=<cluster>, component=rabbitmq.
    expect(pdb.selector.matchLabels).toEqual({
      "app.kubernetes.io/name": cluster.metadata.name,
      "app.kubernetes.io/component": "rabbitmq",
    });
    expect(pdb.maxUnavailable).toBe(1);
  });
});

describe("the chart's rabbitmq.cluster switches", () => {
  const withoutNamespace = (objects: K8sObject[]) => objects.filter((o) => o.kind !== "Namespace");

  test.each([
    ["enabled", { enabled: true }, replicated],
    ["operator", { operator: true }, operator],
  ])("%s renders the same objects as the overlay", (_name, values, overlay) => {
    const chart = renderChart(undefined, { values: { rabbitmq: { cluster: values } } });
    const expected = byId(withoutNamespace(overlay));
    expect([...byId(chart).keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, object] of byId(chart))
      expect([key, object]).toEqual([key, expected.get(key)]);
  });

  test("the number of nodes flows into the StatefulSet and the cluster's settings", () => {
    const chart = renderChart(undefined, {
      values: { rabbitmq: { cluster: { enabled: true, replicas: 5 } } },
    });
    expect((findObject(chart, "StatefulSet", "rabbitmq").spec as Loose).replicas).toBe(5);
    const text = (findObject(chart, "ConfigMap", "rabbitmq-config").data as Record<string, string>)[
      "rabbitmq.conf"
    ];
    expect(Number(conf(text, "quorum_queue.initial_cluster_size"))).toBe(5);
    const operatorChart = renderChart(undefined, {
      values: { rabbitmq: { cluster: { operator: true, replicas: 5 } } },
    });
    expect((findObject(operatorChart, "RabbitmqCluster", "rabbitmq").spec as Loose).replicas).toBe(
      5,
    );
  });

  test("off by default: the chart renders the single node", () => {
    const chart = renderChart();
    expect((findObject(chart, "StatefulSet", "rabbitmq").spec as Loose).replicas).toBe(1);
    expect(
      chart.some((o) => o.kind === "PodDisruptionBudget" || o.kind === "RabbitmqCluster"),
    ).toBe(false);
  });
});
