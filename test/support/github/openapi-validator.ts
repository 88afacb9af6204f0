/**
 * Validates the emulator's traffic against GitHub's OpenAPI description: request path
 * parameters, query and body on the way in, response bodies on the way out. Validators
 * are compiled on first use and cached for the life of the process (module scope), so a
 * second emulator in the same test file pays nothing.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { loadSpecSubset, type OperationSchemas, type SpecSubset } from "./openapi-subset.js";

const DOCUMENT_ID = "https://emulator.issue-agent.test/github-openapi.json";

// ajv-formats is CommonJS with a `default` property; under NodeNext the default import
// is the module object, so take the plugin from whichever shape arrives.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

/** The result of one validation: empty when the value conforms. */
export type ValidationErrors = string[];

interface Compiled {
  subset: SpecSubset;
  bodies: Ajv;
  params: Ajv;
  validators: Map<string, ValidateFunction>;
  index: Map<string, number>;
}

let compiled: { keys: string; value: Compiled } | undefined;

/** Validator over a fixed set of operations ("METHOD /template"). */
export class OpenApiValidator {
  private readonly state: Compiled;

  constructor(keys: readonly string[]) {
    const joined = keys.join("\n");
    if (compiled?.keys !== joined) compiled = { keys: joined, value: build(keys) };
    this.state = compiled.value;
  }

  /** The operation description for a route key, as extracted from the description. */
  operation(key: string): OperationSchemas {
    const position = this.state.index.get(key);
    const operation = position === undefined ? undefined : this.state.subset.operations[position];
    if (operation === undefined) throw new Error(`no operation ${key}`);
    return operation;
  }

  /** Checks path parameters, query and body of a request to `key`. */
  validateRequest(
    key: string,
    request: { pathParams: Record<string, string>; query: Record<string, string>; body: unknown },
  ): ValidationErrors {
    const operation = this.operation(key);
    const errors = [
      ...this.run(key, "pathParams", true, { ...request.pathParams }, "path"),
      ...this.run(key, "query", true, { ...request.query }, "query"),
    ];
    if (operation.body === null) {
      if (request.body !== undefined) errors.push("body: this operation takes no request body");
    } else if (request.body === undefined) {
      if (operation.body.required) errors.push("body: required request body is missing");
    } else {
      errors.push(...this.run(key, "body/schema", false, request.body, "body"));
    }
    return errors;
  }

  /**
   * Checks a response body. Statuses the description does not declare for this operation
   * are checked against GitHub's generic error shape when they are errors, and reported
   * otherwise.
   */
  validateResponse(key: string, status: number, body: unknown): ValidationErrors {
    const operation = this.operation(key);
    const declared = operation.responses[String(status)];
    if (declared === undefined) {
      if (status >= 400) return this.runGeneric(body);
      return [`response: status ${status} is not declared for ${operation.operationId}`];
    }
    if (declared === null) {
      return body === undefined ? [] : [`response: status ${status} must not have a body`];
    }
    return this.run(key, `responses/${status}`, false, body, "response");
  }

  private run(
    key: string,
    pointer: string,
    coerce: boolean,
    value: unknown,
    label: string,
  ): ValidationErrors {
    const position = this.state.index.get(key) as number;
    const cacheKey = `${coerce ? "p" : "b"}#${position}/${pointer}`;
    let validate = this.state.validators.get(cacheKey);
    if (validate === undefined) {
      const ajv = coerce ? this.state.params : this.state.bodies;
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#/operations/${position}/${pointer}` });
      this.state.validators.set(cacheKey, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${label}${e.instancePath || ""}: ${e.message ?? "invalid"} ${formatParams(e.params)}`,
    );
  }

  private runGeneric(body: unknown): ValidationErrors {
    let validate = this.state.validators.get("generic-error");
    if (validate === undefined) {
      validate = this.state.bodies.compile({
        $ref: `${DOCUMENT_ID}#/components/schemas/basic-error`,
      });
      this.state.validators.set("generic-error", validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `response${e.instancePath}: ${e.message ?? ""}`);
  }
}

function formatParams(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? "" : JSON.stringify(params);
}

function build(keys: readonly string[]): Compiled {
  const subset = loadSpecSubset(keys);
  const document = {
    $id: DOCUMENT_ID,
    components: subset.components,
    operations: subset.operations,
  };
  const make = (coerceTypes: boolean): Ajv => {
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      coerceTypes,
      logger: false,
      // GitHub's description is OpenAPI 3.0: `nullable` is understood natively.
    });
    addFormats(ajv);
    ajv.addSchema(document);
    return ajv;
  };
  return {
    subset,
    bodies: make(false),
    params: make(true),
    validators: new Map(),
    index: new Map(subset.operations.map((operation, i) => [operation.key, i])),
  };
}
