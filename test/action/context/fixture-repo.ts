/**
 * Small repositories written into a temporary directory for the context tests.
 */
import { afterEach } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { rankRepository } from "../../../action/context/build-context.js";
import type { RankedFile } from "../../../action/context/build-context.js";

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

/**
 * A maker of fixture repositories that are removed after each test of the calling file,
 * with any other clean-up the test registers through `afterThis`.
 */
export function reposPerTest(): {
  repo: (files?: Record<string, string | Uint8Array>) => FixtureRepo;
  afterThis: (fn: () => void) => void;
} {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });
  return {
    repo: (files = {}) => {
      const r = fixtureRepo(files);
      cleanup.push(r.remove);
      return r;
    },
    afterThis: (fn) => cleanup.push(fn),
  };
}

/** The ranking of a fixture repository for an issue, best first. */
export async function rankingOf(dir: string, title: string, body = ""): Promise<RankedFile[]> {
  return (await rankRepository({ repoDir: dir, title, body })).ranking;
}
