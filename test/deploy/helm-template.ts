/**
 * A small evaluator for the subset of Go templates that the chart in k8s/helm uses, so
 * that the chart can be rendered and compared with the kustomize base without helm.
 *
 * Supported: `{{ pipeline }}`, `{{- ` / ` -}}` whitespace trimming, `{{/* comment *\/}}`,
 * `if` / `else` / `end`, `range $key, $value := <map>` (keys in sorted order, as Go's),
 * field paths from the root (`.Values.a.b`, `.Release.Namespace`, `.Chart.AppVersion`)
 * and the range's variables, string/number/boolean literals, and the functions quote,
 * toYaml, indent, nindent, default, required, not, int64 and toString. Anything else
 * (other ranges, with, include, define, parentheses, assignments) throws, so a template
 * that grows past this subset fails the test instead of rendering wrongly. A field path
 * that does not resolve also throws: stricter than helm (which prints nothing), which
 * catches typos in the templates.
 *
 * Numbers in the values are typed as Helm 3 types them: every one a float64 (its values
 * go through JSON), which a template prints as Go prints a float, 3600000 as `3.6e+06`.
 * A number a config file needs whole must go through `int64`.
 */
import { stringify } from "yaml";

export type TemplateContext = {
  Values: unknown;
  Release: { Name: string; Namespace: string; Service: string };
  Chart: { Name: string; Version: string; AppVersion: string };
};

type TextNode = { kind: "text"; text: string };
type OutputNode = { kind: "output"; pipeline: string };
type IfNode = { kind: "if"; pipeline: string; then: Node[]; otherwise: Node[] };
type RangeNode = { kind: "range"; key: string; value: string; pipeline: string; body: Node[] };
type Node = TextNode | OutputNode | IfNode | RangeNode;

/** A number from the values, as Helm 3 holds it: a float64. */
class GoFloat {
  constructor(readonly value: number) {}
}

