import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import {
  AUTO_CONTEXT_TOKENS,
  INPUT_DEFAULTS,
  readSettings,
  weakSigningKey,
} from "../../action/settings.js";

const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? "";
const SIGNING_KEY = "settings-test-key-0123";

describe("Action inputs", () => {
  it("finds a signing key too short to be a secret, when a request is to be signed", () => {
    // Read at start all the same: an event the gate skips needs no key at all.
    expect(() =>
      readSettings(inputs({ "github-token": "t", "amqp-url": "amqp://h", "signing-key": "k3y" })),
    ).not.toThrow();
    expect(weakSigningKey("k3y")).toMatch(
      /'signing-key': it is 3 characters; use a random secret of at least 16/,
    );
    expect(weakSigningKey(SIGNING_KEY)).toBeUndefined();
    expect(weakSigningKey("")).toBeUndefined(); // allow-unsigned: refused elsewhere otherwise
  });

  it("applies the documented defaults", () => {
    const settings = readSettings(
      inputs({
        "github-token": "t",
        "amqp-url": "amqp://u:p@rabbit:5672",
        "signing-key": SIGNING_KEY,
      }),
    );
    expect(settings).toMatchObject({
      timeoutMinutes: 20,
      triggerLabel: "ai-agent",
      allowedAssociations: ["OWNER", "MEMBER", "COLLABORATOR"],
      branchPrefix: "ai-agent/",
      contextTokens: AUTO_CONTEXT_TOKENS,
      protectedPaths: [".github/workflows/**"],
      issueNumber: undefined,
    });
  });

  it("takes context-tokens as auto or a number", () => {
    const base = { "github-token": "t", "signing-key": SIGNING_KEY, "amqp-url": "amqp://h" };
    expect(readSettings(inputs({ ...base, "context-tokens": "AUTO" })).contextTokens).toBe(
      AUTO_CONTEXT_TOKENS,
    );
    expect(readSettings(inputs({ ...base, "context-tokens": "8000" })).contextTokens).toBe(8000);
  });

  it("takes amqp-url as one URL or the nodes of a cluster separated by commas", () => {
    const base = { "github-token": "t", "signing-key": SIGNING_KEY };
    const list = "amqp://u:p@node-a:5672, amqp://u:p@node-b:5672,amqp://u:p@node-c:5672";
    expect(readSettings(inputs({ ...base, "amqp-url": list })).amqpUrl).toBe(list);
    expect(() =>
      readSettings(inputs({ ...base, "amqp-url": "amqp://u:p@node-a:5672, http://node-b" })),
    ).toThrow(/Invalid input 'amqp-url'/);
    expect(() => readSettings(inputs({ ...base, "amqp-url": " , " }))).toThrow(
      /Invalid input 'amqp-url'/,
    );
  });

  it("names each bad input and the format it expects", () => {
    expect(() =>
      readSettings(
        inputs({
          "github-token": "t",
          "signing-key": SIGNING_KEY,
          "amqp-url": "http://x",
          "timeout-minutes": "abc",
          "context-tokens": "-1",
        }),
      ),
    ).toThrow(
      /Invalid input 'amqp-url'[\s\S]*Invalid input 'timeout-minutes': expected a number of minutes above 0 and at most 360, got 'abc'[\s\S]*Invalid input 'context-tokens'/,
    );
    expect(() =>
      readSettings(
        inputs({
          "github-token": "t",
          "amqp-url": "amqp://h",
          "signing-key": SIGNING_KEY,
          "branch-prefix": "../x",
        }),
      ),
    ).toThrow(/branch-prefix/);
    // Refs git refuses (GitHub answered 422 at the first branch), and issue 0, which
    // no repository has: named at start, not after the context was built.
    for (const [input, value] of [
      ["branch-prefix", "a//"],
      ["branch-prefix", ".hidden/"],
      ["branch-prefix", "bots/x.lock/"],
      ["issue-number", "0"],
    ] as const) {
      const base = { "github-token": "t", "amqp-url": "amqp://h", "signing-key": SIGNING_KEY };
      expect(() => readSettings(inputs({ ...base, [input]: value }))).toThrow(
        new RegExp(`Invalid input '${input}'`),
      );
    }
  });
});

describe("signing", () => {
  const base = { "github-token": "t", "amqp-url": "amqp://h" };

  it("refuses an empty signing key (an unset secret) unless unsigned runs are allowed", () => {
    expect(() => readSettings(inputs(base))).toThrow(
      /Invalid input 'signing-key': it is empty \(is the secret set\?\)/,
    );
    expect(() => readSettings(inputs({ ...base, "signing-key": "  " }))).toThrow(/signing-key/);
    expect(readSettings(inputs({ ...base, "allow-unsigned": "true" })).allowUnsigned).toBe(true);
  });
});

describe("action.yml and the settings parser", () => {
  const actionYml = parse(
    readFileSync(fileURLToPath(new URL("../../action.yml", import.meta.url)), "utf8"),
  ) as { inputs: Record<string, { default?: string; required?: boolean }> };

  it("know the same inputs", () => {
    expect(Object.keys(INPUT_DEFAULTS).sort()).toEqual(Object.keys(actionYml.inputs).sort());
  });

  it("agree on every default (the token's comes from the workflow, the broker URL is required)", () => {
    for (const [name, input] of Object.entries(actionYml.inputs)) {
      const declared = name === "github-token" || input.required ? "" : (input.default ?? "");
      expect([name, INPUT_DEFAULTS[name]]).toEqual([name, declared]);
    }
    expect(actionYml.inputs["github-token"]?.default).toBe("${{ github.token }}");
    expect(actionYml.inputs["amqp-url"]?.required).toBe(true);
  });
});
