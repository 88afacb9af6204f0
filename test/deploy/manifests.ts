/**
 * Offline rendering of the deployment manifests: the kustomize base and overlays (the
 * subset of kustomize they use) and the Helm chart (through helm-template.ts), so the
 * tests can check the objects a cluster would receive.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { renderTemplate, type TemplateContext } from "./helm-template.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const K8S_DIR = join(ROOT, "k8s");
export const BASE_DIR = join(K8S_DIR, "base");
export const CHART_DIR = join(K8S_DIR, "helm", "issue-agent");
export const NAMESPACE = "ai-agent";

/**
 * Manifests are untyped YAML: the tests walk them freely, and the schemas in schemas.ts
 * are what validates their shape. One alias keeps that choice in one place.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

/** Parses every document of a YAML stream, failing on any syntax error or warning. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const docs = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const doc of docs) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      throw new Error(`${source}: ${problems.map((problem) => problem.message).join("; ")}`);
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

export function readYamlFile(path: string): unknown[] {
  return parseYamlDocuments(readFileSync(path, "utf8"), path);
}

function asObject(value: unknown, source: string): K8sObject {
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as K8sObject).apiVersion !== "string" ||
    typeof (value as K8sObject).kind !== "string" ||
    typeof (value as K8sObject).metadata?.name !== "string"
  ) {
    throw new Error(`${source}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
  }
  return value as K8sObject;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The merge key of each list field the manifests patch, as Kubernetes declares it
 * (`patchMergeKey`): a patch item replaces or extends the target item with the same key.
 * Lists not named here are replaced whole (tolerations, args, volumeClaimTemplates, ...).
 */
const MERGE_KEYS: Record<string, (item: Record<string, unknown>) => unknown> = {
  containers: (item) => item.name,
  initContainers: (item) => item.name,
  env: (item) => item.name,
  volumes: (item) => item.name,
  imagePullSecrets: (item) => item.name,
  volumeMounts: (item) => item.mountPath,
  // Container ports merge on containerPort, Service ports on port.
  ports: (item) => item.containerPort ?? item.port,
  topologySpreadConstraints: (item) => item.topologyKey,
};

/**
 * Strategic merge as kustomize applies it to the fields these patches touch: maps merge
 * key by key, lists with a merge key (MERGE_KEYS) merge item by item on that key, other
 * lists are replaced, and null deletes.
 */
export function strategicMerge(target: unknown, patch: unknown, field?: string): unknown {
  if (isPlainObject(target) && isPlainObject(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null) delete merged[key];
      else merged[key] = key in target ? strategicMerge(target[key], value, key) : value;
    }
    return merged;
  }
  const keyOf = field === undefined ? undefined : MERGE_KEYS[field];
  const keyed = (list: unknown[]) =>
    keyOf !== undefined && list.every((item) => isPlainObject(item) && keyOf(item) !== undefined);
  if (Array.isArray(target) && Array.isArray(patch) && keyed(target) && keyed(patch)) {
    const key = keyOf as (item: Record<string, unknown>) => unknown;
    const merged = [...(target as Record<string, unknown>[])];
    for (const item of patch as Record<string, unknown>[]) {
      const index = merged.findIndex((existing) => key(existing) === key(item));
      if (index === -1) merged.push(item);
      else merged[index] = strategicMerge(merged[index], item) as Record<string, unknown>;
    }
    return merged;
  }
  return patch;
}

/** Helm's merge of values: maps merge key by key, anything else (lists too) is replaced. */
export function mergeValues(defaults: unknown, overrides: unknown): unknown {
  if (isPlainObject(defaults) && isPlainObject(overrides)) {
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(overrides)) {
      merged[key] = key in defaults ? mergeValues(defaults[key], value) : value;
    }
    return merged;
  }
  return overrides;
}

/** The pod specs inside a workload, wherever its kind keeps them. */
export function podSpecs(object: K8sObject): Record<string, unknown>[] {
  const spec = object.spec as Record<string, Loose> | undefined;
  const podSpec: unknown =
    object.kind === "CronJob" ? spec?.jobTemplate?.spec?.template?.spec : spec?.template?.spec;
  return isPlainObject(podSpec) ? [podSpec] : [];
}

export type Container = Record<string, Loose> & { name: string; image: string };

export function containersOf(object: K8sObject): Container[] {
  return podSpecs(object).flatMap((spec) => [
    ...((spec.initContainers as Container[] | undefined) ?? []),
    ...((spec.containers as Container[] | undefined) ?? []),
  ]);
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "ClusterTriggerAuthentication",
  "StorageClass",
  "PersistentVolume",
]);

