/**
 * Small repositories written into a temporary directory for the context tests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface FixtureRepo {
  dir: string;
  write: (path: string, content: string | Uint8Array) => void;
  remove: () => void;
}

/** Creates a temporary directory holding `files` (path → content). */
export function fixtureRepo(files: Record<string, string | Uint8Array> = {}): FixtureRepo {
  const dir = mkdtempSync(join(tmpdir(), "ctx-fixture-"));
  const write = (path: string, content: string | Uint8Array): void => {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
