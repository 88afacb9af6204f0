/**
 * Where the secrets are in a text: the ranges that redaction replaces.
 *
 * Two layers. The maintained one is secretlint's recommended preset
 * (@secretlint/secretlint-rule-preset-recommend, MIT): provider token formats (AWS, GCP
 * service-account JSON, GitHub, GitLab, Slack tokens and webhooks, npm, Stripe, OpenAI,
 * Anthropic, SendGrid, Shopify, Hugging Face, Groq, Linear, Notion, Grafana, 1Password,
 * Vault, Vercel, Databricks, Docker, Figma, Cloudflare, Tailscale), validated private-key
 * blocks, URL and database connection-string passwords. Its rules are plain objects whose
 * `file` handler scans the text synchronously and reports ranges, so they run here through
 * a minimal rule context, without secretlint's asynchronous engine (context building and
 * redaction are synchronous). Its `filter-comments` rule is left out on purpose: it lets a
 * `secretlint-disable` comment in the scanned text switch scanning off, and the text is
 * untrusted.
 *
 * The hand-written layer ({@link HAND_RULES}) covers only what the preset lacks: secrets
 * assigned to secret-named keys in code, `.env`, YAML, JSON and TOML (quoted or not), JWTs,
 * passwords in URLs of any scheme (amqps://, redis://, …), Authorization headers, npm
 * `_authToken`/`_auth`/`_password` outside `.npmrc` files, private-key blocks that are cut
 * off or not valid keys, OpenAI keys without the `T3BlbkFJ` marker, GCP API keys, Azure
 * storage account keys, Discord webhooks, Telegram bot tokens, age secret keys and PyPI
 * tokens. test/bench/secrets measures both layers against planted secrets and secret-free
 * code.
 */
import { rules as presetRules } from "@secretlint/secretlint-rule-preset-recommend";

/** A secret's place in the text: [start, end) in UTF-16 code units, and the rule that found it. */
export interface SecretMatch {
  start: number;
  end: number;
  rule: string;
}

interface RuleSource {
  content: string;
  filePath: string | undefined;
  ext: string;
  contentType: "text";
}

interface PresetRule {
  meta: { id: string };
  create(
    context: PresetContext,
    options: Record<string, unknown>,
  ): { file?: (source: RuleSource) => unknown };
}

interface PresetContext {
  report(descriptor: { range: readonly [number, number] }): void;
  ignore(): void;
  registerRule(): void;
  createTranslator(): (id: string) => string;
}

/** Options per preset rule; the AWS rule scans access key ids and account ids only when asked. */
const PRESET_OPTIONS: Record<string, Record<string, unknown>> = {
  "@secretlint/secretlint-rule-aws": { enableIDScanRule: true },
};
/** `secretlint-disable` comments would let the scanned (untrusted) text turn scanning off. */
const PRESET_SKIPPED = new Set(["@secretlint/secretlint-rule-filter-comments"]);

let sink: SecretMatch[] = [];

const presetHandlers = (presetRules as unknown as readonly PresetRule[])
  .filter((rule) => !PRESET_SKIPPED.has(rule.meta.id))
  .map((rule) => {
    const id = rule.meta.id.replace(/^@secretlint\/secretlint-rule-/, "secretlint/");
    const context: PresetContext = {
      report: ({ range }) => sink.push({ start: range[0], end: range[1], rule: id }),
      ignore: () => undefined,
      registerRule: () => undefined,
      createTranslator: () => (messageId) => messageId,
    };
    return { id, handler: rule.create(context, PRESET_OPTIONS[rule.meta.id] ?? {}) };
  });

/** The ids of the preset's rules in use (for the benchmark's per-family counts). */
export const PRESET_RULE_IDS: readonly string[] = presetHandlers.map((h) => h.id);

