/**
 * The secret-redaction corpus: planted secrets, one or more per rule family, and
 * secret-free text that must come out of redaction unchanged.
 *
 * Planted secrets are written here as templates and filled in at run time from a seeded
 * generator (random characters in the provider's format, real RSA keys, real JWTs), so
 * the repository holds no string that a secret scanner, or a push protection, would take
 * for a live credential. `{{kind:n}}` stands for n random characters of a kind; every
 * generated value is a secret whose survival after redaction counts as a miss.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLEAN_DIR = fileURLToPath(new URL("./clean/", import.meta.url));

export interface Planted {
  /** What kind of secret, as the issue or the rule set names it. */
  family: string;
  /** The rule expected to find it (documentation: any rule that redacts it counts). */
  rule: string;
  /** The file the text stands in (some rules look at the name). */
  path: string;
  template: string;
}

export const PLANTED: readonly Planted[] = [
  // The forms the issue names.
  {
    family: "unquoted KEY=value (.env)",
    rule: "hand/secret-assignment",
    path: "deploy/app.env.txt",
    template: "APP_ENV=production\nDB_PASSWORD={{secret:20}}\nLOG_LEVEL=info\n",
  },
  {
    family: "unquoted value in YAML",
    rule: "hand/secret-assignment",
    path: "config/database.yml",
    template: "production:\n  adapter: postgresql\n  username: app\n  password: {{secret:18}}\n",
  },
  {
    family: "quoted value in YAML",
    rule: "hand/secret-assignment",
    path: "config/services.yaml",
    template: 'mailer:\n  api_key: "{{secret:32}}"\n  from: noreply@example.com\n',
  },
  {
    family: "JWT",
    rule: "hand/jwt",
    path: "tests/fixtures/session.py",
    template: "SESSION = '{{jwt}}'\n",
  },
  {
    family: "password in a postgres:// URL",
    rule: "secretlint/database-connection-string",
    path: "docker-compose.yml",
    template:
      "services:\n  web:\n    environment:\n      DATABASE_URL: postgres://app:{{secret:16}}@db.internal:5432/app\n",
  },
  {
    family: "password in an amqps:// URL",
    rule: "hand/url-password",
    path: "worker/settings.py",
    template: 'BROKER_URL = "amqps://agent:{{secret:16}}@broker.example.com:5671/jobs"\n',
  },
  {
    family: "password in a redis:// URL without user",
    rule: "hand/url-password",
    path: "config/cache.ts",
    template: 'export const CACHE = "redis://:{{secret:16}}@cache.internal:6379/0";\n',
  },
  {
    family: "Basic-auth header",
    rule: "hand/authorization-header",
    path: "scripts/deploy.sh",
    template: 'curl -H "Authorization: Basic {{basic}}" https://registry.example.com/v2/\n',
  },
  {
    family: "Bearer header in code",
    rule: "hand/authorization-header",
    path: "src/client.js",
    template: "const headers = { Authorization: 'Bearer {{alnum:40}}' };\n",
  },
  {
    family: "npm _authToken (legacy UUID) outside .npmrc",
    rule: "hand/npm-auth",
    path: "Dockerfile",
    template: 'RUN echo "//registry.npmjs.org/:_authToken={{uuid}}" > ~/.npmrc && npm ci\n',
  },
  {
    family: "npm access token",
    rule: "secretlint/npm",
    path: ".github/scripts/publish.sh",
    template: "npm config set //registry.npmjs.org/:_authToken npm_{{alnum:36}}\n",
  },
  {
    family: "Stripe sk_live_",
    rule: "secretlint/stripe",
    path: "billing/config.rb",
    template: "Stripe.api_key = ENV.fetch('STRIPE_KEY', 'sk_live_{{alnum:24}}')\n",
  },
  {
    family: "OpenAI sk-proj- (no T3BlbkFJ marker)",
    rule: "hand/openai-key",
    path: "notebooks/eval.py",
    template: 'client = OpenAI(api_key="sk-proj-{{b64url:48}}")\n',
  },
  {
    family: "GitLab glpat-",
    rule: "secretlint/gitlab",
    path: ".gitlab-ci.yml",
    template: "variables:\n  GITLAB_TOKEN: glpat-{{b64url:20}}\n",
  },
  {
    family: "Slack webhook",
    rule: "secretlint/slack",
    path: "ops/alerts.json",
    template:
      '{ "webhook": "https://hooks.slack.com/services/T{{upnum:10}}/B{{upnum:10}}/{{alnum:24}}" }\n',
  },
  {
    family: "cut-off PEM private key",
    rule: "hand/private-key-block",
    path: "docs/setup.md",
    template: "Paste the key:\n\n```\n{{pem-cut}}\n```\n",
  },
  // The preset's own families.
  {
    family: "AWS access key id",
    rule: "hand/aws-access-key-id",
    path: "infra/deploy.py",
    template: 'ACCESS_KEY_ID = "AKIA{{upnum:16}}"\n',
  },
  {
    family: "AWS secret access key",
    rule: "secretlint/aws",
    path: "infra/credentials.ini.txt",
    template: "[default]\naws_secret_access_key = {{b64:40}}\n",
  },
  {
    family: "GCP service-account JSON",
    rule: "secretlint/gcp",
    path: "deploy/gcp-sa.json",
    template:
      '{\n  "type": "service_account",\n  "private_key_id": "2f0c8a4e6b1d3f5a7c9e0b2d4f6a8c0e1b3d5f7a",\n  "private_key": "{{pem-json}}",\n  "client_email": "ci@project.iam.gserviceaccount.com"\n}\n',
  },
  {
    family: "private key (valid PEM block)",
    rule: "secretlint/privatekey",
    path: "config/signing.go",
    template: "const signingKey = `{{pem}}`\n",
  },
  {
    family: "Slack bot token",
    rule: "secretlint/slack",
    path: "bot/main.py",
    template: 'SLACK = "xoxb-{{digits:11}}-{{digits:13}}-{{alnum:24}}"\n',
  },
  {
    family: "Basic auth in an https:// URL",
    rule: "secretlint/basicauth",
    path: "scripts/mirror.sh",
    template: "git clone https://deploy:{{alnum:16}}@git.example.com/team/repo.git\n",
  },
  {
    family: "OpenAI key (T3BlbkFJ format)",
    rule: "secretlint/openai",
    path: "app/llm.ts",
    template: 'const key = "sk-proj-{{b64url:74}}T3BlbkFJ{{b64url:74}}";\n',
  },
  {
    family: "Anthropic key",
    rule: "secretlint/anthropic",
    path: "app/claude.py",
    template: "client = Anthropic(api_key='sk-ant-api03-{{b64url:93}}AA')\n",
  },
  {
    family: "Groq key",
    rule: "secretlint/groq",
    path: "app/groq.js",
    template: "new Groq({ apiKey: 'gsk_{{alnum:52}}' });\n",
  },
  {
    family: "Hugging Face token",
    rule: "secretlint/huggingface",
    path: "train.sh",
    template: "huggingface-cli login --token hf_{{alpha:34}}\n",
  },
  {
    family: "Linear key",
    rule: "secretlint/linear",
    path: "tools/linear.ts",
    template: 'const linear = new LinearClient({ apiKey: "lin_api_{{alnum:40}}" });\n',
  },
  {
    family: "Notion token",
    rule: "secretlint/notion",
    path: "tools/notion.js",
    template: "const notion = new Client({ auth: 'ntn_{{digits:11}}{{alnum:35}}' });\n",
  },
  {
    family: "SendGrid key",
    rule: "secretlint/sendgrid",
    path: "mail/send.php",
    template: "$sendgrid = new \\SendGrid('SG.{{alnum:22}}.{{alnum:43}}');\n",
  },
  {
    family: "Shopify token",
    rule: "secretlint/shopify",
    path: "shop/client.rb",
    template: "session = ShopifyAPI::Session.new(token: 'shpat_{{hex:32}}')\n",
  },
  {
    family: "GitHub classic token",
    rule: "secretlint/github",
    path: "scripts/release.sh",
    template: "gh auth login --with-token <<< ghp_{{alnum:36}}\n",
  },
  {
    family: "GitHub fine-grained token",
    rule: "secretlint/github",
    path: "scripts/sync.py",
    template: 'GH = "github_pat_{{alnum:22}}_{{alnum:59}}"\n',
  },
  {
    family: "Grafana service-account token",
    rule: "secretlint/grafana",
    path: "monitoring/push.go",
    template: 'token := "glsa_{{alnum:32}}_{{hex:8}}"\n',
  },
  {
    family: "1Password service-account token",
    rule: "secretlint/1password",
    path: "ci/op.sh",
    template: "export OP_SERVICE_ACCOUNT_TOKEN=ops_{{op}}\n",
  },
  {
    family: "HashiCorp Vault token",
    rule: "secretlint/hashicorp-vault",
    path: "ci/vault.sh",
    template: "vault login hvs.{{b64url:95}}\n",
  },
  {
    family: "Vercel token",
    rule: "secretlint/vercel",
    path: "ci/deploy.sh",
    template: "vercel deploy --token vcp_{{alnum:24}}\n",
  },
  {
    family: "Databricks token",
    rule: "secretlint/databricks",
    path: "jobs/run.py",
    template: 'w = WorkspaceClient(token="dapi{{hex:32}}")\n',
  },
  {
    family: "Docker Hub token",
    rule: "secretlint/docker",
    path: "ci/push.sh",
    template: "echo dckr_pat_{{b64url:27}} | docker login -u ci --password-stdin\n",
  },
  {
    family: "Figma token",
    rule: "secretlint/figma",
    path: "design/export.ts",
    template: 'const FIGMA = "figd_{{b64url:40}}";\n',
  },
  {
    family: "Cloudflare token",
    rule: "secretlint/cloudflare",
    path: "infra/dns.py",
    template: 'cf = Cloudflare(api_token="cfut_{{alnum:40}}{{hex:8}}")\n',
  },
  {
    family: "Tailscale key",
    rule: "secretlint/tailscale",
    path: "infra/tailscale.sh",
    template: "tailscale up --authkey tskey-auth-{{alnum:12}}-{{alnum:30}}\n",
  },
  {
    family: "MySQL connection string",
    rule: "secretlint/database-connection-string",
    path: "config/db.properties",
    template: "jdbc.url=jdbc:mysql://root:{{secret:16}}@db.internal:3306/shop\n",
  },
  {
    family: "MongoDB connection string",
    rule: "secretlint/database-connection-string",
    path: "server/db.js",
    template: "mongoose.connect('mongodb+srv://api:{{secret:16}}@cluster0.example.net/app');\n",
  },
  // The hand-written layer's other families.
  {
    family: "secret in JSON",
    rule: "hand/secret-assignment",
    path: "config/oauth.json",
    template: '{ "client_id": "web", "client_secret": "{{secret:24}}" }\n',
  },
  {
    family: "secret in TOML / tfvars",
    rule: "hand/secret-assignment",
    path: "infra/prod.hcl",
    template: 'db_password = "{{secret:20}}"\nregion = "eu-west-1"\n',
  },
  {
    family: "secret in Python / shell assignment",
    rule: "hand/secret-assignment",
    path: "app/settings.py",
    template: "SECRET_KEY = '{{secret:40}}'\nDEBUG = False\n",
  },
  {
    family: "npmAuthToken in .yarnrc.yml content",
    rule: "hand/secret-assignment",
    path: "docs/yarn.md",
    template: 'npmScopes:\n  acme:\n    npmAuthToken: "{{uuid}}"\n',
  },
  {
    family: "kubeconfig client key and token",
    rule: "hand/secret-assignment",
    path: "docs/cluster.md",
    template:
      "users:\n- name: ci\n  user:\n    client-key-data: {{b64:120}}\n    token: {{b64url:60}}\n",
  },
  {
    family: "Docker config auth",
    rule: "hand/secret-assignment",
    path: "ci/docker-config.txt",
    template: '{ "auths": { "registry.example.com": { "auth": "{{basic}}" } } }\n',
  },
  {
    family: "GCP API key",
    rule: "hand/gcp-api-key",
    path: "web/maps.js",
    template: "const MAPS = 'AIza{{b64url:35}}';\n",
  },
  {
    family: "Azure storage account key",
    rule: "hand/azure-storage-key",
    path: "appsettings.json",
    template:
      '{ "Storage": "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={{b64:86}}==;EndpointSuffix=core.windows.net" }\n',
  },
  {
    family: "Discord webhook",
    rule: "hand/discord-webhook",
    path: "ops/notify.py",
    template: 'HOOK = "https://discord.com/api/webhooks/{{digits:18}}/{{b64url:68}}"\n',
  },
  {
    family: "Telegram bot token",
    rule: "hand/telegram-bot-token",
    path: "bot/telegram.go",
    template: 'bot, _ := tgbotapi.NewBotAPI("{{digits:10}}:AA{{b64url:33}}")\n',
  },
  {
    family: "provider token as a bare argument (DigitalOcean)",
    rule: "hand/provider-token",
    path: "infra/droplets.py",
    template: 'manager = digitalocean.Manager("dop_v1_{{hex:64}}")\n',
  },
  {
    family: "provider token in a comment (Sentry user token)",
    rule: "hand/provider-token",
    path: "scripts/release.sh",
    template: "# sentry-cli releases new $VERSION  (token sntryu_{{hex:64}})\n",
  },
  {
    family: "Google OAuth client secret in client JSON",
    rule: "hand/provider-token",
    path: "config/oauth-client.json.md",
    template:
      '{"installed": {"client_id": "1234.apps.googleusercontent.com", "client_sec": "GOCSPX-{{b64url:28}}"}}\n',
  },
  {
    family: "age secret key",
    rule: "hand/age-secret-key",
    path: "keys.txt.md",
    template: "# created: 2024-01-01\nAGE-SECRET-KEY-1{{upnum:58}}\n",
  },
  {
    family: "PyPI token",
    rule: "hand/pypi-token",
    path: ".github/scripts/upload.sh",
    template: "twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmc{{b64url:60}} dist/*\n",
  },
  {
    family: "private key in a JSON string, cut off",
    rule: "hand/private-key-block",
    path: "fixtures/key.json",
    template: '{ "key": "{{pem-json-cut}}\n',
  },
];

