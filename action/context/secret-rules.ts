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
 * assigned to secret-named keys in code, `.env`, YAML, JSON and TOML (quoted or not; short
 * password values too), passwords on command lines (`--password`, MySQL's `-p`), JWTs,
 * passwords in URLs of any scheme (amqps://, redis://, …), Authorization headers, npm
 * `_authToken`/`_auth`/`_password` outside `.npmrc` files, private-key blocks that are cut
 * off or not valid keys, OpenAI keys without the `T3BlbkFJ` marker, GCP API keys, Azure
 * storage account keys, Discord webhooks, Telegram bot tokens, age secret keys, PyPI
 * tokens, and the provider token formats of ./provider-tokens.ts (DigitalOcean, Sentry,
 * Supabase, Google OAuth, … wherever they stand, a bare argument included). test/bench/secrets measures both layers against planted secrets and secret-free
 * code.
 */
import { rules as presetRules } from "@secretlint/secretlint-rule-preset-recommend";
import { PROVIDER_TOKENS, providerTokenPattern } from "./provider-tokens.js";

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

/**
 * Strings (lower case) without one of which a rule cannot match: a rule whose keywords
 * are all absent from the text is not run (as gitleaks does with its rules' keywords).
 * Read off each rule's patterns; a rule not listed always runs. The corpus test checks
 * that each family is still found by the rule expected to find it.
 */
const PRESET_KEYWORDS: Record<string, readonly string[]> = {
  // Its secret-access-key pattern: (AWS_)SECRET_?ACCESS_?KEY = <40 characters>.
  "@secretlint/secretlint-rule-aws": ["secretaccess", "secret_access"],
  "@secretlint/secretlint-rule-gcp": ["private_key"],
  "@secretlint/secretlint-rule-npm": ["npm_", "_authtoken", "x-oauth-basic"],
  "@secretlint/secretlint-rule-slack": [
    "xoxb",
    "xoxp",
    "xapp",
    "xoxa",
    "xoxo",
    "xoxr",
    "hooks.slack.com",
  ],
  "@secretlint/secretlint-rule-basicauth": ["://"],
  "@secretlint/secretlint-rule-openai": ["t3blbkfj"],
  "@secretlint/secretlint-rule-anthropic": ["sk-ant-api0"],
  "@secretlint/secretlint-rule-groq": ["gsk_"],
  "@secretlint/secretlint-rule-huggingface": ["hf_"],
  "@secretlint/secretlint-rule-linear": ["lin_api_"],
  "@secretlint/secretlint-rule-notion": ["ntn_"],
  "@secretlint/secretlint-rule-privatekey": ["private key"],
  "@secretlint/secretlint-rule-sendgrid": ["sg."],
  "@secretlint/secretlint-rule-shopify": ["shppa_", "shpca_", "shpat_", "shpss_"],
  "@secretlint/secretlint-rule-stripe": ["sk_live", "sk_test", "rk_live", "rk_test"],
  "@secretlint/secretlint-rule-github": ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
  "@secretlint/secretlint-rule-gitlab": ["glpat-"],
  "@secretlint/secretlint-rule-grafana": ["glc_", "glsa_"],
  "@secretlint/secretlint-rule-1password": ["ops_"],
  "@secretlint/secretlint-rule-database-connection-string": ["mongodb", "mysql", "postgres"],
  "@secretlint/secretlint-rule-hashicorp-vault": ["hvs.", "hvb.", "hvr."],
  "@secretlint/secretlint-rule-vercel": ["vcp_", "vci_", "vca_", "vcr_", "vck_"],
  "@secretlint/secretlint-rule-databricks": ["dapi"],
  "@secretlint/secretlint-rule-docker": ["dckr_pat_"],
  "@secretlint/secretlint-rule-figma": ["figd_"],
  "@secretlint/secretlint-rule-cloudflare": ["cfk_", "cfut_", "cfat_"],
  "@secretlint/secretlint-rule-tailscale": ["tskey-"],
};

function mayMatch(present: ReadonlySet<string>, keywords: readonly string[] | undefined): boolean {
  return keywords === undefined || keywords.some((k) => present.has(k));
}

let keywordScan: { pattern: RegExp; contained: Map<string, string[]> } | undefined;

/**
 * The keywords present in `lower`, found in one pass (one `includes` per keyword would
 * read the text some eighty times). The lookahead does not consume, so overlapping
 * keywords are all seen; a keyword inside a longer one that matched is added with it.
 */
function presentKeywords(lower: string): Set<string> {
  keywordScan ??= (() => {
    const all = [
      ...new Set([
        ...Object.values(PRESET_KEYWORDS).flat(),
        ...HAND_RULES.flatMap((r) => r.keywords ?? []),
      ]),
    ].sort((a, b) => b.length - a.length);
    const escaped = all.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    return {
      pattern: new RegExp(`(?=(${escaped.join("|")}))`, "g"),
      contained: new Map(all.map((k) => [k, all.filter((other) => k.includes(other))])),
    };
  })();
  const present = new Set<string>();
  for (const m of lower.matchAll(keywordScan.pattern)) {
    for (const k of keywordScan.contained.get(m[1] ?? "") ?? []) present.add(k);
  }
  return present;
}

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
    return {
      id,
      keywords: PRESET_KEYWORDS[rule.meta.id],
      handler: rule.create(context, {}),
    };
  });

