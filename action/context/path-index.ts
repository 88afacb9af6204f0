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
  /**
   * File indexes by file name, and by file name without its extension. Only the last
   * component is indexed; a lookup of several trailing components filters the files of
   * that name. Indexing every suffix up front cost 0.13 s on ruff's 8,000 files, for a
   * handful of lookups per issue.
   */
  private readonly byName = new Map<string, number[]>();
  private readonly byStemName = new Map<string, number[]>();
  /** Each file's lowercase path components, split when first needed, with and without the extension. */
  private readonly components: (string[] | undefined)[];
  private readonly stemComponents: (string[] | undefined)[];
  private readonly lowerPaths: string[];
  /** Each file's lowercase path without its extension. */
  private readonly stems: string[];

  constructor(paths: readonly string[]) {
    this.lowerPaths = paths.map((path) => path.toLowerCase());
    this.stems = this.lowerPaths.map(stemOf);
    this.components = new Array<string[] | undefined>(paths.length);
    this.stemComponents = new Array<string[] | undefined>(paths.length);
    this.lowerPaths.forEach((lower, index) => {
      const name = lower.slice(lower.lastIndexOf("/") + 1);
      push(this.byName, name, index);
      const dot = name.lastIndexOf(".");
      push(this.byStemName, dot > 0 ? name.slice(0, dot) : name, index);
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
    const named = this.byName.get(parts[parts.length - 1] ?? "");
    if (!named) return undefined;
    for (let k = Math.min(MAX_SUFFIX, parts.length); k >= 1; k--) {
      const suffix = parts.slice(-k);
      const hits = named.filter((i) => endsWith(this.partsOf(i, false), suffix));
      if (hits.length > 0) return { indexes: hits, components: k };
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
        const keys = [variant.slice(-MAX_SUFFIX)];
        for (const file of ["__init__", "index", "mod"]) {
          keys.push([...variant.slice(-(MAX_SUFFIX - 1)), file]);
        }
        for (const key of keys) {
          const hits = this.withStemSuffix(key.join("/").split("/"));
          if (hits.length > 0) return { indexes: hits, components: Math.min(length, MAX_SUFFIX) };
        }
      }
    }
    return undefined;
  }

  /** A file's lowercase path components. */
  componentsOf(index: number): readonly string[] {
    return this.partsOf(index, false);
  }

  /** Files with the same path but another extension (`foo.c` ↔ `foo.h`). */
  siblings(path: string): number[] {
    const stem = stemOf(path.toLowerCase());
    const name = stem.slice(stem.lastIndexOf("/") + 1);
    return (this.byStemName.get(name) ?? []).filter((i) => this.stems[i] === stem);
  }

  /** Files whose path without its extension ends with the components `suffix`. */
  private withStemSuffix(suffix: readonly string[]): number[] {
    const named = this.byStemName.get(suffix[suffix.length - 1] ?? "");
    if (!named || suffix.length > MAX_SUFFIX) return [];
    return named.filter((i) => endsWith(this.partsOf(i, true), suffix));
  }

  /** A file's lowercase components; with `stem`, the last one without its extension. */
  private partsOf(index: number, stem: boolean): readonly string[] {
    const parts = (this.components[index] ??= (this.lowerPaths[index] ?? "").split("/"));
    if (!stem) return parts;
    return (this.stemComponents[index] ??= (() => {
      const last = parts[parts.length - 1] ?? "";
      const dot = last.lastIndexOf(".");
      return dot > 0 ? [...parts.slice(0, -1), last.slice(0, dot)] : parts;
    })());
  }
}

/** Whether `parts` ends with every component of `suffix`, in order. */
function endsWith(parts: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > parts.length) return false;
  const offset = parts.length - suffix.length;
  return suffix.every((part, i) => parts[offset + i] === part);
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