/** A small deterministic generator (mulberry32), so runs are comparable. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABETS: Record<string, string> = {
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  alpha: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  upnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
  hex: "0123456789abcdef",
  digits: "0123456789",
  b64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  b64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
};

let keyCache: string | undefined;
function rsaPem(): string {
  keyCache ??= generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  return keyCache.trimEnd();
}

export interface PlantedSample extends Planted {
  text: string;
  /** The generated values: each must be gone after redaction. */
  secrets: string[];
}

/** The planted corpus with its secrets generated (same seed, same text). */
export function plantedSamples(seed = 1): PlantedSample[] {
  const random = generator(seed);
  const pick = (alphabet: string, n: number): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  return PLANTED.map((p) => {
    const secrets: string[] = [];
    const text = p.template.replace(/\{\{([a-z0-9-]+)(?::(\d+))?\}\}/g, (_, kind: string, n) => {
      const value = generate(kind, Number(n ?? 0), pick);
      secrets.push(...value.secrets);
      return value.text;
    });
    if (secrets.length === 0) throw new Error(`planted sample "${p.family}" generates no secret`);
    return { ...p, text, secrets };
  });
}

function generate(
  kind: string,
  n: number,
  pick: (alphabet: string, n: number) => string,
): { text: string; secrets: string[] } {
  const one = (text: string) => ({ text, secrets: [text] });
  switch (kind) {
    case "secret": {
      // Mixed case with digits, as generated passwords are.
      const body = pick(ALPHABETS.alpha ?? "", n - 3) + pick(ALPHABETS.digits ?? "", 2) + "!";
      return one(body);
    }
    case "uuid": {
      const h = (k: number) => pick(ALPHABETS.hex ?? "", k);
      return one(`${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`);
    }
    case "basic": {
      const pair = `deploy:${pick(ALPHABETS.alnum ?? "", 18)}`;
      return one(Buffer.from(pair).toString("base64"));
    }
    case "jwt": {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const head = b64({ alg: "HS256", typ: "JWT" });
      const body = b64({ sub: pick(ALPHABETS.digits ?? "", 10), exp: 1900000000 });
      const sig = createHmac("sha256", pick(ALPHABETS.alnum ?? "", 32))
        .update(`${head}.${body}`)
        .digest("base64url");
      return { text: `${head}.${body}.${sig}`, secrets: [body, sig] };
    }
    case "op": {
      // 1Password service-account tokens: base64 of a JSON object.
      let json = `{"signInAddress":"my.1password.com","userAuth":{"method":"SRPg-4096","alg":"PBES2g-HS256","iterations":650000,"salt":"${pick(ALPHABETS.alnum ?? "", 22)}"},"email":"ci@example.com","srpX":"${pick(ALPHABETS.hex ?? "", 64)}"}`;
      while (!Buffer.from(json).toString("base64").endsWith("fQ==")) json = json.replace("{", "{ ");
      return one(Buffer.from(json).toString("base64"));
    }
    case "pem":
      return { text: rsaPem(), secrets: pemLines(rsaPem()) };
    case "pem-cut": {
      const lines = rsaPem().split("\n");
      const cut = lines.slice(0, Math.floor(lines.length / 2)).join("\n");
      return { text: cut, secrets: pemLines(cut) };
    }
    case "pem-json":
      return { text: rsaPem().replace(/\n/g, "\\n"), secrets: pemLines(rsaPem()) };
    case "pem-json-cut": {
      const cut = rsaPem().slice(0, 400);
      return { text: cut.replace(/\n/g, "\\n"), secrets: pemLines(cut) };
    }
    default: {
      const alphabet = ALPHABETS[kind];
      if (!alphabet) throw new Error(`unknown template kind ${kind}`);
      return one(pick(alphabet, n));
    }
  }
}

