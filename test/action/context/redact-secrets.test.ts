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
