import { createHash } from "node:crypto";
import type { Plan } from "../../protocol/index.js";

/**
 * SHA-256 of the plan in a canonical form (keys sorted, no whitespace): the same plan
 * always hashes the same, so `/approve` can be bound to exactly what the bot wrote.
 */
export function planHash(plan: Plan): string {
  return createHash("sha256").update(canonicalJson(plan)).digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