/** The ids of the preset's rules in use (for the benchmark's per-family counts). */
export const PRESET_RULE_IDS: readonly string[] = presetHandlers.map((h) => h.id);

function presetMatches(
  text: string,
  present: ReadonlySet<string>,
  filePath: string | undefined,
): SecretMatch[] {
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
    for (const { handler, keywords } of presetHandlers) {
      if (!mayMatch(present, keywords)) continue;
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
  /** As {@link PRESET_KEYWORDS}. */
  keywords?: readonly string[];
  /** Global; with the `d` flag when `group` is set. */
  pattern: RegExp;
  /** Capture group holding the secret; default: the whole match. */
  group?: number;
  /** Alternatives' groups: the first that took part in the match holds the secret. */
  groups?: readonly number[];
  accept?: (match: RegExpExecArray) => boolean;
}

/** How a secret-named key's value is judged (see literalSecret). */
function secretKind(name: string): "password" | "other" {
  return /pass|pwd/i.test(name) ? "password" : "other";
}

/** Values that stand for a secret rather than being one: templates, references, examples. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^[$%{<*&!@]|\$\{|\{\{|%[sd(]|^\\?\(/.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true; // xxxxxxxx, ********
  // Elided or x-ed out: `sk-...`, `ag-xxx`. Random text holds xxx too, so only as a part.
  if (/(?:\.\.\.|…)$|(?:^|[-_.:])xxx+(?:$|[-_.])/i.test(v)) return true;
  return /^(?:your|my|some|example|sample|dummy|fake|placeholder|changeme|change[-_]?me|redacted|secret|password|passwd|pass|token|xxx|todo|none|null|nil|undefined|true|false)(?:[-_ ]|$)/i.test(
    v,
  );
}

/**
 * The end of a key name whose value is a secret, and the assignment after it. The name
 * must end with the word; the short words (pass, pwd, auth) must start the name or follow
 * a separator. Found from the word rather than from the name's start: the pattern is then
 * tried once per position instead of once per position and name length.
 */
const SECRET_KEY =
  /(secret|password|passwd|passphrase|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|secret[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|pass|pwd|auth|key[_-]?data)(["']?)[ \t]*(?:=>|:=|=(?![=~>])|:(?![:=]))[ \t]*/gi;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const SHORT_WORD = /^(?:pass|pwd|auth)$/i;
/** Key words naming a password, whose values people choose short and word-like. */
const PASSWORD_WORD = /^(?:password|passwd|passphrase|pass|pwd)$/i;
/** What a line holds before an environment assignment's key: indentation, `export`. */
const ENV_LINE_START = /(?:^|\n)[ \t]*(?:export[ \t]+)?$/;

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
    const word = m[1] ?? "";
    let nameStart = m.index;
    while (nameStart > 0 && NAME_CHAR.test(text[nameStart - 1] ?? "")) nameStart--;
    if (SHORT_WORD.test(word) && nameStart < m.index && /[A-Za-z0-9]/.test(text[m.index - 1] ?? ""))
      continue;
    if (m[2] && text[nameStart - 1] !== m[2]) continue;
    const name = text.slice(nameStart, m.index + word.length);
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
    const quoted = quote === '"' || quote === "'" || quote === "`";
    // `DB_PASS=…` at a line's start (.env, shell): a value, never code, so a plain
    // word counts too. Keyword arguments (`login(password=pw)`) are not at a line's start.
    const separator = m[0].slice(word.length + (m[2]?.length ?? 0));
    const env =
      separator === "=" &&
      /^[A-Z][A-Z0-9_]*$/.test(name) &&
      ENV_LINE_START.test(text.slice(Math.max(0, nameStart - 40), nameStart));
    const kind = !PASSWORD_WORD.test(word) ? "other" : env ? "env" : "password";
    if (literalSecret(value, quoted, name, kind)) {
      found.push({ start, end, rule: "hand/secret-assignment" });
    }
  }
  return found;
}

/**
 * Whether `value`, assigned to the secret-named key `name`, is a literal secret. `kind`
 * relaxes the rule for password keys, whose values people choose short and word-like:
 * "password" accepts from six characters when one is a digit or a symbol passwords use
 * (hunter2 after `password:`), which ordinary code (`password: str`, `password = form_password`,
 * `pass :class:`) and prose are not; "env" (a password key at a line's start, `KEY=value`)
 * accepts plain words too (`PGPASSWORD=postgres`).
 */
function literalSecret(
  value: string,
  quoted: boolean,
  name: string,
  kind: "password" | "env" | "other" = "other",
): boolean {
  if (value.length < (kind === "other" ? 8 : 6) || /\s/.test(value)) return false;
  if (isPlaceholder(value)) return false;
  // A module or extension (".types"), or a label ("debug2:"), not a value.
  if (value.startsWith(".") || (!quoted && value.endsWith(":"))) return false;
  if (kind === "password" && value.length < 8 && !/[\d!#$%^&*+=?@~]/.test(value)) return false;
  if (
    value.toLowerCase().replace(/[^a-z0-9]/g, "") === name.toLowerCase().replace(/[^a-z0-9]/g, "")
  )
    return false;
  if (/^(?:\.{0,2}\/|~\/)/.test(value) || value.includes("://")) return false;
  if (/^[~^<>=v]*\d+(?:\.\d+)+/.test(value)) return false; // a version
  if (!quoted) {
    if (/[()[\]{}<>]/.test(value)) return false; // calls, indexing, templates
    if (/^-?\d+(?:\.\d+)?$/.test(value)) return false;
    // Member expressions: `options.apiKey`, `self.password`, `Config::TOKEN`.
    if (/^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+[;,]?$/.test(value)) return false;
  }
  if (kind === "env") return true;
  // Words and identifiers without digits: "same-origin", "GITHUB_TOKEN", "apiKeyHeader".
  if (!/\d/.test(value) && /^[A-Za-z]+(?:[-_.:][A-Za-z]+)*$/.test(value)) return false;
  if (!quoted && /^[A-Za-z_$][\w$]*$/.test(value)) {
    // An identifier: a variable in code (`password = new_password2`) unless it holds
    // digits the way passwords do (`hunter2`).
    if (kind === "password") return /\d/.test(value) && !/pass|pwd/i.test(value);
    if (value.length < 12 || !/\d.*\d/.test(value)) return false;
  }
  return true;
}

const HAND_RULES: readonly HandRule[] = [
  {
    // Any private-key block, valid key or not; and one cut off before its END line (the
    // lines that follow it while they look like base64, quoted or not).
    id: "hand/private-key-block",
    keywords: ["private key"],
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:(?:(?!-----BEGIN )[\s\S])*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\\]*(?:\r?\n[ \t]*["'`]?(?:[A-Za-z0-9+/]{16,}={0,2}|(?:Proc-Type|DEK-Info|Comment|Version): [^\n]*)(?:\\n)?["'`]?[ \t]*[,+]?)*)/g,
  },
  {
    // AWS access key ids. The preset scans them only with its enableIDScanRule option,
    // which also reports account ids and costs a pattern tried at every position.
    id: "hand/aws-access-key-id",
    keywords: ["akia", "a3t", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "asia"],
    pattern: /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/g,
  },
  {
    // A password given on a command line: `--password …`, `--db-pass=…` (the
    // `=` form is also an assignment), MySQL's and MariaDB's `-p…` (only their
    // clients take the password glued to `-p`; psql's `-p` is a port), `sshpass -p …`.
    id: "hand/cli-password",
    keywords: ["pass", "mysql", "mariadb"],
    pattern:
      /(?:(?<![\w-])--(?!ask-|no-|prompt-)(?:[a-z0-9]+-)*(?:password|passwd|pass)(?:=|[ \t]+)|\b(?:mysql(?:dump|admin|import|show|check|pump)?|mariadb(?:-dump|-admin)?)\b[^\n|;&]*?[ \t]-p(?=[^\s-])|\bsshpass\b[^\n|;&]*?[ \t]-p[ \t]*)(["']?)([^\s"'`]{4,256})\1/dg,
    group: 2,
    // After `--password ` prose may follow ("--password with care"): a word alone is not
    // taken there.
    accept: (m) => {
      const value = m[2] ?? "";
      if (isPlaceholder(value) || value.startsWith("-")) return false;
      // A file name after a flag that asks for the password: `--vault-pass vault.yml`.
      if (/\.(?:ya?ml|json|txt|cfg|conf|ini|py|sh)$/i.test(value)) return false;
      return !/^--[\w-]+[ \t]/.test(m[0]) || /[^A-Za-z]/.test(value);
    },
  },
  {
    id: "hand/jwt",
    keywords: ["eyj"],
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  {
    // scheme://user:password@host, for every scheme (amqps, redis, postgres, https, …).
    // A password equal to the user name (guest:guest) is a well-known default, not a secret.
    id: "hand/url-password",
    keywords: ["://"],
    // Anchored on "://" (found fast) rather than on the scheme.
    pattern: /:\/\/([^\s:/?#@'"`<>]{0,256}):([^\s/?#@'"`<>]{1,256})@/dg,
    group: 2,
    accept: (m) => !isPlaceholder(m[2] ?? "") && m[2] !== m[1],
  },
  {
    // `Authorization: Bearer …`, and as a call's two arguments: `Header.Set("Authorization",
    // "Bearer …")`, `{"Authorization": f"Bearer …"}` (a string prefix before the quote).
    id: "hand/authorization-header",
    keywords: ["authorization"],
    pattern:
      /\b(?:proxy-)?authorization["']?\s*[:=,]\s*[fbr]?["']?\s*(?:basic|bearer|token|digest)\s+([A-Za-z0-9+/=._~-]{8,})/dgi,
    group: 1,
  },
  {
    // A value of a secret-named key however the code around it is written: after a type
    // annotation (`token: string = "…"`, `var apiKey string = "…"`), a bracketed or
    // quoted key (`os.environ["API_KEY"] = "…"`, `define('DB_PASSWORD', '…')`,
    // `Header.Set("X-Auth-Token", "…")`), on the next line (`API_TOKEN = (\n "…"`), or
    // with the word inside the name (`secret_key_base`). A quoted literal only.
    id: "hand/secret-named-literal",
    keywords: ["secret", "pass", "token", "key", "pwd"],
    pattern:
      /([A-Za-z0-9_.-]*(?:secret[_-]?key|secret|password|passwd|passphrase|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key)(?:[_-](?:base|data|value|b64|base64|raw|plain|string|str))?)["']?\]?\)?(?:[ \t]*:[ \t]*[&\w<>[\].|?*]{1,40}[ \t]*|[ \t]+[&\w<>[\].*]{1,30}[ \t]*)?[ \t]*(?:=(?![=~>])|:=|\|\|=|\?\?=|,|:(?![:=]))[ \t]*\(?[ \t]*(?:\r?\n[ \t]*)?(["'])([^"'\r\n]{6,256})\2/dgi,
    group: 3,
    accept: (m) => literalSecret(m[3] ?? "", true, m[1] ?? "", secretKind(m[1] ?? "")),
  },
  {
    // A YAML block scalar under a secret-named key: `password: |` and the value below.
    id: "hand/secret-block-scalar",
    keywords: ["secret", "pass", "token", "key", "pwd"],
    pattern:
      /([A-Za-z0-9_.-]*(?:secret|password|passwd|passphrase|token|api[_-]?key|apikey|private[_-]?key)[A-Za-z0-9_-]{0,20})["']?[ \t]*:[ \t]*[|>][-+]?[ \t]*\r?\n[ \t]+([^\s][^\r\n]{5,255})/dgi,
    group: 2,
    accept: (m) => literalSecret((m[2] ?? "").trim(), true, m[1] ?? "", secretKind(m[1] ?? "")),
  },
  {
    // An element or a name/value pair naming a secret: `<password>…</password>` (Maven's
    // settings.xml), `<add key="ApiKey" value="…"/>`, `- name: API_KEY` / `value: "…"`.
    id: "hand/secret-named-pair",
    keywords: ["secret", "pass", "token", "key", "pwd"],
    pattern:
      /<([\w.-]*(?:password|passwd|secret|token|apikey|api[_-]key|passphrase)[\w.-]*)>([^<\r\n]{6,256})<\/\1>|\b(?:key|name)[ \t]*[=:][ \t]*["']?([\w.-]*(?:password|passwd|secret|token|apikey|api[_-]?key|passphrase)[\w.-]*)["']?[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?(?:-[ \t]*)?value[ \t]*[=:][ \t]*["']([^"'\r\n]{6,256})["']/dgi,
    accept: (m) =>
      m[2] !== undefined
        ? literalSecret(m[2], true, m[1] ?? "", secretKind(m[1] ?? ""))
        : literalSecret(m[4] ?? "", true, m[3] ?? "", secretKind(m[3] ?? "")),
    groups: [2, 4],
  },
  {
    // A password without `=` or `:`: a netrc line (`password …`), a Dockerfile
    // `ENV API_KEY …`, `aws configure set aws_secret_access_key …`, curl's `-u user:pw`.
    id: "hand/spaced-secret",
    keywords: ["pass", "env", "aws_", "curl", "wget", "secret", "token", "key"],
    pattern:
      /^[ \t]*(?:password|passwd)[ \t]+([^\s]{6,256})[ \t]*$|^[ \t]*ENV[ \t]+\w*?(?:SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY)\w*[ \t]+["']?([^\s"']{6,256})|\bset[ \t]+(?:aws_secret_access_key|aws_session_token)[ \t]+([^\s]{16,256})|\b(?:curl|wget)\b[^\n|;&]*?[ \t](?:-u|--user)[ \t]*["']?[^\s:'"]+:([^\s'"@]{4,256})/dgim,
    accept: (m) => {
      // A `password …` line alone is a netrc file's only where the file names a machine.
      if (m[1] !== undefined && !/\bmachine\s/.test(m.input)) return false;
      const value = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
      return (
        !isPlaceholder(value) && !/^\$/.test(value) && literalSecret(value, true, "password", "env")
      );
    },
    groups: [1, 2, 3, 4],
  },
  {
    // A PuTTY private key (`.ppk`): its header and lines up to the MAC.
    id: "hand/putty-private-key",
    keywords: ["putty-user-key-file"],
    pattern: /PuTTY-User-Key-File-\d+:[\s\S]*?(?:Private-MAC:[^\r\n]*|$)/g,
  },
  {
    // A private key in base64 (a Kubernetes Secret's `tls.key`, a Helm value):
    // "-----BEGIN" encodes to "LS0tLS1CRUdJTi"; a certificate, which is public, stays.
    id: "hand/base64-private-key",
    keywords: ["ls0tls1crudjti"],
    pattern: /LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2}/g,
    accept: (m) => /PRIVATE KEY/.test(Buffer.from(m[0], "base64").toString("latin1")),
  },
  {
    id: "hand/npm-auth",
    keywords: ["_auth", "_password"],
    // .npmrc keys: `//registry.example.com/:_authToken=…` or `_auth=…` at a line's start.
    pattern: /(?:^|:)(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"'$]{8,})/dgm,
    group: 1,
  },
  {
    id: "hand/openai-key",
    keywords: ["sk-"],
    pattern: /(?<![A-Za-z0-9])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g,
  },
  {
    id: "hand/gcp-api-key",
    keywords: ["aiza"],
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    id: "hand/azure-storage-key",
    keywords: ["accountkey="],
    pattern: /AccountKey=([A-Za-z0-9+/]{40,}={0,2})/dg,
    group: 1,
  },
  {
    id: "hand/discord-webhook",
    keywords: ["discord"],
    pattern:
      /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/g,
  },
  {
    id: "hand/telegram-bot-token",
    keywords: [":aa"],
    pattern: /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
  },
  {
    id: "hand/age-secret-key",
    keywords: ["age-secret-key-1"],
    pattern: /AGE-SECRET-KEY-1[0-9A-Z]{58}/g,
  },
  {
    id: "hand/pypi-token",
    keywords: ["pypi-agei"],
    pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g,
  },
  ...PROVIDER_TOKENS.map((token): HandRule => ({
    id: "hand/provider-token",
    keywords: token.keywords,
    pattern: providerTokenPattern(token),
    accept: (m) => !isTokenPlaceholder(m[0]),
  })),
];

/**
 * A documentation placeholder in a token's shape (`pnu_xxxxxxxx…`, `sbp_0000…`): a run of
 * six equal characters, or few distinct ones. An issued token is random; the chance of
 * either in one is negligible.
 */
function isTokenPlaceholder(token: string): boolean {
  return /(.)\1{5}/.test(token) || new Set(token).size < 10;
}

/** The ids of the hand-written rules (for the benchmark's per-family counts). */
export const HAND_RULE_IDS: readonly string[] = [
  ...new Set(HAND_RULES.map((r) => r.id)),
  "hand/secret-assignment",
];

function handMatches(text: string, present: ReadonlySet<string>): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const rule of HAND_RULES) {
    if (!mayMatch(present, rule.keywords)) continue;
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      if (m[0].length === 0) {
        rule.pattern.lastIndex++;
        continue;
      }
      if (rule.accept && !rule.accept(m)) continue;
      const group = rule.groups?.find((g) => m[g] !== undefined) ?? rule.group;
      const span = group === undefined ? undefined : m.indices?.[group];
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
  return matchesIn(text, filePath).concat(splitSecrets(text, filePath), kubernetesSecretData(text));
}

/**
 * The values of a Kubernetes Secret's `data` and `stringData`, whatever their keys are
 * called (`tls.key`, `database-url`): base64 hides what they are from every other rule,
 * and a manifest declares them secret itself. A ConfigMap's data is left alone.
 */
function kubernetesSecretData(text: string): SecretMatch[] {
  if (!/^kind:[ \t]*Secret[ \t]*$/m.test(text)) return [];
  const found: SecretMatch[] = [];
  let offset = 0;
  for (const document of text.split(/^(?=---)/m)) {
    if (/^kind:[ \t]*Secret[ \t]*$/m.test(document)) {
      const block = /^(data|stringData):[ \t]*\r?\n((?:[ \t]+[^\n]*(?:\n|$)|[ \t]*\r?\n)*)/gm;
      for (let m = block.exec(document); m; m = block.exec(document)) {
        const body = m[2] ?? "";
        const bodyStart = m.index + m[0].length - body.length;
        const entry = /^[ \t]+["']?([\w.-]+)["']?[ \t]*:[ \t]*["']?([^\s"'#][^\r\n"']*)/gm;
        for (let e = entry.exec(body); e; e = entry.exec(body)) {
          const value = e[2] ?? "";
          if (/^[|>]/.test(value)) continue;
          // `data` is base64 of anything: judged decoded; `stringData` is plain text,
          // judged as a value of its key (a user name or a URL is not taken).
          const plain =
            m[1] === "data" ? Buffer.from(value.trim(), "base64").toString("utf8") : value.trim();
          if (plain.length < 6 || isPlaceholder(plain)) continue;
          if (
            m[1] === "stringData" &&
            !literalSecret(plain, true, e[1] ?? "", secretKind(e[1] ?? ""))
          )
            continue;
          const start = offset + bodyStart + e.index + e[0].length - value.length;
          found.push({
            start,
            end: start + value.trimEnd().length,
            rule: "hand/kubernetes-secret",
          });
        }
      }
    }
    offset += document.length;
  }
  return found;
}

function matchesIn(text: string, filePath?: string): SecretMatch[] {
  const present = presentKeywords(text.toLowerCase());
  return presetMatches(text, present, filePath).concat(handMatches(text, present));
}

/** A string literal, single- or double-quoted, on one line. */
const STRING_LITERAL = /(["'])((?:\\.|(?!\1)[^\\\r\n])*)\1/g;
/** What may join two literals into one string: `+`, `.`, or nothing (Python, C). */
const JOINER = /^[ \t]*[+.]?[ \t]*(?:\r?\n[ \t]*)?$/;

/**
 * Secrets split across adjacent string literals (`"ghp_abc" +\n "def…"`), as people do
 * to get a token past push protection: each run of joined literals is read as one string,
 * and every literal a secret found there covers is reported whole.
 */
function splitSecrets(text: string, filePath?: string): SecretMatch[] {
  if (!/["'][ \t]*[+.]?[ \t]*\r?\n?[ \t]*["']/.test(text)) return [];
  const found: SecretMatch[] = [];
  let run: { start: number; end: number; content: string }[] = [];
  const flush = (): void => {
    if (run.length >= 2) {
      const joined = run.map((part) => part.content).join("");
      for (const match of matchesIn(joined, filePath)) {
        let offset = 0;
        for (const part of run) {
          const from = offset;
          offset += part.content.length;
          if (match.start < offset && match.end > from)
            found.push({ start: part.start, end: part.end, rule: match.rule });
        }
      }
    }
    run = [];
  };
  STRING_LITERAL.lastIndex = 0;
  let previousEnd = -1;
  for (let m = STRING_LITERAL.exec(text); m; m = STRING_LITERAL.exec(text)) {
    if (previousEnd < 0 || !JOINER.test(text.slice(previousEnd, m.index))) flush();
    const start = m.index + 1;
    run.push({ start, end: start + (m[2] ?? "").length, content: m[2] ?? "" });
    previousEnd = m.index + m[0].length;
  }
  flush();
  return found;
}
