import { z } from "zod";
import {
  BROKER_URL_FORM,
  isBrokerUrlList,
  MAX_REQUEST_LIFETIME_MS,
  REQUEST_QUEUE,
  weakKeyReason,
} from "../protocol/index.js";
import { DEFAULT_IGNORE_FILE } from "./context/list-files.js";
import { DEFAULT_PROTECTED } from "./edits/path-policy.js";

/**
 * The Action's inputs, parsed once into a typed object. Every error names the input and
 * the expected format. The object holds the token and the signing key: never log it whole.
 */
const csv = z.string().transform((value) =>
  value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean),
);

/**
 * `context-tokens: auto`: a generous ranked context, which the worker fits to its model's
 * window (NUM_CTX), lowest-ranked files first. A number caps it on the Action's side.
 */
export const AUTO_CONTEXT_TOKENS = 48_000;

const positiveInt = (name: string, max: number) =>
  z.string().transform((value, ctx) => {
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > max) {
      ctx.addIssue({
        code: "custom",
        message: `Invalid input '${name}': expected a whole number from 1 to ${max}, got '${value}'`,
      });
      return z.NEVER;
    }
    return Number(trimmed);
  });

const bool = (name: string) =>
  z.string().transform((value, ctx) => {
    const v = value.trim().toLowerCase();
    if (["true", "yes", "1"].includes(v)) return true;
    if (["false", "no", "0", ""].includes(v)) return false;
    ctx.addIssue({
      code: "custom",
      message: `Invalid input '${name}': expected true or false, got '${value}'`,
    });
    return z.NEVER;
  });

const SettingsSchema = z.object({
  githubToken: z
    .string()
    .min(
      1,
      "Invalid input 'github-token': it is empty; the default is the workflow's GITHUB_TOKEN",
    ),
  amqpUrl: z
    .string()
    .refine(isBrokerUrlList, `Invalid input 'amqp-url': expected ${BROKER_URL_FORM}`),
  signingKey: z.string(),
  allowUnsigned: bool("allow-unsigned"),
  requestQueue: z.string().min(1),
  timeoutMinutes: z.string().transform((value, ctx) => {
    // Minutes, fractions allowed (0.5 = 30 s), so short deadlines can be tried out.
    const minutes = Number(value.trim());
    // The worker refuses a request meant to live longer (a bound on replays).
    const most = MAX_REQUEST_LIFETIME_MS / 60_000;
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || minutes <= 0 || minutes > most) {
      ctx.addIssue({
        code: "custom",
        message: `Invalid input 'timeout-minutes': expected a number of minutes above 0 and at most ${most}, got '${value}'`,
      });
      return z.NEVER;
    }
    return minutes;
  }),
  triggerLabel: z.string().min(1, "Invalid input 'trigger-label': it is empty"),
  quickfixLabel: z.string(),
  requireLabelOnOpen: bool("require-label-on-open"),
  allowedAssociations: csv,
  branchPrefix: z.string().refine(
    // Git refuses a ref with an empty part (`a//`), a part starting with '.', or `..`;
    // the prefix is followed by `issue-N`, so it may end with '/'.
    (v) =>
      /^[A-Za-z0-9._/-]*$/.test(v) &&
      !v.includes("..") &&
      !/(^|\/)(\/|\.)/.test(v) &&
      !/\.lock(\/|$)/.test(v),
    "Invalid input 'branch-prefix': use letters, digits, '.', '_', '-' and '/', no empty part ('a//') and no part starting with '.'",
  ),
  contextTokens: z.string().transform((value, ctx) => {
    if (value.trim().toLowerCase() === "auto") return AUTO_CONTEXT_TOKENS;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed) && Number(trimmed) >= 1 && Number(trimmed) <= 1_000_000)
      return Number(trimmed);
    ctx.addIssue({
      code: "custom",
      message: `Invalid input 'context-tokens': expected auto or a whole number from 1 to 1000000, got '${value}'`,
    });
    return z.NEVER;
  }),
  model: z.string(),
  labelPending: z.string().min(1),
  labelFailed: z.string().min(1),
  labelApplied: z.string().min(1),
  protectedPaths: csv,
  checkCommand: z.string(),
  checkCommandUnisolated: bool("check-command-unisolated"),
  checkTimeoutMinutes: positiveInt("check-timeout-minutes", 120),
  ignoreFile: z.string(),
  botLogin: z.string().min(1, "Invalid input 'bot-login': it is empty"),
  issueNumber: z.string().transform((value, ctx) => {
    if (value.trim() === "") return undefined;
    if (!/^\d+$/.test(value.trim()) || Number(value.trim()) < 1) {
      ctx.addIssue({
        code: "custom",
        message: `Invalid input 'issue-number': expected an issue number (1 or more), got '${value}'`,
      });
      return z.NEVER;
    }
    return Number(value.trim());
  }),
});