/** The base64 lines of a PEM block, each of which must be gone. */
function pemLines(pem: string): string[] {
  return pem.split("\n").filter((line) => !line.startsWith("-----") && line.length >= 8);
}

export interface CleanFile {
  path: string;
  text: string;
  /** "snippets": written for this corpus, with look-alikes; "project": this repository's own files. */
  source: "snippets" | "project";
}

/**
 * Secret-free text: the snippets under clean/ (hashes, UUIDs, base64 test vectors,
 * references to secrets rather than secrets) and this repository's own sources, docs and
 * examples (real code that nobody wrote for the benchmark).
 */
export function cleanFiles(): CleanFile[] {
  const files: CleanFile[] = [];
  for (const path of walk(CLEAN_DIR)) {
    files.push({
      path: relative(ROOT, path),
      text: readFileSync(path, "utf8"),
      source: "snippets",
    });
  }
  for (const dir of ["action", "backend", "scripts", "docs", "examples", "k8s"]) {
    for (const path of walk(join(ROOT, dir))) {
      if (!/\.(ts|cts|mjs|js|md|ya?ml|json|sh)$/.test(path)) continue;
      files.push({
        path: relative(ROOT, path),
        text: readFileSync(path, "utf8"),
        source: "project",
      });
    }
  }
  for (const name of ["README.md", "action.yml", "docker-compose.yml", "Makefile", "install.sh"]) {
    const path = join(ROOT, name);
    try {
      files.push({ path: name, text: readFileSync(path, "utf8"), source: "project" });
    } catch {
      // Not in this checkout.
    }
  }
  return files;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (name !== "node_modules" && name !== ".git") out.push(...walk(path));
    } else if (stat.size < 1_000_000) {
      out.push(path);
    }
  }
  return out;
}

