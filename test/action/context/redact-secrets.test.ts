import { REDACTED, redactSecrets } from "../../../action/context/redact-secrets.js";

describe("secret redaction in file text", () => {
  it("replaces key blocks line by line, keeping line numbers and the rest", () => {
    const text = [
      "A = 1",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "b3BlbnNzaC1rZXktdjEAAAAA",
      "-----END OPENSSH PRIVATE KEY-----",
      "B = 2",
    ].join("\n");
    const { text: out, redacted } = redactSecrets(text);
    expect(redacted).toBe(true);
    expect(out.split("\n")).toEqual(["A = 1", REDACTED, REDACTED, REDACTED, "B = 2"]);
  });

  it("replaces tokens and secret-named values, not ordinary code", () => {
    const text = [
      'token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"',
      'AWS_ACCESS_KEY_ID = "AKIAZ3MXQ7PLK4RT2WNB"',
      'client_secret: "s3cr3t-value-that-is-long"',
      'password = "short"',
      "def secret_sauce(): return 1",
    ].join("\n");
    const { text: out } = redactSecrets(text);
    expect(out).not.toContain("ghp_abcdefghij");
    expect(out).not.toContain("AKIAZ3MXQ7PLK4RT2WNB");
    expect(out).toContain(`client_secret: "${REDACTED}"`);
    expect(out).toContain('password = "short"');
    expect(out).toContain("def secret_sauce(): return 1");
  });
});

describe("secret redaction beyond token formats", () => {
  it("keeps every line when a cut-off key block runs to the end of the text", () => {
    const text = [
      "key:",
      "-----BEGIN PRIVATE KEY-----",
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
      "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu",
    ].join("\n");
    const out = redactSecrets(text).text.split("\n");
    expect(out).toEqual(["key:", REDACTED, REDACTED, REDACTED]);
  });

  it("replaces the run's known secrets wherever they are, and only strings of 4+ characters", () => {
    const out = redactSecrets("env: X=abc123XYZ; Y=abc123XYZ (ab)", {
      literals: ["abc123XYZ", "ab"],
    }).text;
    expect(out).toBe(`env: X=${REDACTED}; Y=${REDACTED} (ab)`);
  });

  it("is not switched off by a secretlint-disable comment in the text", () => {
    const text = "// secretlint-disable\nconst t = 'glpat-Zx8vQ2mN4pL6rT0yW3bK';\n";
    expect(redactSecrets(text).text).not.toContain("glpat-Zx8");
  });

  it("leaves references to secrets alone", () => {
    const text = [
      "password = get_password()",
      "token: ${{ secrets.BOT_TOKEN }}",
      "const apiKey = options.apiKey;",
      "DATABASE_URL=postgres://user:password@localhost/app",
      'credentials: "same-origin",',
    ].join("\n");
    expect(redactSecrets(text)).toEqual({ text, redacted: false });
  });
});

describe("secrets in the forms code and configuration write them (found by review)", () => {
  const secret = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  const base64Key = Buffer.from(
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1Lf\n-----END RSA PRIVATE KEY-----\n",
  ).toString("base64");
  it.each([
    `const token: string = "${secret}";`,
    `api_key: str = "${secret}"`,
    `let token: &str = "${secret}";`,
    `var apiKey string = "${secret}"`,
    `os.environ["API_KEY"] = "${secret}"`,
    `define('DB_PASSWORD', '${secret}');`,
    `req.Header.Set("X-Auth-Token", "${secret}")`,
    `API_TOKEN = (\n    "${secret}"\n)`,
    `config.secret_key_base = '${secret}'`,
    `password: |\n    ${secret}`,
    `<password>${secret}</password>`,
    `<add key="ApiKey" value="${secret}"/>`,
    `- name: API_KEY\n  value: "${secret}"`,
    `ENV API_KEY ${secret}`,
    `machine example.com\n  login bob\n  password ${secret}`,
    `aws configure set aws_secret_access_key ${secret}`,
    `curl -u admin:${secret} https://ci.example.com`,
    `req.Header.Set("Authorization", "Bearer ${secret}")`,
    `headers = {"Authorization": f"Bearer ${secret}"}`,
    `data:\n  tls.key: ${base64Key}`,
    `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n${secret}\nPrivate-MAC: ab12`,
  ])("%s", (text) => {
    const out = redactSecrets(text);
    expect(out.redacted).toBe(true);
    expect(out.text).not.toContain(secret);
    expect(out.text).not.toContain(base64Key);
  });

  it.each([
    "const token: string = getToken();",
    'if token == "abc123def456": pass',
    'expect(token, "should be defined")',
    "def login(password: str = None):",
    'token_type = "bearer"',
    'const tokenizer = "cl100k_base";',
    "password prompt shown twice",
    `tls.crt: ${Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64")}`,
  ])("leaves %s", (text) => {
    expect(redactSecrets(text)).toEqual({ text, redacted: false });
  });
});

describe("a secret split across string literals", () => {
  // Split to get past push protection: each piece alone is no token, or only the first
  // piece was caught and the rest of the key went out.
  it.each([
    'const token = "ghp_abcdefghij" +\n  "klmnopqrstuvwxyz0123456789";',
    'apiKey = "sk_live_51Hxxx" + "AbCdEfGhIjKlMnOpQrStUvWx"',
    "KEY = ('ghp_abcdefghij'\n       'klmnopqrstuvwxyz0123456789')",
  ])("%s", (text) => {
    const out = redactSecrets(text);
    expect(out.text).not.toMatch(/abcdefghij|klmnop|AbCdEf/);
    expect(out.text.split("\n")).toHaveLength(text.split("\n").length);
  });

  it("leaves ordinary joined strings alone", () => {
    for (const text of ['msg = "hello " + "world"', "print('abc' 'def')", 'x = ["a", "b"]'])
      expect(redactSecrets(text)).toEqual({ text, redacted: false });
  });
});

describe("a Kubernetes Secret's values", () => {
  // Base64 hides what a Secret's `data` holds from every other rule (a database URL with
  // its password, a key that is not PEM); the manifest itself declares them secret.
  it("are redacted whatever their keys are called; a ConfigMap's are not", () => {
    const url = Buffer.from("postgres://app:SuperS3cret@db/app").toString("base64");
    const text = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: app",
      "data:",
      `  database-url: ${url}`,
      "stringData:",
      "  username: ai-agent",
      '  api-token: "9f8e7d6c5b4a3928"',
      "---",
      "kind: ConfigMap",
      "data:",
      "  MODEL: qwen2.5-coder:7b",
    ].join("\n");
    const out = redactSecrets(text).text;
    expect(out).not.toContain(url);
    expect(out).not.toContain("9f8e7d6c5b4a3928");
    expect(out).toContain("username: ai-agent");
    expect(out).toContain("MODEL: qwen2.5-coder:7b");
  });
});