function presetMatches(text: string, filePath: string | undefined): SecretMatch[] {
  const found: SecretMatch[] = [];
  sink = found;
  try {
    const dot = filePath ? filePath.lastIndexOf(".") : -1;
    const source: RuleSource = {
      content: text,
      filePath,
      ext: filePath && dot > filePath.lastIndexOf("/") ? filePath.slice(dot) : "",
      contentType: "text",
    };
    for (const { handler } of presetHandlers) {
      // Every handler the preset has is synchronous for text; the one asynchronous path
      // (binary .p12 files) never runs on text. A promise is dropped, not awaited.
      const result = handler.file?.(source);
      if (result instanceof Promise) result.catch(() => undefined);
    }
  } finally {
    sink = [];
  }
  return found.filter((m) => !presetPlaceholder(m, text.slice(m.start, m.end)));
}

/**
 * Preset matches that are documentation, not secrets: a token body of one repeated
 * character (`sk_test_xxxxxxxxxxxxxxxxxxxxxxxx`), or a URL whose password is a
 * placeholder or equals the user name (`http://user:CHANGE-ME@…`, `guest:guest`).
 * Private-key blocks are never dropped (real DER has runs of one character).
 */
function presetPlaceholder(match: SecretMatch, text: string): boolean {
  if (match.rule.includes("privatekey") || match.rule.includes("gcp")) return false;
  if (/(.)\1{7,}/.test(text)) return true;
  const url = /:\/\/([^\s:/?#@]*):([^\s/?#@]+)@/.exec(text);
  return url !== null && (isPlaceholder(url[2] ?? "") || url[1] === url[2]);
}

interface HandRule {
  id: string;
  /** Global; with the `d` flag when `group` is set. */
  pattern: RegExp;
  /** Capture group holding the secret; default: the whole match. */
  group?: number;
  accept?: (match: RegExpExecArray) => boolean;
}

/** Values that stand for a secret rather than being one: templates, references, examples. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^[$%{<*&!@]|\$\{|\{\{|%[sd(]|^\\?\(/.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true; // xxxxxxxx, ********
  return /^(?:your|my|some|example|sample|dummy|fake|placeholder|changeme|change[-_]?me|redacted|secret|password|passwd|pass|token|xxx|todo|none|null|nil|undefined|true|false)(?:[-_ ]|$)/i.test(
    v,
  );
}

/** Key names whose value is a secret: the name ends with one of these words. */
const SECRET_KEY =
  /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z0-9_.-]*?(?:secret|password|passwd|passphrase|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|secret[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|(?<![A-Za-z0-9])pass|(?<![A-Za-z0-9])pwd|(?<![A-Za-z0-9])auth|key[_-]?data))\1[ \t]*(?:=>|:=|=(?![=~>])|:(?![:=]))[ \t]*/gi;

/**
 * Secret-named keys with a literal value: `API_KEY=…`, `password: …`, `"token": "…"`,
 * `client_secret = '…'`. The value must look like a literal secret: not a call, a
 * reference (`${{ secrets.X }}`, `process.env.X`, `$VAR`), a path, a URL (the URL rule
 * takes those), a version, a word or an identifier without digits.
 */
function secretAssignments(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  SECRET_KEY.lastIndex = 0;
  for (let m = SECRET_KEY.exec(text); m; m = SECRET_KEY.exec(text)) {
    const at = m.index + m[0].length;
    const quote = text[at];
    let start: number;
    let end: number;
    if (quote === '"' || quote === "'" || quote === "`") {
      start = at + 1;
      end = text.indexOf(quote, start);
      const newline = text.indexOf("\n", start);
      if (end < 0 || (newline >= 0 && newline < end)) continue;
    } else {
      start = at;
      const rest = /^[^\s'"`,;]+/.exec(text.slice(at, at + 512));
      if (!rest) continue;
      end = at + rest[0].length;
    }
    const value = text.slice(start, end);
    if (literalSecret(value, quote === '"' || quote === "'" || quote === "`", m[2] ?? "")) {
      found.push({ start, end, rule: "hand/secret-assignment" });
    }
  }
  return found;
}

function literalSecret(value: string, quoted: boolean, name: string): boolean {
  if (value.length < 8 || /\s/.test(value)) return false;
  if (isPlaceholder(value)) return false;
  if (
    value.toLowerCase().replace(/[^a-z0-9]/g, "") === name.toLowerCase().replace(/[^a-z0-9]/g, "")
  )
    return false;
  if (/^(?:\.{0,2}\/|~\/)/.test(value) || value.includes("://")) return false;
  if (/^[~^<>=v]*\d+(?:\.\d+)+/.test(value)) return false; // a version
  // Words and identifiers without digits: "same-origin", "GITHUB_TOKEN", "apiKeyHeader".
  if (!/\d/.test(value) && /^[A-Za-z]+(?:[-_.:][A-Za-z]+)*$/.test(value)) return false;
  if (!quoted) {
    if (/[()[\]{}<>]/.test(value)) return false; // calls, indexing, templates
    if (/^-?\d+(?:\.\d+)?$/.test(value)) return false;
    // Identifiers and member expressions: `options.apiKey`, `token_1`.
    if (/^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+[;,]?$/.test(value)) return false;
    if (/^[A-Za-z_$][\w$]*$/.test(value) && (value.length < 12 || !/\d.*\d/.test(value)))
      return false;
  }
  return true;
}

const HAND_RULES: readonly HandRule[] = [
  {
    // Any private-key block, valid key or not; and one cut off before its END line (the
    // lines that follow it while they look like base64, quoted or not).
    id: "hand/private-key-block",
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:(?:(?!-----BEGIN )[\s\S])*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\\]*(?:\r?\n[ \t]*["'`]?(?:[A-Za-z0-9+/]{16,}={0,2}|(?:Proc-Type|DEK-Info|Comment|Version): [^\n]*)(?:\\n)?["'`]?[ \t]*[,+]?)*)/g,
  },
  {
    id: "hand/jwt",
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  {
    // scheme://user:password@host, for every scheme (amqps, redis, postgres, https, …).
    // A password equal to the user name (guest:guest) is a well-known default, not a secret.
    id: "hand/url-password",
    pattern: /\b[a-z][a-z0-9+.-]{1,30}:\/\/([^\s:/?#@'"`<>]{0,256}):([^\s/?#@'"`<>]{1,256})@/dgi,
    group: 2,
    accept: (m) => !isPlaceholder(m[2] ?? "") && m[2] !== m[1],
  },
  {
    id: "hand/authorization-header",
    pattern:
      /\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?\s*(?:basic|bearer|token|digest)\s+([A-Za-z0-9+/=._~-]{8,})/dgi,
    group: 1,
  },
  {
    id: "hand/npm-auth",
    // .npmrc keys: `//registry.example.com/:_authToken=…` or `_auth=…` at a line's start.
    pattern: /(?:^|:)(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"'$]{8,})/dgm,
    group: 1,
  },
  {
    id: "hand/openai-key",
    pattern: /(?<![A-Za-z0-9])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g,
  },
  {
    id: "hand/gcp-api-key",
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    id: "hand/azure-storage-key",
    pattern: /AccountKey=([A-Za-z0-9+/]{40,}={0,2})/dg,
    group: 1,
  },
  {
    id: "hand/discord-webhook",
    pattern:
      /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/g,
  },
  {
    id: "hand/telegram-bot-token",
    pattern: /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
  },
  { id: "hand/age-secret-key", pattern: /AGE-SECRET-KEY-1[0-9A-Z]{58}/g },
  { id: "hand/pypi-token", pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
];

/** The ids of the hand-written rules (for the benchmark's per-family counts). */
export const HAND_RULE_IDS: readonly string[] = [
  ...HAND_RULES.map((r) => r.id),
  "hand/secret-assignment",
];

function handMatches(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const rule of HAND_RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      if (m[0].length === 0) {
        rule.pattern.lastIndex++;
        continue;
      }
      if (rule.accept && !rule.accept(m)) continue;
      const span = rule.group === undefined ? undefined : m.indices?.[rule.group];
      const [start, end] = span ?? [m.index, m.index + m[0].length];
      found.push({ start, end, rule: rule.id });
    }
  }
  return found.concat(secretAssignments(text));
}

/**
 * Every secret found in `text`, in no particular order and possibly overlapping.
 * `filePath` lets path-aware rules run (`.npmrc`, `package.json`, service-account JSON).
 */
export function findSecrets(text: string, filePath?: string): SecretMatch[] {
  return presetMatches(text, filePath).concat(handMatches(text));
}
