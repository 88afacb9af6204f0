/**
 * Symbol definitions found with patterns that hold across languages: declaration
 * keywords (def, class, function, fn, func, struct, interface, trait, module...), typed
 * C-family signatures (`static int name(`), and top-level assignments. Cheap enough to
 * run over every file of a large repository, and it works for languages no grammar
 * covers; the parsers refine excerpts for the few files that are shown.
 */

export interface Definition {
  name: string;
  /** Character offset of the line where the definition starts. */
  offset: number;
  /** Not indented: a module-level function, class or constant rather than a member. */
  topLevel: boolean;
  /** Character offset just after the name. */
  end: number;
}

// `func (r *Recv) Name`, `def self.name`, `async function* name`, `pub(crate) fn name`.
const KEYWORD_DEFINITION =
  /\b(?:def|class|function\*?|func|fn|struct|enum|trait|interface|module|union|record|object|protocol|typedef|namespace|impl|macro_rules!|defmacro|defn|sub|proc|type)[ \t]+(?:\([^)\n]{0,80}\)[ \t]*)?(?:self\.)?([A-Za-z_$][\w$]*[?!]?)/g;

// Typed signatures (C, C++, Java, C#, PHP methods without `function`, Kotlin...):
// modifiers and a return type, then `name(` at the start of a line.
const SIGNATURE_DEFINITION =
  /^[ \t]*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|native|virtual|inline|extern|export|async|override|default|const|unsigned|signed|struct|enum|volatile|constexpr|explicit|friend)[ \t]+)*(?!(?:return|raise|throw|new|await|yield|else|elif|echo|print|assert|del|not|in|is|and|or|goto|case|delete|if|while|for|switch|catch|typeof|sizeof|when|unless|puts|do|then|go|defer|let|var|const)\b)(?:[A-Za-z_$][\w$<>[\],.*&:?]*)(?:[ \t]+[*&]*|[*&]+[ \t]*)(?:[\w$]+::)*~?([A-Za-z_$][\w$]*)[ \t]*\(/gm;

// C's split signatures (BSD and GNU styles, clang-format's AlwaysBreakAfterReturnType):
// the return type alone on its line, `name(` at the start of the next.
const SPLIT_SIGNATURE_DEFINITION =
  /^(?!(?:return|else|do|goto|case|typedef)\b)(?:[A-Za-z_]\w*[ \t]+)*[A-Za-z_]\w*[ \t]*\**[ \t]*\n([A-Za-z_]\w*)[ \t]*\(/gm;
const SPLIT_SIGNATURE_LANGUAGE = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm)$/i;

// `NAME = ...`, `export const name =`, `name: function`, `Name := ` at the start of a line.
const ASSIGNMENT_DEFINITION =
  /^(?:[ \t]*(?:export\s+)?(?:default\s+)?(?:const|let|var|val)\s+|)([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,60})?\s*(?:=(?!=)|:=)/gm;

// Languages that declare every function and type with a keyword: the typed-signature
// pattern, the costliest, would only find calls there.
const KEYWORD_ONLY = /\.(py|pyi|pyx|rb|rake|go|rs|php|ex|exs|lua|pl|pm|sh|bash|zsh)$/i;

const NOT_A_NAME = new Set([
  "return",
  "else",
  "new",
  "delete",
  "throw",
  "await",
  "yield",
  "case",
  "goto",
  "sizeof",
  "typeof",
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "elif",
  "not",
  "and",
  "or",
  "in",
  "is",
  "echo",
  "print",
  "self",
  "this",
]);

/**
 * Every definition-like site in a source text, in order. Names may repeat (overloads,
 * redefinitions); callers decide what a repeat means. `path` selects the patterns that
 * make sense for the file's language (all of them when unknown).
 */
export function findDefinitions(text: string, path = ""): Definition[] {
  const out: Definition[] = [];
  const patterns = KEYWORD_ONLY.test(path)
    ? [KEYWORD_DEFINITION]
    : [KEYWORD_DEFINITION, SIGNATURE_DEFINITION];
  if (path === "" || SPLIT_SIGNATURE_LANGUAGE.test(path)) patterns.push(SPLIT_SIGNATURE_DEFINITION);
  for (const re of patterns) {
    re.lastIndex = 0;
    for (let match = re.exec(text); match !== null; match = re.exec(text)) {
      const name = match[1];
      if (name === undefined) continue;
      // `function is(` defines `is`; "the class is ..." in a comment does not.
      const called =
        re === KEYWORD_DEFINITION && /^\s*\(/.test(text.slice(re.lastIndex, re.lastIndex + 8));
      if (NOT_A_NAME.has(name) && !called) continue;
      // A split signature is placed at its name's line, where the body's block begins.
      const offset =
        re === SPLIT_SIGNATURE_DEFINITION
          ? text.indexOf("\n", match.index) + 1
          : lineStart(text, match.index);
      const end = match.index + match[0].length - (re === KEYWORD_DEFINITION ? 0 : 1);
      out.push({ name, offset, topLevel: !/[ \t]/.test(text.charAt(offset)), end });
    }
  }
  ASSIGNMENT_DEFINITION.lastIndex = 0;
  for (let match = ASSIGNMENT_DEFINITION.exec(text); match !== null;) {
    const name = match[1];
    // Only module-level assignments (no indentation) define something others use.
    if (name !== undefined && !NOT_A_NAME.has(name) && !/^[ \t]/.test(match[0])) {
      out.push({ name, offset: match.index, topLevel: true, end: match.index + name.length });
    }
    match = ASSIGNMENT_DEFINITION.exec(text);
  }
  return out;
}

function lineStart(text: string, index: number): number {
  return text.lastIndexOf("\n", index - 1) + 1;
}

/** TypeScript declaration files, Flow library definitions, Python and Ruby type stubs. */
const TYPE_STUB = /\.(d\.[mc]?ts|js\.flow|pyi|rbi|rbs)$/i;

/** Languages whose declarations end in `;` and whose definitions open a `{` body. */
const BRACE_LANGUAGE =
  /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm|java|kt|scala|groovy|cs|php|rs|go|swift|ts|tsx|mts|cts|js|jsx|mjs|cjs|dart)$/i;

/**
 * Whether a definition site only declares its name (a C prototype, an interface or
 * abstract method, a trait method without a body, a forward declaration, anything in a
 * type stub): the signature ends in `;` before any `{` body opens. Implementations are
 * where fixes land.
 */
export function isDeclarationOnly(text: string, definition: Definition, path: string): boolean {
  // Type stubs declare what the code beside them implements.
  if (TYPE_STUB.test(path)) return true;
  if (!BRACE_LANGUAGE.test(path)) return false;
  let depth = 0;
  const stop = Math.min(text.length, definition.end + 600);
  for (let i = definition.end; i < stop; i++) {
    const c = text.charAt(i);
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && c === "{") return false;
    else if (depth === 0 && c === ";") return true;
  }
  return false;
}
