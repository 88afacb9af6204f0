/**
 * The redaction corpus (test/bench/secrets/corpus.ts) as a test: every planted secret
 * (one or more per rule family) is redacted, and no line of the secret-free files
 * changes. `node --import tsx test/bench/secrets/run.ts` prints the same counts with the
 * time per MB; this file asserts them, so it lives with the tests, not the benchmarks.
 */
import { describe, expect, it } from "@jest/globals";
import { redactSecrets } from "../../../action/context/redact-secrets.js";
import { findSecrets } from "../../../action/context/secret-rules.js";
import { evaluate, PLANTED } from "../../bench/secrets/corpus.js";

const { planted, clean } = evaluate(
  (text, path) => redactSecrets(text, { path }).text,
  (text, path) => findSecrets(text, path),
);

describe("secret redaction corpus", () => {
  it("covers the families the issue names and every rule of the preset", () => {
    const families = PLANTED.map((p) => p.family).join("\n");
    for (const name of [
      "unquoted KEY=value",
      "YAML",
      "JWT",
      "postgres://",
      "amqps://",
      "Basic-auth header",
      "npm _authToken",
      "sk_live_",
      "sk-proj-",
      "glpat-",
      "Slack webhook",
      "cut-off PEM",
    ]) {
      expect(families).toContain(name);
    }
    expect(planted.length).toBeGreaterThanOrEqual(50);
  });

  it("misses no planted secret", () => {
    expect(planted.filter((p) => !p.detected)).toEqual([]);
  });

  it("finds each family by the rule expected to find it (keyword filters included)", () => {
    const wrong = planted
      .filter((p) => !p.foundBy.includes(p.rule))
      .map((p) => `${p.family}: ${p.foundBy.join(", ")}`);
    expect(wrong).toEqual([]);
  });

  it("redacts nothing in secret-free code, docs and look-alikes", () => {
    expect(clean.length).toBeGreaterThan(100);
    expect(clean.filter((c) => c.changed.length > 0)).toEqual([]);
  });
});