const SUPPORTED_KUSTOMIZATION_FIELDS = new Set([
  "apiVersion",
  "kind",
  "namespace",
  "resources",
  "images",
  "patches",
]);

type ImageOverride = { name: string; newName?: string; newTag?: string };
type Patch = { path: string; target?: { kind?: string; name?: string } };

/**
 * Renders a kustomization directory as `kubectl kustomize` would, for the fields used
 * here: resources (files and directories), patches (strategic merge), images, namespace.
 * Any other field throws rather than being silently ignored.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, "kustomization.yaml");
  const kustomization = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED_KUSTOMIZATION_FIELDS.has(field)) {
      throw new Error(`${file}: field '${field}' is not supported by the test renderer`);
    }
  }
  let objects: K8sObject[] = [];
  for (const resource of (kustomization.resources as string[] | undefined) ?? []) {
    const path = join(dir, resource);
    if (statSync(path).isDirectory()) objects.push(...renderKustomization(path));
    else objects.push(...readYamlFile(path).map((doc) => asObject(doc, path)));
  }

  for (const patch of (kustomization.patches as Patch[] | undefined) ?? []) {
    const path = join(dir, patch.path);
    const [patchDoc] = readYamlFile(path).map((doc) => asObject(doc, path));
    if (!patchDoc) throw new Error(`${path}: empty patch`);
    const kind = patch.target?.kind ?? patchDoc.kind;
    const name = patch.target?.name ?? patchDoc.metadata.name;
    const matches = objects.filter((o) => o.kind === kind && o.metadata.name === name);
    if (matches.length !== 1) throw new Error(`${path}: patch target ${kind}/${name} not found`);
    const directive = (patchDoc as Record<string, unknown>)["$patch"];
    if (directive === "delete") {
      objects = objects.filter((o) => o !== matches[0]);
      continue;
    }
    if (directive !== undefined)
      throw new Error(`${path}: $patch: ${JSON.stringify(directive)} is not supported`);
    objects = objects.map((o) =>
      o === matches[0] ? (strategicMerge(o, { ...patchDoc, metadata: undefined }) as K8sObject) : o,
    );
  }

  const images = (kustomization.images as ImageOverride[] | undefined) ?? [];
  for (const object of objects) {
    for (const container of containersOf(object)) {
      const [, name, tag] = /^([^:@]+(?::\d+\/[^:@]+)?)(?::([^@]+))?$/.exec(container.image) ?? [];
      const override = images.find((image) => image.name === name);
      if (override) {
        container.image = `${override.newName ?? name}:${override.newTag ?? tag ?? "latest"}`;
      }
    }
  }

  const namespace = kustomization.namespace;
  if (typeof namespace === "string") {
    for (const object of objects) {
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = namespace;
      else if (object.kind === "Namespace" && object.metadata.name !== namespace) {
        throw new Error(`Namespace ${object.metadata.name} differs from ${namespace}`);
      }
    }
  }
  return objects;
}

/** Renders every template of the chart with its default values (plus overrides). */
export function renderChart(
  chartDir: string = CHART_DIR,
  options: { namespace?: string; values?: Record<string, unknown> } = {},
): K8sObject[] {
  const chart = parse(readFileSync(join(chartDir, "Chart.yaml"), "utf8")) as Record<string, string>;
  const defaults = parse(readFileSync(join(chartDir, "values.yaml"), "utf8")) as unknown;
  const context: TemplateContext = {
    Values: mergeValues(defaults, options.values ?? {}),
    Release: { Name: "issue-agent", Namespace: options.namespace ?? NAMESPACE, Service: "Helm" },
    Chart: {
      Name: chart.name ?? "",
      Version: chart.version ?? "",
      AppVersion: chart.appVersion ?? "",
    },
  };
  const templatesDir = join(chartDir, "templates");
  const objects: K8sObject[] = [];
  for (const name of readdirSync(templatesDir).sort()) {
    if (!name.endsWith(".yaml")) continue;
    const path = join(templatesDir, name);
    const text = renderTemplate(readFileSync(path, "utf8"), context);
    objects.push(
      ...parseYamlDocuments(text, `${path} (rendered)`).map((doc) => asObject(doc, path)),
    );
  }
  return objects;
}

/** Every YAML file under a directory, recursively, skipping the chart's raw templates. */
export function yamlFilesUnder(
  dir: string,
  skip: (path: string) => boolean = () => false,
): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (skip(path)) return [];
    if (entry.isDirectory()) return yamlFilesUnder(path, skip);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

export function findObject(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not found`);
  return found;
}
