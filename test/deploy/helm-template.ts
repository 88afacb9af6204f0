/**
 * A small evaluator for the subset of Go templates that the chart in k8s/helm uses, so
 * that the chart can be rendered and compared with the kustomize base without helm.
 *
 * Supported: `{{ pipeline }}`, `{{- ` / ` -}}` whitespace trimming, `{{/* comment *\/}}`,
 * `if` / `else` / `end`, field paths from the root (`.Values.a.b`, `.Release.Namespace`,
 * `.Chart.AppVersion`), string/number/boolean literals, and the functions quote, toYaml,
 * indent, nindent, default, required and not. Anything else (range, with, include, define,
 * parentheses, variables) throws, so a template that grows past this subset fails the
 * test instead of rendering wrongly. A field path that does not resolve also throws:
 * stricter than helm (which prints nothing), which catches typos in the templates.
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
type Node = TextNode | OutputNode | IfNode;

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
  const stack: { node: IfNode; inElse: boolean }[] = [];
  const target = (): Node[] => {
    const top = stack[stack.length - 1];
    if (!top) return root;
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
    } else if (keyword === "else") {
      const top = stack[stack.length - 1];
      if (!top || top.inElse) throw new TemplateError("`else` without an open `if`");
      if (body !== "else") throw new TemplateError(`unsupported action: {{ ${body} }}`);
      top.inElse = true;
    } else if (keyword === "end") {
      if (!stack.pop()) throw new TemplateError("`end` without an open `if`");
    } else if (
      keyword !== undefined &&
      ["range", "with", "define", "template", "block", "include", "tpl"].includes(keyword)
    ) {
      throw new TemplateError(`unsupported action: {{ ${body} }}`);
    } else {
      target().push({ kind: "output", pipeline: body });
    }
  }
  if (stack.length > 0) throw new TemplateError("`if` without `end`");
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

function evaluateArgument(arg: string, context: TemplateContext): unknown {
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
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
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
    (isEmpty(value) && typeof value === "object" ? "{}" : stringify(value)).replace(/\n$/, ""),
  indent: (spaces, text) => indentLines(spaces, text),
  nindent: (spaces, text) => "\n" + indentLines(spaces, text),
  default: (fallback, value) => (isEmpty(value) ? fallback : value),
  not: (value) => isEmpty(value),
  required: (message, value) => {
    if (value === undefined || value === null || value === "") {
      throw new TemplateError(asText(message));
    }
    return value;
  },
};

function evaluatePipeline(pipeline: string, context: TemplateContext): unknown {
  if (/[()$]/.test(pipeline.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
    throw new TemplateError(`unsupported syntax (parentheses or variables): ${pipeline}`);
  }
  let result: unknown = undefined;
  let first = true;
  for (const command of splitOutsideQuotes(pipeline, /\|/)) {
    const words = splitOutsideQuotes(command.trim(), /\s/).filter((word) => word !== "");
    const [head, ...rest] = words;
    if (head === undefined) throw new TemplateError(`empty command in: ${pipeline}`);
    const fn = FUNCTIONS[head];
    if (fn) {
      const args = rest.map((arg) => evaluateArgument(arg, context));
      if (!first) args.push(result);
      result = fn(...args);
    } else {
      if (!first || rest.length > 0) throw new TemplateError(`unknown function: ${head}`);
      result = evaluateArgument(head, context);
    }
    first = false;
  }
  return result;
}

function renderNodes(nodes: Node[], context: TemplateContext): string {
  let out = "";
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out += node.text;
        break;
      case "output":
        out += asText(evaluatePipeline(node.pipeline, context));
        break;
      case "if":
        out += renderNodes(
          isEmpty(evaluatePipeline(node.pipeline, context)) ? node.otherwise : node.then,
          context,
        );
        break;
    }
  }
  return out;
}

/** Renders one template file's text against the given values and release. */
export function renderTemplate(source: string, context: TemplateContext): string {
  return renderNodes(parse(tokenize(source)), context);
}
