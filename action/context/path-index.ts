/**
 * Finds repository files by what an issue writes: a path from another machine
 * (`/home/u/venv/lib/python3.11/site-packages/pkg/mod.py`), a bare file name, or a
 * qualified name (`pkg.mod.Class`, `Vendor\\Pkg\\Class`, `Top::Mod::Class`). Matching is by
 * whole trailing path components, case-insensitively.
 */

export interface PathMatch {
  indexes: number[];
  /** How many trailing components matched (1 = file name only). */
  components: number;
}

const MAX_SUFFIX = 6;

export class PathIndex {
  /** Trailing components with extension → file indexes. */
  private readonly withExt = new Map<string, number[]>();
  /** Trailing components without the extension → file indexes. */
  private readonly withoutExt = new Map<string, number[]>();

  /** Each file's lowercase path without its extension. */
  private readonly stems: string[];

  constructor(paths: readonly string[]) {
    this.stems = paths.map((path) => stemOf(path.toLowerCase()));
    paths.forEach((path, index) => {
      const lower = path.toLowerCase();
      const parts = lower.split("/");
      const last = parts[parts.length - 1] ?? "";
      const dot = last.lastIndexOf(".");
      const stemParts = [...parts.slice(0, -1), dot > 0 ? last.slice(0, dot) : last];
      for (let k = 1; k <= Math.min(MAX_SUFFIX, parts.length); k++) {
        push(this.withExt, parts.slice(-k).join("/"), index);
        push(this.withoutExt, stemParts.slice(-k).join("/"), index);
      }
    });
  }

  /**
   * Files whose path ends with the longest possible trailing part of `written`
   * (with its extension).
   */
  matchPath(written: string): PathMatch | undefined {
    const parts = written
      .toLowerCase()
      .split("/")
      .filter((part) => part !== "" && part !== "." && part !== "..");
    for (let k = Math.min(MAX_SUFFIX, parts.length); k >= 1; k--) {
      const hits = this.withExt.get(parts.slice(-k).join("/"));
      if (hits) return { indexes: hits, components: k };
    }
    return undefined;
  }

  /**
   * Files for a qualified name: the longest leading run of its components that names
   * a file (`a.b.c.Cls.meth` → `a/b/c`), or a package's `__init__`/`index`/`mod` file.
   * Components are tried as written and in snake_case (`RedundantSelf` → `redundant_self`).
   */
  matchQualified(parts: readonly string[]): PathMatch | undefined {
    for (let length = parts.length; length >= 2; length--) {
      const head = parts.slice(0, length);
      for (const variant of [head.map((p) => p.toLowerCase()), head.map(snakeCase)]) {
        const keys = [variant.slice(-MAX_SUFFIX).join("/")];
        for (const file of ["__init__", "index", "mod"]) {
          keys.push([...variant.slice(-(MAX_SUFFIX - 1)), file].join("/"));
        }
        for (const key of keys) {
          const hits = this.withoutExt.get(key);
          if (hits) return { indexes: hits, components: Math.min(length, MAX_SUFFIX) };
        }
      }
    }
    return undefined;
  }

  /** Files with the same path but another extension (`foo.c` ↔ `foo.h`). */
  siblings(path: string): number[] {
    const stem = stemOf(path.toLowerCase());
    const parts = stem.split("/");
    const candidates = this.withoutExt.get(
      parts.slice(-Math.min(MAX_SUFFIX, parts.length)).join("/"),
    );
    return (candidates ?? []).filter((i) => this.stems[i] === stem);
  }
}

/**
 * Files with the same name in other directories (`javac/HandleX.java` ↔
 * `eclipse/HandleX.java`): parallel implementations that a fix often changes together.
 * Names shared by more than `limit` files (`__init__.py`, `index.ts`) give nothing.
 */
export function twins(index: PathIndex, path: string, limit: number): number[] {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const match = index.matchPath(name);
  if (!match || match.indexes.length > limit) return [];
  return match.indexes;
}

function stemOf(lowerPath: string): string {
  const slash = lowerPath.lastIndexOf("/");
  const dot = lowerPath.lastIndexOf(".");
  return dot > slash + 1 ? lowerPath.slice(0, dot) : lowerPath;
}

/** Appends `value` to the list under `key`, starting the list when there is none. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `RedundantSelf` → `redundant_self`, `URLField` → `url_field`. */
export function snakeCase(part: string): string {
  return part
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
