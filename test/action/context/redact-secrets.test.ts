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
      'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',
      'client_secret: "s3cr3t-value-that-is-long"',
      'password = "short"',
      "def secret_sauce(): return 1",
    ].join("\n");
    const { text: out } = redactSecrets(text);
    expect(out).not.toContain("ghp_abcdefghij");
    expect(out).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(out).toContain(`client_secret: "${REDACTED}"`);
    expect(out).toContain('password = "short"');
    expect(out).toContain("def secret_sauce(): return 1");
  });
});
