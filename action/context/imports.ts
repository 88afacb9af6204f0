/**
 * Import and include statements of the common languages, resolved to repository files.
 * Used to lift files that strongly matched files depend on: a fix often lands one hop
 * away from where the symptom shows.
 */
import { posix } from "node:path";
import { snakeCase } from "./path-index.js";
import type { PathIndex } from "./path-index.js";

/**
 * Repository files that `text` (the content of `path`) imports, as indexes into the
 * path list behind `index`. Unresolvable imports (standard library, packages) are ignored.
 */
export function resolveImports(path: string, text: string, index: PathIndex): number[] {
  const dir = posix.dirname(path);
  const out = new Set<number>();
  const addQualified = (parts: string[]): void => {
    if (parts.length === 0) return;
    const match =
      parts.length >= 2 ? index.matchQualified(parts) : index.matchPath(`${parts[0] ?? ""}`);
    if (match && match.indexes.length <= 3) for (const i of match.indexes) out.add(i);
  };
  const addRelative = (spec: string): void => {
    const joined = posix.normalize(posix.join(dir, spec)).replace(/\.(m?[jt]sx?|c[jt]s)$/, "");
    if (joined.startsWith("..")) return;
    const parts = joined.split("/").filter((p) => p !== "" && p !== ".");
    if (parts.length === 1) {
      const match = index.matchQualified([posix.basename(dir), ...parts]);
      if (match) for (const i of match.indexes) out.add(i);
    } else addQualified(parts);
  };

  // Python: `from a.b import c`, `from .x import y`, `import a.b`.
  for (const m of text.matchAll(
    /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+([\w, \t()]+)/gm,
  )) {
    const dots = m[1]?.length ?? 0;
    let base = (m[2] ?? "").split(".").filter((p) => p !== "");
    if (dots > 0) {
      const up = dir.split("/").slice(0, Math.max(0, dir.split("/").length - (dots - 1)));
      base = [...up.filter((p) => p !== "."), ...base];
    }
    const names = (m[3] ?? "").replace(/[()]/g, "").split(",");
    for (const name of names.slice(0, 8)) {
      const clean = name.trim().split(/\s+/)[0] ?? "";
      if (clean !== "") addQualified([...base, clean]);
    }
    addQualified(base);
  }
  for (const m of text.matchAll(/^[ \t]*import[ \t]+([\w.]+)[ \t]*(?:as[ \t]+\w+)?[ \t]*;?$/gm)) {
    addQualified((m[1] ?? "").split("."));
  }
  // JavaScript/TypeScript: relative module specifiers.
  for (const m of text.matchAll(/(?:from|require\(|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    addRelative(m[1] ?? "");
  }
  // C/C++ includes with quotes; Ruby require_relative/require.
  for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]+"([^"]+)"/gm)) {
    const match = index.matchPath(m[1] ?? "");
    if (match && match.indexes.length <= 3) for (const i of match.indexes) out.add(i);
  }
  for (const m of text.matchAll(/^[ \t]*require_relative[ \t(]+["']([^"']+)["']/gm)) {
    addRelative(m[1] ?? "");
  }
  for (const m of text.matchAll(/^[ \t]*require[ \t(]+["']([\w/]+)["']/gm)) {
    addQualified((m[1] ?? "").split("/"));
  }
  // Rust `use crate::a::b`, PHP `use A\B\C;`, Java/Kotlin `import a.b.C;`.
  for (const m of text.matchAll(/^[ \t]*(?:pub[ \t]+)?use[ \t]+(?:crate::|super::)?([\w:\\]+)/gm)) {
    addQualified((m[1] ?? "").split(/::|\\/).filter((p) => p !== ""));
  }
  out.delete(-1);
  return [...out];
}

/**
 * Traits and mixins that the classes in `text` (the content of `path`) take into their
 * own bodies: PHP's `use TraitA, Ns\TraitB;` inside a class, Ruby's `include`, `extend`
 * and `prepend`. Their methods are the class's methods, so a fix to the class's
 * behaviour often lands in one of them.
 */
export function resolveComposition(path: string, text: string, index: PathIndex): number[] {
  const out = new Set<number>();
  const ext = posix.extname(path).toLowerCase();
  const add = (name: string): void => {
    const parts = name.split(/::|\\/).filter((p) => p !== "");
    const last = parts[parts.length - 1];
    if (last === undefined) return;
    const match =
      parts.length >= 2
        ? index.matchQualified(parts)
        : index.matchPath(`${ext === ".rb" ? snakeCase(last) : last}${ext}`);
    if (match && match.indexes.length <= 3) for (const i of match.indexes) out.add(i);
  };
  if (ext === ".php") {
    // Indented `use` is a trait use inside a class; top-level `use` is an import.
    for (const m of text.matchAll(
      /^[ \t]+use[ \t]+([\w\\]+(?:[ \t]*,[ \t\n]*[\w\\]+)*)[ \t]*[;{]/gm,
    )) {
      for (const name of (m[1] ?? "").split(",")) add(name.trim());
    }
  } else if (ext === ".rb") {
    for (const m of text.matchAll(/^[ \t]+(?:include|extend|prepend)[ \t]+([A-Z][\w:]*)/gm)) {
      add(m[1] ?? "");
    }
  }
  return [...out];
}