export type Settings = z.infer<typeof SettingsSchema>;

/**
 * Input names as declared in action.yml, with the defaults used when an input is absent.
 * Defaults that the code also needs outside the inputs (the queue, the ignore file, the
 * protected paths) are taken from where that code defines them, so there is one source;
 * test/action/settings.test.ts checks that every default here equals action.yml's.
 */
export const INPUT_DEFAULTS: Record<string, string> = {
  "github-token": "",
  "amqp-url": "",
  "signing-key": "",
  "allow-unsigned": "false",
  "request-queue": REQUEST_QUEUE,
  "timeout-minutes": "20",
  "trigger-label": "ai-agent",
  "quickfix-label": "ai-quickfix",
  "require-label-on-open": "true",
  "allowed-associations": "OWNER,MEMBER,COLLABORATOR",
  "branch-prefix": "ai-agent/",
  "context-tokens": "auto",
  model: "",
  "label-pending": "plan-pending",
  "label-failed": "plan-failed",
  "label-applied": "plan-applied",
  "protected-paths": DEFAULT_PROTECTED.join(","),
  "check-command": "",
  "check-command-unisolated": "false",
  "check-timeout-minutes": "10",
  "ignore-file": DEFAULT_IGNORE_FILE,
  "bot-login": "github-actions[bot]",
  "issue-number": "",
};

/** Thrown for bad inputs; its message is shown as is. */
export class SettingsError extends Error {}

/** Reads and validates every input through `getInput` (core.getInput in the Action). */
export function readSettings(getInput: (name: string) => string): Settings {
  const raw = (name: string) => {
    const value = getInput(name);
    return value === "" ? (INPUT_DEFAULTS[name] ?? "") : value;
  };
  const parsed = SettingsSchema.safeParse({
    githubToken: raw("github-token"),
    amqpUrl: raw("amqp-url").trim(),
    signingKey: raw("signing-key"),
    allowUnsigned: raw("allow-unsigned"),
    requestQueue: raw("request-queue"),
    timeoutMinutes: raw("timeout-minutes"),
    triggerLabel: raw("trigger-label").trim(),
    quickfixLabel: raw("quickfix-label").trim(),
    requireLabelOnOpen: raw("require-label-on-open"),
    allowedAssociations: raw("allowed-associations").toUpperCase(),
    branchPrefix: raw("branch-prefix").trim(),
    contextTokens: raw("context-tokens"),
    model: raw("model").trim(),
    labelPending: raw("label-pending").trim(),
    labelFailed: raw("label-failed").trim(),
    labelApplied: raw("label-applied").trim(),
    protectedPaths: raw("protected-paths"),
    checkCommand: raw("check-command"),
    checkCommandUnisolated: raw("check-command-unisolated"),
    checkTimeoutMinutes: raw("check-timeout-minutes"),
    ignoreFile: raw("ignore-file").trim(),
    botLogin: raw("bot-login").trim(),
    issueNumber: raw("issue-number"),
  });
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((issue) => issue.message).join("\n"));
  }
  // An empty key is most often a secret that is not set (GitHub passes ""): never read
  // that as "do not sign".
  if (parsed.data.signingKey.trim() === "" && !parsed.data.allowUnsigned)
    throw new SettingsError(
      "Invalid input 'signing-key': it is empty (is the secret set?). Set it to the worker's SIGNING_KEY, or set allow-unsigned: true to run without signatures, letting anyone who can publish to the broker forge the worker's replies.",
    );
  return parsed.data;
}

/**
 * Why `signing-key` cannot sign a request, if it cannot: too short to be a secret. Asked
 * when a request is about to be signed, not at start: an event the gate skips needs no key.
 */
export function weakSigningKey(key: string): string | undefined {
  const reason = weakKeyReason(key);
  return reason && `Invalid input 'signing-key': ${reason}, the same as the worker's SIGNING_KEY.`;
}
