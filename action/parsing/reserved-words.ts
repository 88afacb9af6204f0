import type { Language, Node, Query, Tree } from "web-tree-sitter";
import treeSitter from "./tree-sitter-runtime.cjs";
import type { LanguageId } from "./languages.js";
import type { SyntaxErrorSite } from "./syntax-errors.js";

/**
 * Reserved words that tree-sitter accepted as identifiers. The grammars lex a keyword
 * that is not valid at some point as a plain identifier instead of failing, so
 * `return return;` in C, Java or PHP, or a surplus `end` in Ruby, parses without an
 * ERROR node. Such an identifier can only be a slip. Only words that no version of the
 * language allows as a plain name are listed; contextual keywords (`var`, `yield`,
 * `match`, `type` in Python) are not.
 */
const RESERVED: Partial<Record<LanguageId, { nodes: string; words: readonly string[] }>> = {
  c: {
    nodes: "[(identifier) (type_identifier)]",
    words: [
      "break",
      "case",
      "continue",
      "default",
      "do",
      "else",
      "enum",
      "extern",
      "for",
      "goto",
      "if",
      "return",
      "sizeof",
      "struct",
      "switch",
      "typedef",
      "union",
      "while",
    ],
  },
  cpp: {
    nodes: "[(identifier) (type_identifier)]",
    words: [
      "break",
      "case",
      "catch",
      "class",
      "continue",
      "default",
      "do",
      "else",
      "enum",
      "for",
      "goto",
      "if",
      "namespace",
      "return",
      "sizeof",
      "struct",
      "switch",
      "template",
      "try",
      "typedef",
      "typename",
      "union",
      "while",
    ],
  },
  java: {
    nodes: "[(identifier) (type_identifier)]",
    words: [
      "abstract",
      "break",
      "case",
      "catch",
      "class",
      "continue",
      "default",
      "do",
      "else",
      "extends",
      "final",
      "finally",
      "for",
      "if",
      "implements",
      "import",
      "instanceof",
      "interface",
      "new",
      "package",
      "private",
      "protected",
      "public",
      "return",
      "static",
      "switch",
      "synchronized",
      "throw",
      "throws",
      "try",
      "while",
    ],
  },
  go: {
    nodes: "[(identifier) (type_identifier)]",
    words: [
      "break",
      "case",
      "chan",
      "const",
      "continue",
      "default",
      "defer",
      "else",
      "fallthrough",
      "for",
      "func",
      "go",
      "goto",
      "if",
      "import",
      "interface",
      "map",
      "package",
      "range",
      "return",
      "select",
      "struct",
      "switch",
      "type",
      "var",
    ],
  },
  rust: {
    nodes: "[(identifier) (type_identifier)]",
    words: [
      "break",
      "continue",
      "else",
      "enum",
      "fn",
      "for",
      "if",
      "impl",
      "let",
      "loop",
      "match",
      "mod",
      "pub",
      "return",
      "struct",
      "trait",
      "unsafe",
      "use",
      "where",
      "while",
    ],
  },
  javascript: { nodes: "(identifier)", words: jsWords() },
  typescript: { nodes: "[(identifier) (type_identifier)]", words: jsWords() },
  tsx: { nodes: "[(identifier) (type_identifier)]", words: jsWords() },
  php: {
    nodes: "(name)",
    words: [
      "break",
      "case",
      "catch",
      "continue",
      "do",
      "else",
      "elseif",
      "finally",
      "for",
      "foreach",
      "function",
      "if",
      "return",
      "switch",
      "throw",
      "try",
      "while",
    ],
  },
  ruby: { nodes: "(identifier)", words: ["end"] },
};

function jsWords(): string[] {
  return [
    "break",
    "case",
    "catch",
    "continue",
    "do",
    "else",
    "finally",
    "for",
    "function",
    "if",
    "return",
    "switch",
    "throw",
    "try",
    "while",
  ];
}

/** Fields whose value may be a keyword-spelled name in these languages (`obj.return`, `def end`). */
const NAME_FIELDS = [
  "name",
  "method",
  "property",
  "field",
  "key",
  "label",
  "alias",
  "attribute",
  "constant",
];

/** Ancestors inside which tokens are not code the grammar checks (macro bodies). */
const OPAQUE_ANCESTORS = new Set(["token_tree", "macro_invocation", "macro_definition"]);

const queries = new WeakMap<Language, Query>();

/** Identifier nodes of `tree` spelled as a reserved word of `language`, as ERROR sites. */
export function reservedWordIdentifiers(
  tree: Tree,
  language: LanguageId,
  lines: readonly string[],
): SyntaxErrorSite[] {
  const spec = RESERVED[language];
  if (spec === undefined) return [];
  let query = queries.get(tree.language);
  if (query === undefined) {
    query = new treeSitter.Query(
      tree.language,
      `(${spec.nodes} @word (#match? @word "^(${spec.words.join("|")})$"))`,
    );
    queries.set(tree.language, query);
  }
  return query
    .captures(tree.rootNode)
    .map((c) => c.node)
    .filter((n) => !isNamePosition(n) && !insideOpaque(n))
    .map((n) => ({
      line: n.startPosition.row + 1,
      column: n.startPosition.column + 1,
      kind: "ERROR" as const,
      snippet: (lines[n.startPosition.row] ?? n.text).trim().slice(0, 80),
    }));
}

function isNamePosition(node: Node): boolean {
  const parent = node.parent;
  if (parent === null) return false;
  // PHP spells a variable `$function` as a name inside a variable_name.
  if (parent.type === "variable_name") return true;
  return NAME_FIELDS.some((f) => parent.childForFieldName(f)?.id === node.id);
}

function insideOpaque(node: Node): boolean {
  for (let p = node.parent; p !== null; p = p.parent) if (OPAQUE_ANCESTORS.has(p.type)) return true;
  return false;
}
