import { readFileSync } from "node:fs";

/**
 * Whether a process runs. A zombie (exited, not yet reaped by whoever adopted it) still
 * answers kill(0) but is dead for every test's purposes, so /proc decides.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
