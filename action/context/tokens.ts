/**
 * Identifier-aware tokenisation for ranking (token counts for budgets are the contract's
 * `estimateTokens`, one estimator for the Action and the worker).
 * Identifiers are split the way maintainers read them: `parseHTTPResponse_v2` is about
 * "parse", "http", "response"; the whole identifier is kept as a term of its own too.
 */

/** Words too common in issues and code to say anything about a file. */
const STOP_WORDS = new Set(
  (
    "a an the and or not no nor but if then else when while for to of in on at by with " +
    "from into onto as is are was were be been being it its this that these those there " +
    "here i we you he she they me my our your their them us do does did done doing have " +
    "has had having can could should would will shall may might must so such than too very " +
    "just also only some any all each every other same own more most less least few many " +
    "much about above below after before again further once out over under up down off " +
    "between through during why how what which who whom where get got set use used using " +
    "like want need see seem seems work works working make makes made new old one two " +
    "first last way thing things issue bug problem expected actual behavior behaviour " +
    "result results example following follow code run running return returns true false " +
    "none null nil undefined self this def fn func function class var let const import " +
    "include require package public private protected static void int str string bool " +
    "value values case cases line lines file files version note please thanks e g i.e " +
    "eg ie etc vs via per lt gt amp quot nbsp http https www com org html md py js ts " +
    "rs go rb php java cpp hpp c h"
  ).split(/\s+/),
);

/** True when a lowercase term carries too little meaning to rank files by. */
export function isStopWord(term: string): boolean {
  return term.length < 2 || STOP_WORDS.has(term) || /^\d+$/.test(term);
}

const IDENTIFIER_RE = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/** The kind of one UTF-16 unit for splitting: other (a separator), lower, upper or digit. */
const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

function kindOf(code: number): number {
  if (code >= 97 && code <= 122) return LOWER;
  if (code >= 65 && code <= 90) return UPPER;
  if (code >= 48 && code <= 57) return DIGIT;
  return OTHER;
}

/**
 * Splits one identifier into lowercase sub-words: camelCase, PascalCase, snake_case,
 * kebab-case, acronyms (`HTTPServer` → http, server) and digits. A sub-word ends at any
 * character other than an ASCII letter or digit, between a lowercase letter or digit and
 * a capital, before the last capital of a run that a lowercase letter follows, and
 * between letters and digits. One pass over the characters: the ranking splits every
 * identifier of every file it reads, and regular expressions here cost more than the
 * rest of reading a large repository.
 */
export function splitIdentifier(identifier: string): string[] {
  const out: string[] = [];
  let start = -1;
  let previous = OTHER;
  for (let i = 0; i < identifier.length; i++) {
    const kind = kindOf(identifier.charCodeAt(i));
    if (kind === OTHER) {
      if (start >= 0) out.push(identifier.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) {
      start = i;
    } else if (
      (kind === UPPER && previous !== UPPER) ||
      (kind === UPPER && kindOf(identifier.charCodeAt(i + 1)) === LOWER) ||
      (kind === DIGIT) !== (previous === DIGIT)
    ) {
      out.push(identifier.slice(start, i).toLowerCase());
      start = i;
    }
    previous = kind;
  }
  if (start >= 0) out.push(identifier.slice(start).toLowerCase());
  return out;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

/**
 * Calls `visit` with every identifier-like word of `text`, in order: the words
 * `identifiersIn` returns, without building the array or a match object per word. The
 * scan reads every file of the repository through this, so its cost per word counts.
 *
 * With `dataRunChars`, a word that starts that many characters or more into a run
 * without whitespace is data rather than text (a notebook's base64 images, an inlined
 * font or bundle): it is counted, not visited. Such words are nearly all distinct, so
 * looking each one up cost more than the rest of the scan on repositories of notebooks.
 * Returns how many words were counted without a visit.
 */
export function forEachIdentifier(
  text: string,
  visit: (identifier: string) => void,
  dataRunChars = Infinity,
): number {
  const length = text.length;
  let i = 0;
  // Where the current run without whitespace began (identifiers hold no whitespace, so
  // only the characters between them can end a run).
  let runStart = 0;
  let counted = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (!isIdentifierStart(code)) {
      if (code === 32 || code === 10 || code === 9 || code === 13) runStart = i + 1;
      i++;
      continue;
    }
    const start = i++;
    while (i < length && isIdentifierPart(text.charCodeAt(i))) i++;
    if (start - runStart >= dataRunChars) counted++;
    else visit(text.slice(start, i));
  }
  return counted;
}

/** Every identifier-like word in a text, in order, as written. */
export function identifiersIn(text: string): string[] {
  return text.match(IDENTIFIER_RE) ?? [];
}

/**
 * Lowercase search terms for a text: each identifier's sub-words plus the identifier
 * itself when it is compound, without stop words.
 */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const identifier of identifiersIn(text)) {
    const parts = splitIdentifier(identifier);
    for (const part of parts) if (!isStopWord(part)) out.push(part);
    if (parts.length > 1) {
      const whole = identifier.toLowerCase();
      if (!isStopWord(whole)) out.push(whole);
    }
  }
  return out;
}