export interface PlantedResult {
  family: string;
  rule: string;
  path: string;
  detected: boolean;
  /** Generated secret values still present after redaction. */
  leaked: string[];
  /** Rules that reported something in the sample. */
  foundBy: string[];
}

export interface CleanResult {
  path: string;
  source: CleanFile["source"];
  /** Lines that redaction changed: each is a false redaction. */
  changed: { line: number; before: string; after: string }[];
}

/** Redacts every planted sample and every clean file, and says what was missed or changed. */
export function evaluate(
  redact: (text: string, path: string) => string,
  find: (text: string, path: string) => { rule: string }[],
): { planted: PlantedResult[]; clean: CleanResult[] } {
  const planted = plantedSamples().map((sample) => {
    const out = redact(sample.text, sample.path);
    const leaked = sample.secrets.filter((secret) => out.includes(secret));
    const foundBy = [...new Set(find(sample.text, sample.path).map((m) => m.rule))].sort();
    return {
      family: sample.family,
      rule: sample.rule,
      path: sample.path,
      detected: leaked.length === 0,
      leaked,
      foundBy,
    };
  });
  const clean = cleanFiles().map((file) => {
    const before = file.text.split("\n");
    const after = redact(file.text, file.path).split("\n");
    const changed = before
      .map((line, i) => ({ line: i + 1, before: line, after: after[i] ?? "" }))
      .filter((l) => l.before !== l.after);
    return { path: file.path, source: file.source, changed };
  });
  return { planted, clean };
}
