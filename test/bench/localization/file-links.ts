/**
 * What links two files of a repository, for the analysis of multi-file fixes
 * (`misses.ts`): a shared directory, an import either way, and names one file defines
 * that the other uses. Measured with the ranking's own import resolver and definition
 * patterns, so a link found here is one the ranking could use.
 */
import { findDefinitions } from "../../../action/context/definitions.js";
import { resolveImports } from "../../../action/context/imports.js";
import type { PathIndex } from "../../../action/context/path-index.js";

/** A file read once: its identifiers, the names it defines, the files it imports. */
export interface FileFacts {
  path: string;
  /** Its position in the list the path index was built from. */
  index: number;
  identifiers: Set<string>;
  defines: Set<string>;
  imports: Set<number>;
}

export interface FileLinks {
  sameDirectory: boolean;
  /** `a` imports `b`. */
  aImportsB: boolean;
  bImportsA: boolean;
  /** Names `b` defines that `a` uses without defining them itself. */
  aUsesB: number;
  bUsesA: number;
  /** Names both define. */
  sharedDefinitions: number;
}

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/g;
/** Shorter names (`get`, `id`, `run`) are defined everywhere and link nothing. */
const MIN_NAME = 4;

export function fileFacts(
  path: string,
  position: number,
  text: string,
  index: PathIndex,
): FileFacts {
  return {
    path,
    index: position,
    identifiers: new Set(text.match(IDENTIFIER) ?? []),
    defines: new Set(
      findDefinitions(text, path)
        .map((d) => d.name)
        .filter((name) => name.length >= MIN_NAME),
    ),
    imports: new Set(resolveImports(path, text, index)),
  };
}

export function fileLinks(a: FileFacts, b: FileFacts): FileLinks {
  const uses = (user: FileFacts, owner: FileFacts): number =>
    [...owner.defines].filter((n) => user.identifiers.has(n) && !user.defines.has(n)).length;
  return {
    sameDirectory: directory(a.path) === directory(b.path),
    aImportsB: a.imports.has(b.index),
    bImportsA: b.imports.has(a.index),
    aUsesB: uses(a, b),
    bUsesA: uses(b, a),
    sharedDefinitions: [...a.defines].filter((n) => b.defines.has(n)).length,
  };
}

export function directory(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}
