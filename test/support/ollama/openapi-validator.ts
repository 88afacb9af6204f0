/**
 * Validates Ollama API traffic against Ollama's own OpenAPI description
 * (`test/fixtures/ollama/openapi.yaml`, OpenAPI 3.1, so JSON Schema 2020-12). The test server
 * checks every request it receives and every response it sends with it; the worker's
 * tests can use the same validator on what the worker sends.
 *
 * The description has known gaps, patched here so that the server stays the truth:
 * `truncate` and `shift` are accepted by `/api/chat` and `/api/generate` (Ollama 0.12.4+)
 * but are listed only for `/api/embed`.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { OLLAMA_OPENAPI } from "../fixture-files.js";

/** Where the description lives: committed under test/fixtures/ollama/. */
export const DEFAULT_OLLAMA_OPENAPI_FILE = OLLAMA_OPENAPI;

const DOCUMENT_ID = "https://ollama.issue-agent.test/openapi.json";

// ajv-formats is CommonJS with a `default` property; under NodeNext the default import
// is the module object, so take the plugin from whichever shape arrives.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Component schema names of the description that traffic is checked against. */
export type OllamaSchemaName =
  | "ChatRequest"
  | "ChatResponse"
  | "ChatStreamEvent"
  | "GenerateRequest"
  | "GenerateResponse"
  | "GenerateStreamEvent"
  | "ShowRequest"
  | "ShowResponse"
  | "ListResponse"
  | "PsResponse"
  | "VersionResponse"
  | "ErrorResponse"
  | "EmbedRequest"
  | "EmbedResponse";

/** The endpoints whose bodies the validator knows how to check. */
export type OllamaEndpoint =
  | "/api/chat"
  | "/api/generate"
  | "/api/show"
  | "/api/tags"
  | "/api/ps"
  | "/api/version"
  | "/api/embed";

/** How a response body was delivered: whole, or as one event of an NDJSON stream. */
export type ResponseKind = "json" | "ndjson";

const REQUEST_SCHEMAS: Partial<Record<OllamaEndpoint, OllamaSchemaName>> = {
  "/api/chat": "ChatRequest",
  "/api/generate": "GenerateRequest",
  "/api/show": "ShowRequest",
  "/api/embed": "EmbedRequest",
};

const RESPONSE_SCHEMAS: Record<OllamaEndpoint, Record<ResponseKind, OllamaSchemaName>> = {
  "/api/chat": { json: "ChatResponse", ndjson: "ChatStreamEvent" },
  "/api/generate": { json: "GenerateResponse", ndjson: "GenerateStreamEvent" },
  "/api/show": { json: "ShowResponse", ndjson: "ShowResponse" },
  "/api/tags": { json: "ListResponse", ndjson: "ListResponse" },
  "/api/ps": { json: "PsResponse", ndjson: "PsResponse" },
  "/api/version": { json: "VersionResponse", ndjson: "VersionResponse" },
  "/api/embed": { json: "EmbedResponse", ndjson: "EmbedResponse" },
};

/** Validation errors as readable lines (`/messages/0/role must be equal to ...`); empty when valid. */
export type ValidationErrors = string[];

/** A validator bound to one copy of the description. */
export interface OllamaOpenApiValidator {
  /** Checks a value against one named component schema. */
  validate(schema: OllamaSchemaName, value: unknown): ValidationErrors;
  /**
   * Checks a request body for an endpoint. Endpoints without a body schema (GET
   * endpoints) accept anything.
   */
  validateRequest(endpoint: OllamaEndpoint, body: unknown): ValidationErrors;
  /**
   * Checks a successful response body (`kind: "json"`) or one streamed event
   * (`kind: "ndjson"`). An error body (`{"error": ...}`) is checked against ErrorResponse.
   */
  validateResponse(endpoint: OllamaEndpoint, body: unknown, kind: ResponseKind): ValidationErrors;
}

const cache = new Map<string, OllamaOpenApiValidator>();

/**
 * Returns a validator for Ollama's OpenAPI description, compiled once per file and cached
 * for the life of the process so that many servers in one test file pay nothing.
 */
export function getOllamaOpenApiValidator(
  file: string = DEFAULT_OLLAMA_OPENAPI_FILE,
): OllamaOpenApiValidator {
  let validator = cache.get(file);
  if (validator === undefined) {
    validator = buildValidator(file);
    cache.set(file, validator);
  }
  return validator;
}

/** True when `endpoint` is one the validator knows (type guard for routing code). */
export function isKnownEndpoint(endpoint: string): endpoint is OllamaEndpoint {
  return Object.hasOwn(RESPONSE_SCHEMAS, endpoint);
}

function buildValidator(file: string): OllamaOpenApiValidator {
  const document = parseYaml(readFileSync(file, "utf8")) as {
    components: { schemas: Record<string, Record<string, unknown>> };
  };
  patchKnownGaps(document.components.schemas);

  // strict: false because the description carries OpenAPI-only keywords (`example`,
  // `x-*`) that are not JSON Schema; formats still apply.
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  // OpenAPI numeric formats carry no constraint JSON Schema could check.
  for (const format of ["float", "double", "int32", "int64"]) ajv.addFormat(format, true);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });

  const compiled = new Map<OllamaSchemaName, ValidateFunction>();
  const compile = (name: OllamaSchemaName): ValidateFunction => {
    let fn = compiled.get(name);
    if (fn === undefined) {
      fn = ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
      if (fn === undefined) throw new Error(`Ollama OpenAPI description has no schema '${name}'`);
      compiled.set(name, fn);
    }
    return fn;
  };

  const validate = (name: OllamaSchemaName, value: unknown): ValidationErrors => {
    const fn = compile(name);
    return fn(value) ? [] : formatErrors(name, fn.errors ?? []);
  };

  return {
    validate,
    validateRequest(endpoint, body) {
      const name = REQUEST_SCHEMAS[endpoint];
      return name === undefined ? [] : validate(name, body);
    },
    validateResponse(endpoint, body, kind) {
      if (isErrorBody(body)) return validate("ErrorResponse", body);
      return validate(RESPONSE_SCHEMAS[endpoint][kind], body);
    },
  };
}

function patchKnownGaps(schemas: Record<string, Record<string, unknown>>): void {
  for (const name of ["ChatRequest", "GenerateRequest"]) {
    const schema = schemas[name];
    if (schema === undefined) continue;
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    properties.truncate ??= {
      type: "boolean",
      description: "false: a prompt that does not fit num_ctx is an error",
    };
    properties.shift ??= {
      type: "boolean",
      description: "false: stop at a full context instead of shifting it",
    };
    schema.properties = properties;
  }
}

function isErrorBody(body: unknown): boolean {
  return typeof body === "object" && body !== null && "error" in body;
}

function formatErrors(name: string, errors: readonly ErrorObject[]): ValidationErrors {
  return errors.map((error) => {
    const where = error.instancePath === "" ? "(root)" : error.instancePath;
    const extra =
      error.keyword === "enum"
        ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
        : "";
    return `${name} ${where} ${error.message ?? error.keyword}${extra}`;
  });
}
