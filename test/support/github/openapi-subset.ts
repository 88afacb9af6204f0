/**
 * Extracts the part of GitHub's OpenAPI description (`@octokit/openapi`) that the emulator
 * serves: the operations it routes plus every component they reference. The full
 * description is 13 MB; the subset is a few hundred KB and is cached on disk (keyed by the
 * package version and the operation list) so each test file starts quickly.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/** A JSON schema fragment, as found in the description. */
export type JsonSchema = Record<string, unknown>;

/** What the validator needs to know about one operation. */
export interface OperationSchemas {
  key: string;
  operationId: string;
  /** Object schema over the path parameters (all required). */
  pathParams: JsonSchema;
  /** Object schema over the query parameters. */
  query: JsonSchema;
  body: { required: boolean; schema: JsonSchema } | null;
  /** Declared responses by status; `null` when the response has no JSON body. */
  responses: Record<string, JsonSchema | null>;
}

/** The extracted subset: referenced components plus the operations, in request order. */
export interface SpecSubset {
  specVersion: string;
  components: Record<string, Record<string, unknown>>;
  operations: OperationSchemas[];
}

// Bump when the extraction changes shape, so stale caches are ignored.
const EXTRACTOR_VERSION = 6;

interface RawParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface RawOperation {
  operationId: string;
  parameters?: unknown[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, unknown>;
}

interface RawSpec {
  info: { version: string };
  paths: Record<string, Record<string, RawOperation>>;
  "x-webhooks"?: Record<string, Record<string, RawOperation>>;
  components: Record<string, Record<string, unknown>>;
}

const packageRequire = createRequire(import.meta.url);

/**
 * Loads the subset for `keys` ("METHOD /path/{template}", or "WEBHOOK name" for a webhook
 * payload such as "WEBHOOK issues-labeled"), from the disk cache when it is
 * there. Throws when a key is not an operation of the description: the emulator must only
 * route what GitHub documents.
 */
export function loadSpecSubset(keys: readonly string[]): SpecSubset {
  const packageJsonPath = packageRequire.resolve("@octokit/openapi/package.json");
  const packageVersion = (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version: string })
    .version;
  const digest = createHash("sha256")
    .update(JSON.stringify({ EXTRACTOR_VERSION, packageVersion, keys }))
    .digest("hex")
    .slice(0, 16);
  const cacheDir = path.join(os.tmpdir(), "issue-agent-github-openapi");
  const cacheFile = path.join(cacheDir, `${digest}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, "utf8")) as SpecSubset;
  } catch {
    // Not cached yet (or unreadable): extract below.
  }
  const specPath = path.join(path.dirname(packageJsonPath), "generated", "api.github.com.json");
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as RawSpec;
  const subset = extractSubset(spec, keys);
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename: concurrent test workers never read a half-written file.
  const temporary = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, JSON.stringify(subset));
  renameSync(temporary, cacheFile);
  return subset;
}

function extractSubset(spec: RawSpec, keys: readonly string[]): SpecSubset {
  const operations = keys.map((key) => extractOperation(spec, key));
  const components: Record<string, Record<string, unknown>> = {};
  const pending: string[] = [];
  const seen = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) collect(item);
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === "$ref" && typeof v === "string" && !seen.has(v)) {
          seen.add(v);
          pending.push(v);
        } else {
          collect(v);
        }
      }
    }
  };
  collect(operations);
  // The validator checks undeclared error statuses against GitHub's generic error shape.
  for (const always of ["#/components/schemas/basic-error"]) {
    if (!seen.has(always)) {
      seen.add(always);
      pending.push(always);
    }
  }
  while (pending.length > 0) {
    const ref = pending.pop() as string;
    const [, kind, name] = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref) ?? [];
    if (kind === undefined || name === undefined) throw new Error(`unsupported $ref ${ref}`);
    const target = spec.components[kind]?.[name];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    (components[kind] ??= {})[name] = stripDocs(target);
    collect(target);
  }
  return { specVersion: spec.info.version, components, operations };
}

function extractOperation(spec: RawSpec, key: string): OperationSchemas {
  const [method, template] = key.split(" ");
  // "WEBHOOK issues-labeled" names a webhook payload; its schema is the "request body".
  const operation =
    method === "WEBHOOK" && template !== undefined
      ? spec["x-webhooks"]?.[template]?.post
      : method !== undefined && template !== undefined
        ? spec.paths[template]?.[method.toLowerCase()]
        : undefined;
  if (operation === undefined) throw new Error(`${key} is not in GitHub's OpenAPI description`);
  const parameters = (operation.parameters ?? []).map((p) => resolve<RawParameter>(spec, p));
  const objectOf = (location: string): JsonSchema => {
    const selected = parameters.filter((p) => p.in === location);
    return {
      type: "object",
      properties: Object.fromEntries(selected.map((p) => [p.name, stripDocs(p.schema ?? {})])),
      required: selected.filter((p) => p.required === true).map((p) => p.name),
    };
  };
  const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
  const responses: Record<string, JsonSchema | null> = {};
  for (const [status, raw] of Object.entries(operation.responses)) {
    const response = resolve<{ content?: Record<string, { schema?: JsonSchema }> }>(spec, raw);
    const schema = response.content?.["application/json"]?.schema;
    responses[status] = schema === undefined ? null : stripDocs(schema);
  }
  return {
    key,
    operationId: operation.operationId,
    pathParams: objectOf("path"),
    query: objectOf("query"),
    body:
      bodySchema === undefined
        ? null
        : { required: operation.requestBody?.required === true, schema: stripDocs(bodySchema) },
    responses,
  };
}

function resolve<T>(spec: RawSpec, value: unknown): T {
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref !== "string") return value as T;
  const [, kind, name] = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref) ?? [];
  const target = kind !== undefined && name !== undefined ? spec.components[kind]?.[name] : null;
  if (target === undefined || target === null) throw new Error(`dangling $ref ${ref}`);
  return target as T;
}

// Descriptions and examples are most of the description's bytes and mean nothing to a
// validator; dropping them keeps the cache small and the compile fast. Keys of a
// `properties` map are property names (GitHub has a property called "description"), so
// they are kept.
function stripDocs<T>(value: T, isPropertyMap = false): T {
  if (Array.isArray(value)) return value.map((item: unknown) => stripDocs(item)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!isPropertyMap && DOC_KEYS.has(k)) continue;
    out[k] = stripDocs(v, !isPropertyMap && k === "properties");
  }
  // OpenAPI 3.0 allows `nullable` beside `$ref`/`anyOf`/`allOf` with no `type`, which
  // JSON Schema validators reject; say the same thing as "this, or null".
  if (!isPropertyMap && out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: "null" }] } as T;
  }
  // Ajv's `nullable` does not extend `enum`; GitHub sends null for nullable enums.
  if (
    !isPropertyMap &&
    out.nullable === true &&
    Array.isArray(out.enum) &&
    !out.enum.includes(null)
  ) {
    out.enum = [...(out.enum as unknown[]), null];
  }
  return out as T;
}

const DOC_KEYS = new Set(["description", "example", "examples", "summary", "externalDocs"]);
