/**
 * Offline validation of manifests against the Kubernetes and KEDA schemas, through the
 * generated validators of kubernetes-models and @kubernetes-models/keda, and of the
 * RabbitMQ cluster operator's RabbitmqCluster against a hand-written schema
 * (rabbitmq-cluster-schema.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { Ajv } from "ajv";
import type { K8sObject, Loose } from "./manifests.js";
import { RABBITMQ_CLUSTER_SCHEMA, rabbitmqClusterVocabulary } from "./rabbitmq-cluster-schema.js";

type Model = { validate(): void };
type ModelClass = new (data: Loose) => Model;

const validateRabbitmqCluster = new Ajv({ allErrors: true, strict: true }).compile(
  RABBITMQ_CLUSTER_SCHEMA,
);

/** The RabbitmqCluster schema behind the same interface as the generated models. */
class RabbitmqCluster implements Model {
  constructor(private readonly data: Loose) {}
  validate(): void {
    if (!validateRabbitmqCluster(this.data)) {
      const problems = (validateRabbitmqCluster.errors ?? []).map((error) => {
        const where = error.instancePath || "/";
        const extra = (error.params as { additionalProperty?: string }).additionalProperty;
        return `${where} ${error.message ?? "is invalid"}${extra ? `: ${extra}` : ""}`;
      });
      throw new Error(problems.join("; "));
    }
  }
}

const MODELS: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "rabbitmq.com/v1beta1/RabbitmqCluster": RabbitmqCluster,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
};

/** Validates one object against its schema; throws with the schema's complaint. */
export function validateObject(object: K8sObject): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema known for ${object.apiVersion} ${object.kind}`);
  try {
    new Model(structuredClone(object)).validate();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${object.kind}/${object.metadata.name}: ${message}`, { cause: error });
  }
}

const require = createRequire(import.meta.url);

function schemaDir(pkg: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), "_schemas");
}

let vocabulary: Set<string> | undefined;

/**
 * Every property name the schemas know. The generated validators accept unknown fields
 * (the API server would drop them with only a warning), so a misspelt field such as
 * `terminationGracePeriodSecond` would pass; checking names against this vocabulary
 * catches it.
 */
export function schemaVocabulary(): Set<string> {
  if (vocabulary) return vocabulary;
  vocabulary = new Set(["apiVersion", "kind"]);
  for (const pkg of [
    "kubernetes-models",
    "@kubernetes-models/apimachinery",
    "@kubernetes-models/keda",
  ]) {
    const dir = schemaDir(pkg);
    for (const file of readdirSync(dir)) {
      if (!file.endsWith(".js")) continue;
      for (const match of readFileSync(join(dir, file), "utf8").matchAll(
        /parentDataProperty:"([^"]+)"|missingProperty:"([^"]+)"/g,
      )) {
        vocabulary.add((match[1] ?? match[2]) as string);
      }
    }
  }
  return vocabulary;
}

/** Keys under which any name is valid (labels, data, resource names, trigger settings). */
const FREE_FORM_PARENTS = new Set([
  "labels",
  "annotations",
  "matchLabels",
  "data",
  "stringData",
  "binaryData",
  "requests",
  "limits",
  "nodeSelector",
]);

/** Field names in the object that no schema knows, as paths. */
export function unknownFields(object: K8sObject): string[] {
  // A RabbitmqCluster's own fields come from its schema; its pod-level ones are Kubernetes'.
  const known =
    object.kind === "RabbitmqCluster"
      ? new Set([...schemaVocabulary(), ...rabbitmqClusterVocabulary()])
      : schemaVocabulary();
  const unknown: string[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, String(index)]));
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const parent = path[path.length - 1];
    const freeForm =
      (parent !== undefined && FREE_FORM_PARENTS.has(parent)) ||
      // A Service's selector is a plain label map; a trigger's metadata is its settings.
      (object.kind === "Service" && path.join(".") === "spec.selector") ||
      (parent === "metadata" && path[path.length - 3] === "triggers");
    for (const [key, child] of Object.entries(value)) {
      if (!freeForm && !known.has(key)) unknown.push([...path, key].join("."));
      walk(child, [...path, key]);
    }
  };
  walk(object, []);
  return unknown;
}
