/**
 * Ollama's `keep_alive`: how long a model stays loaded after a request. A number is
 * seconds; a string is a Go duration (`"5m"`, `"1h30m"`, `"250ms"`) or a number of
 * seconds; anything negative means forever; zero unloads right after the request.
 */

/** Milliseconds to keep the model loaded, or `Infinity` for forever. */
export type KeepAliveMs = number;

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Ollama's default when a request names none. */
export const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;

/**
 * Parses a `keep_alive` value. Throws an Error with Go's message for an unparsable
 * string, which Ollama returns as a 400.
 */
export function parseKeepAlive(value: string | number | undefined): KeepAliveMs {
  if (value === undefined) return DEFAULT_KEEP_ALIVE_MS;
  if (typeof value === "number") return value < 0 ? Infinity : value * 1000;
  const trimmed = value.trim();
  if (/^-?\d+$/.test(trimmed)) return parseKeepAlive(Number(trimmed));
  const ms = parseGoDuration(trimmed);
  if (ms === undefined) throw new Error(`time: invalid duration "${value}"`);
  return ms < 0 ? Infinity : ms;
}

function parseGoDuration(text: string): number | undefined {
  const match = /^([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (match === null) return undefined;
  const sign = match[1] === "-" ? -1 : 1;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] ?? "s"] ?? 1000);
  }
  return sign * total;
}