/** Go's `%v` of a float64: the shortest digits, in exponent form from 1e+06 and below 1e-04. */
export function goFloatText(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent >= -4 && exponent < 6) return String(value);
  const [mantissa, power = "0"] = value.toExponential().split("e");
  const sign = power.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${power.replace(/^[-+]/, "").padStart(2, "0")}`;
}

/** The values as Helm 3 types them: numbers become float64s. */
function helm3Typed(value: unknown): unknown {
  if (typeof value === "number") return new GoFloat(value);
  if (Array.isArray(value)) return value.map(helm3Typed);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, helm3Typed(v)]));
  return value;
}

/** GoFloats back to plain numbers, for toYaml (which marshals through JSON). */
function untyped(value: unknown): unknown {
  if (value instanceof GoFloat) return value.value;
  if (Array.isArray(value)) return value.map(untyped);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untyped(v)]));
  return value;
}

type Variables = ReadonlyMap<string, unknown>;

/** Thrown for templates outside the supported subset or values that do not resolve. */
export class TemplateError extends Error {}

type Token = { kind: "text"; text: string } | { kind: "action"; body: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  let trimNextText = false;
  while (position < source.length) {
    const open = source.indexOf("{{", position);
    let text = open === -1 ? source.slice(position) : source.slice(position, open);
    if (trimNextText) text = text.replace(/^\s+/, "");
    if (open === -1) {
      tokens.push({ kind: "text", text });
      break;
    }
    const close = source.indexOf("}}", open + 2);
    if (close === -1) throw new TemplateError(`unclosed action at offset ${open}`);
    let body = source.slice(open + 2, close);
    // Go requires a space after `{{-` and before `-}}` for them to mean trimming.
    if (/^-\s/.test(body)) {
      text = text.replace(/\s+$/, "");
      body = body.slice(1);
    }
    trimNextText = /\s-$/.test(body);
    if (trimNextText) body = body.slice(0, -1);
    tokens.push({ kind: "text", text });
    tokens.push({ kind: "action", body: body.trim() });
    position = close + 2;
  }
  return tokens;
}

function parse(tokens: Token[]): Node[] {
  const root: Node[] = [];
  // Each open `if` remembers where its branches go.
  const stack: { node: IfNode | RangeNode; inElse: boolean }[] = [];
  const target = (): Node[] => {
    const top = stack[stack.length - 1];
    if (!top) return root;
    if (top.node.kind === "range") return top.node.body;
    return top.inElse ? top.node.otherwise : top.node.then;
  };
  for (const token of tokens) {
    if (token.kind === "text") {
      if (token.text) target().push({ kind: "text", text: token.text });
      continue;
    }
    const body = token.body;
    if (body.startsWith("/*")) {
      if (!body.endsWith("*/")) throw new TemplateError(`unterminated comment: ${body}`);
      continue;
    }
    const keyword = /^(\w+)\b/.exec(body)?.[1];
    if (keyword === "if") {
      const node: IfNode = { kind: "if", pipeline: body.slice(2).trim(), then: [], otherwise: [] };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (keyword === "range") {
      const range = /^range\s+\$(\w+)\s*,\s*\$(\w+)\s*:=\s*(\S+)$/.exec(body);
      if (!range) throw new TemplateError(`unsupported action: {{ ${body} }}`);
      const node: RangeNode = {
        kind: "range",
        key: range[1] as string,
        value: range[2] as string,
        pipeline: range[3] as string,
        body: [],
      };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (keyword === "else") {
      const top = stack[stack.length - 1];
      if (!top || top.inElse || top.node.kind !== "if")
        throw new TemplateError("`else` without an open `if`");
      if (body !== "else") throw new TemplateError(`unsupported action: {{ ${body} }}`);
      top.inElse = true;
    } else if (keyword === "end") {
      if (!stack.pop()) throw new TemplateError("`end` without an open `if` or `range`");
    } else if (
      keyword !== undefined &&
      ["with", "define", "template", "block", "include", "tpl"].includes(keyword)
    ) {
      throw new TemplateError(`unsupported action: {{ ${body} }}`);
    } else {
      target().push({ kind: "output", pipeline: body });
    }
  }
  if (stack.length > 0) throw new TemplateError("`if` or `range` without `end`");
  return root;
}

/** Splits on a separator outside double-quoted strings. */
function splitOutsideQuotes(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted && char === "\\") {
      current += char + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (!quoted && separator.test(char)) {
      parts.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  if (quoted) throw new TemplateError(`unterminated string in: ${text}`);
  parts.push(current);
  return parts;
}

function lookup(path: string, context: TemplateContext): unknown {
  if (path === ".") return context;
  let value: unknown = context;
  for (const key of path.slice(1).split(".")) {
    if (value === null || typeof value !== "object" || !(key in value)) {
      throw new TemplateError(`${path} does not resolve`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function evaluateArgument(arg: string, context: TemplateContext, variables: Variables): unknown {
  if (arg.startsWith("$")) {
    if (!variables.has(arg.slice(1))) throw new TemplateError(`undefined variable: ${arg}`);
    return variables.get(arg.slice(1));
  }
  if (arg.startsWith(".")) return lookup(arg, context);
  if (arg.startsWith('"')) return JSON.parse(arg) as string;
  if (/^-?\d+(\.\d+)?$/.test(arg)) return Number(arg);
  if (arg === "true" || arg === "false") return arg === "true";
  if (arg === "nil") return null;
  throw new TemplateError(`unsupported argument: ${arg}`);
}

/** Go's notion of an empty value: what `if` treats as false and `default` replaces. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") {
    return true;
  }
  if (value instanceof GoFloat) return value.value === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof GoFloat) return goFloatText(value.value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "";
  throw new TemplateError("a map or list reached the output: pipe it through toYaml");
}

function indentLines(spaces: unknown, text: unknown): string {
  if (typeof spaces !== "number") throw new TemplateError("indent width must be a number");
  const pad = " ".repeat(spaces);
  return asText(text)
    .split("\n")
    .map((line) => pad + line)
    .join("\n");
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  quote: (...args) => args.map((arg) => JSON.stringify(asText(arg))).join(" "),
  // helm's toYaml drops the final newline.
  toYaml: (value) =>
    (isEmpty(value) && typeof value === "object" ? "{}" : stringify(untyped(value))).replace(
      /\n$/,
      "",
    ),
  indent: (spaces, text) => indentLines(spaces, text),
  nindent: (spaces, text) => "\n" + indentLines(spaces, text),
  default: (fallback, value) => (isEmpty(value) ? fallback : value),
  not: (value) => isEmpty(value),
  int64: (value) => {
    const number = value instanceof GoFloat ? value.value : Number(asText(value));
    if (!Number.isFinite(number))
      throw new TemplateError(`int64 of a non-number: ${asText(value)}`);
    return Math.trunc(number);
  },
  toString: (value: unknown) => asText(value),
  required: (message, value) => {
    if (value === undefined || value === null || value === "") {
      throw new TemplateError(asText(message));
    }
    return value;
  },
};

function evaluatePipeline(
  pipeline: string,
  context: TemplateContext,
  variables: Variables,
): unknown {
  const unquoted = pipeline.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (/[()]|:=|\$(?!\w)/.test(unquoted)) {
    throw new TemplateError(`unsupported syntax (parentheses or assignments): ${pipeline}`);
  }
  let result: unknown = undefined;
  let first = true;
  for (const command of splitOutsideQuotes(pipeline, /\|/)) {
    const words = splitOutsideQuotes(command.trim(), /\s/).filter((word) => word !== "");
    const [head, ...rest] = words;
    if (head === undefined) throw new TemplateError(`empty command in: ${pipeline}`);
    const fn = Object.hasOwn(FUNCTIONS, head) ? FUNCTIONS[head] : undefined;
    if (fn) {
      const args = rest.map((arg) => evaluateArgument(arg, context, variables));
      if (!first) args.push(result);
      result = fn(...args);
    } else {
      if (!first || rest.length > 0) throw new TemplateError(`unknown function: ${head}`);
      result = evaluateArgument(head, context, variables);
    }
    first = false;
  }
  return result;
}

function renderNodes(nodes: Node[], context: TemplateContext, variables: Variables): string {
  let out = "";
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out += node.text;
        break;
      case "output":
        out += asText(evaluatePipeline(node.pipeline, context, variables));
        break;
      case "if":
        out += renderNodes(
          isEmpty(evaluatePipeline(node.pipeline, context, variables)) ? node.otherwise : node.then,
          context,
          variables,
        );
        break;
      case "range": {
        const map = evaluatePipeline(node.pipeline, context, variables);
        if (map === null || typeof map !== "object" || Array.isArray(map) || map instanceof GoFloat)
          throw new TemplateError(`range over something other than a map: ${node.pipeline}`);
        for (const key of Object.keys(map).sort()) {
          const inner = new Map(variables);
          inner.set(node.key, key);
          inner.set(node.value, (map as Record<string, unknown>)[key]);
          out += renderNodes(node.body, context, inner);
        }
        break;
      }
    }
  }
  return out;
}

/** Renders one template file's text against the given values and release, as Helm 3 would. */
export function renderTemplate(source: string, context: TemplateContext): string {
  return renderNodes(
    parse(tokenize(source)),
    { ...context, Values: helm3Typed(context.Values) },
    new Map(),
  );
}
