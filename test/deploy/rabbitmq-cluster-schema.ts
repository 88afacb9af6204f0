/**
 * A hand-written JSON schema for the RabbitmqCluster resource (rabbitmq.com/v1beta1) of
 * the RabbitMQ cluster operator, enough to check the manifests here offline: the field
 * names, types and limits of the CRD's openAPIV3Schema as the operator publishes it
 * (config/crd/bases/rabbitmq.com_rabbitmqclusters.yaml in rabbitmq/cluster-operator, and
 * its API reference), closed (additionalProperties: false) at every level this project
 * uses, so a misspelt field fails. Pod-level fields (affinity, tolerations, resources)
 * are Kubernetes types: their field names are checked by the Kubernetes vocabulary in
 * schemas.ts, and the `override` templates are left open.
 */
const quantity = { anyOf: [{ type: "string" }, { type: "integer" }] };
const stringMap = { type: "object", additionalProperties: { type: "string" } };
const localObjectReference = {
  type: "object",
  additionalProperties: false,
  properties: { name: { type: "string" } },
};

export const RABBITMQ_CLUSTER_SCHEMA = {
  type: "object",
  required: ["apiVersion", "kind", "metadata"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "rabbitmq.com/v1beta1" },
    kind: { const: "RabbitmqCluster" },
    metadata: {
      type: "object",
      required: ["name"],
      properties: {
        name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
        namespace: { type: "string" },
        labels: stringMap,
        annotations: stringMap,
      },
    },
    spec: {
      type: "object",
      additionalProperties: false,
      properties: {
        replicas: { type: "integer", minimum: 0 },
        image: { type: "string" },
        imagePullSecrets: { type: "array", items: localObjectReference },
        terminationGracePeriodSeconds: { type: "integer", minimum: 0 },
        delayStartSeconds: { type: "integer", minimum: 0 },
        skipPostDeploySteps: { type: "boolean" },
        autoEnableAllFeatureFlags: { type: "boolean" },
        affinity: { type: "object" },
        tolerations: { type: "array", items: { type: "object" } },
        resources: {
          type: "object",
          additionalProperties: false,
          properties: {
            requests: { type: "object", additionalProperties: quantity },
            limits: { type: "object", additionalProperties: quantity },
            claims: { type: "array" },
          },
        },
        persistence: {
          type: "object",
          additionalProperties: false,
          properties: {
            storage: quantity,
            storageClassName: { type: "string" },
            emptyDir: { type: "object" },
          },
        },
        service: {
          type: "object",
          additionalProperties: false,
          properties: {
            type: { enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] },
            annotations: stringMap,
            labels: stringMap,
            ipFamilyPolicy: { type: "string" },
          },
        },
        rabbitmq: {
          type: "object",
          additionalProperties: false,
          properties: {
            additionalConfig: { type: "string", maxLength: 100_000 },
            additionalPlugins: {
              type: "array",
              maxItems: 100,
              items: { type: "string", maxLength: 100, pattern: "^\\w+$" },
            },
            advancedConfig: { type: "string", maxLength: 100_000 },
            // The CRD rejects shell substitution here (an x-kubernetes-validations rule).
            envConfig: { type: "string", maxLength: 100_000, not: { pattern: "\\$\\(|`" } },
            erlangInetConfig: { type: "string", maxLength: 2000 },
          },
        },
        secretBackend: {
          type: "object",
          additionalProperties: false,
          properties: {
            externalSecret: localObjectReference,
            vault: { type: "object" },
          },
        },
        tls: { type: "object" },
        override: {
          type: "object",
          additionalProperties: false,
          properties: { statefulSet: { type: "object" }, service: { type: "object" } },
        },
      },
    },
  },
} as const;

/** Every property name the schema declares, for the unknown-field vocabulary. */
export function rabbitmqClusterVocabulary(): string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === "object" && node !== null) {
      const record = node as Record<string, unknown>;
      if (typeof record.properties === "object" && record.properties !== null) {
        for (const name of Object.keys(record.properties)) names.add(name);
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(RABBITMQ_CLUSTER_SCHEMA);
  return [...names];
}
