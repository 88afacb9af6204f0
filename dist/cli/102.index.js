export const id = 102;
export const ids = [102];
export const modules = {

/***/ 8171:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


/*
 * web-tree-sitter's CommonJS build, loaded with a plain `require` so that the bundler
 * follows it into dist/ (a `createRequire(...)` call is left for run time, where a
 * runner has no node_modules). Its ES module build cannot be bundled instead: it loads
 * Node's `module` with `await import("module")`, and the bundler's namespace for that
 * built-in (a function, not an object) lacks `createRequire`.
 * Types come from the package as usual: `import type ... from "web-tree-sitter"`.
 */
const WebTreeSitter = __webpack_require__(3778);
module.exports = WebTreeSitter;


/***/ }),

/***/ 7102:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  uE: () => (/* binding */ assembleContext),
  gC: () => (/* binding */ buildContext),
  st: () => (/* reexport */ list_files/* collectRepositoryFiles */.st),
  t1: () => (/* binding */ rankRepository)
});

// UNUSED EXPORTS: listRepositoryFiles, rankScanned, scanRepository

// EXTERNAL MODULE: ./.build/action/context/redact-secrets.js + 3 modules
var redact_secrets = __webpack_require__(7262);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./.build/action/context/changelog.js
var changelog = __webpack_require__(8371);
// EXTERNAL MODULE: ./.build/action/context/excerpts.js
var context_excerpts = __webpack_require__(971);
// EXTERNAL MODULE: ./.build/action/context/issue-signals.js
var issue_signals = __webpack_require__(322);
// EXTERNAL MODULE: ./.build/action/context/import-header.js
var import_header = __webpack_require__(9148);
;// CONCATENATED MODULE: ./.build/action/context/companions.js
/**
 * The best files whose companions join the ranking, and how close to the best score a
 * file must be to count as one.
 */
const ANCHORS = 3;
const SCORE_SHARE = 0.5;
/**
 * Adds each best file's companions (`companionsOf`) to the ranking, right after that
 * file: halfway between its score and the next file's. A companion already ranked
 * higher keeps its place. Returns a re-sorted copy.
 */
function joinCompanions(ranked, companionsOf) {
    if (ranked.length === 0)
        return [];
    const byPath = new Map(ranked.map((file) => [file.path, { ...file, reasons: [...file.reasons] }]));
    const best = ranked[0]?.score ?? 0;
    ranked.slice(0, ANCHORS).forEach((anchor, rank) => {
        if (anchor.score < best * SCORE_SHARE)
            return;
        const next = ranked[rank + 1]?.score ?? 0;
        const score = (anchor.score + next) / 2;
        for (const companion of companionsOf(anchor)) {
            const entry = byPath.get(companion.path);
            if (!entry) {
                byPath.set(companion.path, { path: companion.path, score, reasons: [companion.reason] });
            }
            else if (entry.score < score) {
                entry.score = score;
                if (!entry.reasons.includes(companion.reason))
                    entry.reasons.unshift(companion.reason);
            }
        }
    });
    return [...byPath.values()].sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// EXTERNAL MODULE: ./.build/action/context/file-regions.js + 2 modules
var file_regions = __webpack_require__(635);
// EXTERNAL MODULE: ./.build/action/context/list-files.js
var list_files = __webpack_require__(867);
;// CONCATENATED MODULE: ./.build/action/context/path-index.js
/**
 * Finds repository files by what an issue writes: a path from another machine
 * (`/home/u/venv/lib/python3.11/site-packages/pkg/mod.py`), a bare file name, or a
 * qualified name (`pkg.mod.Class`, `Vendor\\Pkg\\Class`, `Top::Mod::Class`). Matching is by
 * whole trailing path components, case-insensitively.
 */
const MAX_SUFFIX = 6;
class PathIndex {
    /**
     * File indexes by file name, and by file name without its extension. Only the last
     * component is indexed; a lookup of several trailing components filters the files of
     * that name. Indexing every suffix up front cost 0.13 s on ruff's 8,000 files, for a
     * handful of lookups per issue.
     */
    byName = new Map();
    byStemName = new Map();
    /** Each file's lowercase path components, split when first needed, with and without the extension. */
    components;
    stemComponents;
    lowerPaths;
    /** Each file's lowercase path without its extension. */
    stems;
    constructor(paths) {
        this.lowerPaths = paths.map((path) => path.toLowerCase());
        this.stems = this.lowerPaths.map(stemOf);
        this.components = new Array(paths.length);
        this.stemComponents = new Array(paths.length);
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
    matchPath(written) {
        const parts = written
            .toLowerCase()
            .split("/")
            .filter((part) => part !== "" && part !== "." && part !== "..");
        const named = this.byName.get(parts[parts.length - 1] ?? "");
        if (!named)
            return undefined;
        for (let k = Math.min(MAX_SUFFIX, parts.length); k >= 1; k--) {
            const suffix = parts.slice(-k);
            const hits = named.filter((i) => endsWith(this.partsOf(i, false), suffix));
            if (hits.length > 0)
                return { indexes: hits, components: k };
        }
        return undefined;
    }
    /**
     * Files for a qualified name: the longest leading run of its components that names
     * a file (`a.b.c.Cls.meth` → `a/b/c`), or a package's `__init__`/`index`/`mod` file.
     * Components are tried as written and in snake_case (`RedundantSelf` → `redundant_self`).
     */
    matchQualified(parts) {
        for (let length = parts.length; length >= 2; length--) {
            const head = parts.slice(0, length);
            for (const variant of [head.map((p) => p.toLowerCase()), head.map(snakeCase)]) {
                const keys = [variant.slice(-MAX_SUFFIX)];
                for (const file of ["__init__", "index", "mod"]) {
                    keys.push([...variant.slice(-(MAX_SUFFIX - 1)), file]);
                }
                for (const key of keys) {
                    const hits = this.withStemSuffix(key.join("/").split("/"));
                    if (hits.length > 0)
                        return { indexes: hits, components: Math.min(length, MAX_SUFFIX) };
                }
            }
        }
        return undefined;
    }
    /** A file's lowercase path components. */
    componentsOf(index) {
        return this.partsOf(index, false);
    }
    /** Files with the same path but another extension (`foo.c` ↔ `foo.h`). */
    siblings(path) {
        const stem = stemOf(path.toLowerCase());
        const name = stem.slice(stem.lastIndexOf("/") + 1);
        return (this.byStemName.get(name) ?? []).filter((i) => this.stems[i] === stem);
    }
    /** Files whose path without its extension ends with the components `suffix`. */
    withStemSuffix(suffix) {
        const named = this.byStemName.get(suffix[suffix.length - 1] ?? "");
        if (!named || suffix.length > MAX_SUFFIX)
            return [];
        return named.filter((i) => endsWith(this.partsOf(i, true), suffix));
    }
    /** A file's lowercase components; with `stem`, the last one without its extension. */
    partsOf(index, stem) {
        const parts = (this.components[index] ??= (this.lowerPaths[index] ?? "").split("/"));
        if (!stem)
            return parts;
        return (this.stemComponents[index] ??= (() => {
            const last = parts[parts.length - 1] ?? "";
            const dot = last.lastIndexOf(".");
            return dot > 0 ? [...parts.slice(0, -1), last.slice(0, dot)] : parts;
        })());
    }
}
/** Whether `parts` ends with every component of `suffix`, in order. */
function endsWith(parts, suffix) {
    if (suffix.length > parts.length)
        return false;
    const offset = parts.length - suffix.length;
    return suffix.every((part, i) => parts[offset + i] === part);
}
/**
 * Files with the same name in other directories (`javac/HandleX.java` ↔
 * `eclipse/HandleX.java`): parallel implementations that a fix often changes together.
 * Names shared by more than `limit` files (`__init__.py`, `index.ts`) give nothing.
 */
function twins(index, path, limit) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    const match = index.matchPath(name);
    if (!match || match.indexes.length > limit)
        return [];
    return match.indexes;
}
function stemOf(lowerPath) {
    const slash = lowerPath.lastIndexOf("/");
    const dot = lowerPath.lastIndexOf(".");
    return dot > slash + 1 ? lowerPath.slice(0, dot) : lowerPath;
}
/** Appends `value` to the list under `key`, starting the list when there is none. */
function push(map, key, value) {
    const list = map.get(key);
    if (list)
        list.push(value);
    else
        map.set(key, [value]);
}
/** `RedundantSelf` → `redundant_self`, `URLField` → `url_field`. */
function snakeCase(part) {
    return part
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
        .toLowerCase();
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./.build/action/context/imports.js
/**
 * Import and include statements of the common languages, resolved to repository files.
 * Used to lift files that strongly matched files depend on: a fix often lands one hop
 * away from where the symptom shows.
 */


/**
 * Repository files that `text` (the content of `path`) imports, as indexes into the
 * path list behind `index`. Unresolvable imports (standard library, packages) are ignored.
 */
function resolveImports(path, text, index) {
    const dir = external_node_path_.posix.dirname(path);
    const out = new Set();
    const addQualified = (parts) => {
        if (parts.length === 0)
            return;
        const match = parts.length >= 2 ? index.matchQualified(parts) : index.matchPath(`${parts[0] ?? ""}`);
        if (match && match.indexes.length <= 3)
            for (const i of match.indexes)
                out.add(i);
    };
    const addRelative = (spec) => {
        const joined = external_node_path_.posix.normalize(external_node_path_.posix.join(dir, spec)).replace(/\.(m?[jt]sx?|c[jt]s)$/, "");
        if (joined.startsWith(".."))
            return;
        const parts = joined.split("/").filter((p) => p !== "" && p !== ".");
        if (parts.length === 1) {
            const match = index.matchQualified([external_node_path_.posix.basename(dir), ...parts]);
            if (match)
                for (const i of match.indexes)
                    out.add(i);
        }
        else
            addQualified(parts);
    };
    // Python: `from a.b import c`, `from .x import y`, `import a.b`.
    for (const m of text.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+([\w, \t()]+)/gm)) {
        const dots = m[1]?.length ?? 0;
        let base = (m[2] ?? "").split(".").filter((p) => p !== "");
        if (dots > 0) {
            const up = dir.split("/").slice(0, Math.max(0, dir.split("/").length - (dots - 1)));
            base = [...up.filter((p) => p !== "."), ...base];
        }
        const names = (m[3] ?? "").replace(/[()]/g, "").split(",");
        for (const name of names.slice(0, 8)) {
            const clean = name.trim().split(/\s+/)[0] ?? "";
            if (clean !== "")
                addQualified([...base, clean]);
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
        if (match && match.indexes.length <= 3)
            for (const i of match.indexes)
                out.add(i);
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
function resolveComposition(path, text, index) {
    const out = new Set();
    const ext = external_node_path_.posix.extname(path).toLowerCase();
    const add = (name) => {
        const parts = name.split(/::|\\/).filter((p) => p !== "");
        const last = parts[parts.length - 1];
        if (last === undefined)
            return;
        const match = parts.length >= 2
            ? index.matchQualified(parts)
            : index.matchPath(`${ext === ".rb" ? snakeCase(last) : last}${ext}`);
        if (match && match.indexes.length <= 3)
            for (const i of match.indexes)
                out.add(i);
    };
    if (ext === ".php") {
        // Indented `use` is a trait use inside a class; top-level `use` is an import.
        for (const m of text.matchAll(/^[ \t]+use[ \t]+([\w\\]+(?:[ \t]*,[ \t\n]*[\w\\]+)*)[ \t]*[;{]/gm)) {
            for (const name of (m[1] ?? "").split(","))
                add(name.trim());
        }
    }
    else if (ext === ".rb") {
        for (const m of text.matchAll(/^[ \t]+(?:include|extend|prepend)[ \t]+([A-Z][\w:]*)/gm)) {
            add(m[1] ?? "");
        }
    }
    return [...out];
}

// EXTERNAL MODULE: ./.build/action/context/scan-files.js
var scan_files = __webpack_require__(7146);
;// CONCATENATED MODULE: ./.build/action/context/signal-switch.js
/**
 * Switches for the ranking's signals, so the localization benchmark can measure what
 * each one contributes (an ablation) in-process. Nothing in the product sets them:
 * with the set empty every signal is on and the ranking is exactly the production one.
 */
/** The signals that can be turned off, by the name the ablation table uses. */
const SIGNAL_NAMES = (/* unused pure expression or super */ null && ([
    "frames",
    "paths",
    "qualified",
    "definitions",
    "phrases",
    "fileNames",
    "rareMentions",
    "messages",
    "content",
    "pathTerms",
    "symbolTerms",
    "imports",
    "importsBeyondLeader",
    "composition",
    "siblings",
    "twins",
    "sameDirectory",
    "changelog",
    "reference",
    "testPrior",
    "docPrior",
    "examplePrior",
    "vendoredPrior",
    "buildPrior",
    "dataPrior",
]));
/** Signals a benchmark has turned off; empty in production. */
const disabledSignals = new Set();
/** Whether a signal takes part in the ranking. */
function signalOn(name) {
    return disabledSignals.size === 0 || !disabledSignals.has(name);
}

;// CONCATENATED MODULE: ./.build/action/context/priors.js


const TEST_DIR = /(^|\/)(tests?|testing|spec|specs|__tests__|__mocks__|testdata|test_data|fixtures?|e2e|integration[-_]tests?)\//i;
/**
 * Test folders with compound names: `test-data/`, `test cases/`, `unittests/`,
 * `stress_tests/`, `tests_js/`, `test_apps/`. Lowercase words joined by `-`, `_` or a
 * space, so `_pytest/` (pytest's own source) and `unittest/` (a test library) stay code.
 */
const COMPOUND_TEST_DIR = /(^|\/)(test[-_ ]?(data|cases?|files|resources)|unittests|[a-z0-9]+[-_ ]tests?|tests?[-_ ][a-z0-9]+)\//;
const TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_tests?\.[a-z]+|[^/]*\.(test|spec)\.[a-z]+|[^/]*Tests?\.(java|kt|scala|cs|php|swift)|[^/]*_spec\.rb|conftest\.py)$/;
const DOC_FILE = /\.(md|mdx|rst|txt|adoc|asciidoc|textile|rdoc)$|(^|\/)(docs?|documentation|man|website|site)\/|(^|\/)(CHANGES|CHANGELOG|HISTORY|NEWS|AUTHORS)[^/]*$/i;
const EXAMPLE_DIR = /(^|\/)[^/]*(examples?|samples?|demos?|benchmarks?|tutorials?)[^/]*\/|(^|\/)(bench|asv_bench|playground)\//i;
const VENDORED_DIR = /(^|\/)(vendor|vendored|third[-_]party|3rdparty|external|extern|deps|\w*stubs)\//i;
const DATA_FILE = /\.(json|csv|tsv|svg|xml|lock|snap|golden|out|log|toml|ya?ml|ini|cfg)$/i;
const BUILD_DIR = /(^|\/)(dist|build|out|target|coverage|site-packages|\.github|\.circleci)\//;
/** True when a path is in an examples, samples, demos or benchmarks directory. */
function isExamplePath(path) {
    return EXAMPLE_DIR.test(path);
}
/** True when a path looks like a test (by directory or file naming convention). */
function isTestPath(path) {
    return TEST_DIR.test(path) || TEST_FILE.test(path) || COMPOUND_TEST_DIR.test(path);
}
/**
 * The prior for a path given what the issue is about. Files the issue names directly
 * are never held back much: the issue overrides the convention.
 */
function priorFor(path, signals, named) {
    let factor = 1;
    const labels = [];
    const apply = (f, label, on = true) => {
        if (!on)
            return;
        factor *= f;
        labels.push(label);
    };
    if (isTestPath(path) && !signals.aboutTests)
        apply(0.3, "test file", signalOn("testPrior"));
    else if (DOC_FILE.test(path) && !signals.aboutDocs)
        apply(0.3, "documentation", signalOn("docPrior"));
    if (EXAMPLE_DIR.test(path))
        apply(0.5, "example/benchmark", signalOn("examplePrior"));
    if (VENDORED_DIR.test(path))
        apply(0.4, "vendored", signalOn("vendoredPrior"));
    if (BUILD_DIR.test(path))
        apply(0.4, "build output", signalOn("buildPrior"));
    if (DATA_FILE.test(path))
        apply(0.6, "data file", signalOn("dataPrior"));
    else if (labels.length === 0 && !(0,scan_files/* isCodePath */.Xm)(path))
        apply(0.6, "not source code", signalOn("dataPrior"));
    if (named)
        factor = Math.max(factor, 0.9);
    const prior = { factor };
    if (factor !== 1 && labels.length > 0)
        prior.label = labels.join(", ");
    return prior;
}

// EXTERNAL MODULE: ./.build/action/context/tokens.js
var tokens = __webpack_require__(8491);
;// CONCATENATED MODULE: ./.build/action/context/rank.js
/**
 * Combines the signals into one score per file, keeping the reasons. Explicit evidence
 * (a stack frame, a written path, a definition of a mentioned symbol, an error message
 * found verbatim) scores on a fixed scale; lexical similarity (BM25 over content, path
 * and defined symbols, each normalised to the best file) fills in where the issue
 * names nothing exact. Priors then hold back tests, docs and vendored code.
 */





/** Weights of the signals; exported so the benchmark and tests read the same numbers. */
const WEIGHTS = {
    frame: 6,
    deepestFrameBonus: 2,
    path: 6,
    fileName: 4,
    qualified: 4,
    definition: 4,
    memberDefinition: 0.6,
    declarationOnly: 0.4,
    phraseDefinition: 2,
    fileNamedAfter: 2,
    fileNameContains: 1.5,
    rareMention: 2.5,
    message: 4,
    content: 4,
    pathTerms: 2.5,
    symbolTerms: 2,
    importedBy: 0.05,
    composedInto: 0.5,
    sibling: 0.15,
    twin: 0.2,
    sameDirectory: 0.12,
    sameDirectoryAnchors: 3,
};
/** A definition shared by more files than this says little about any of them. */
const MAX_DEFINING_FILES = 12;
/** An identifier mentioned by more files than this is not rare. */
const MAX_MENTIONING_FILES = 5;
const TRANSLATION_CATALOG = /\.(po|pot|xliff?|strings)$/i;
/** An error message found in more files than this is boilerplate. */
const MAX_MESSAGE_FILES = 8;
/**
 * Scores every scanned file for the issue and returns them best first (ties by path),
 * files without any evidence left out.
 */
function rankFiles(files, signals, index) {
    const acc = new Array(files.length);
    const get = (i) => (acc[i] ??= { score: 0, reasons: [], named: false });
    const add = (i, points, reason, named = false) => {
        const entry = get(i);
        entry.score += points;
        // Reasons are shown to people and sent in requests: keep each short and the list bounded.
        const shown = reason.length > 200 ? `${reason.slice(0, 197)}...` : reason;
        if (entry.reasons.length < 12 && !entry.reasons.includes(shown))
            entry.reasons.push(shown);
        if (named)
            entry.named = true;
    };
    // Stack frames: in-repo frames; the deepest one is where it failed.
    // Python prints the innermost call last ("most recent call last"); Java, JavaScript,
    // Go, Ruby and Rust print it first. The innermost in-repo frame is where it failed.
    const innermostLast = signals.innermostFrameLast;
    let deepest = -1;
    const frameHits = [];
    for (const frame of signals.frames) {
        const match = index.matchPath(frame.path);
        if (!match || !specificEnough(frame.path, match, index))
            continue;
        frameHits.push({ indexes: match.indexes, frame, k: match.components });
        deepest =
            deepest < 0
                ? frame.depth
                : innermostLast
                    ? Math.max(deepest, frame.depth)
                    : Math.min(deepest, frame.depth);
    }
    for (const { indexes, frame, k } of signalOn("frames") ? frameHits : []) {
        const share = k >= 2 ? 1 : 0.5;
        const bonus = frame.depth === deepest ? WEIGHTS.deepestFrameBonus : 0;
        const where = `${frame.path}${frame.line !== undefined ? `:${frame.line}` : ""}`;
        const what = frame.symbol ? ` in ${frame.symbol}` : "";
        for (const i of indexes) {
            const named = k >= 3 || signals.aboutTests || !isElsewhere(files[i]?.path ?? "");
            add(i, (WEIGHTS.frame * share + bonus) / indexes.length, `stack frame ${where}${what}`, named);
        }
    }
    // Paths and file names written in the issue.
    for (const written of signalOn("paths") ? signals.paths : []) {
        const match = index.matchPath(written);
        if (!match || !specificEnough(written, match, index))
            continue;
        const weight = match.components >= 2 ? WEIGHTS.path : WEIGHTS.fileName;
        for (const i of match.indexes) {
            // A short path (`Foo.java`, `src/main.rs`) that only a test or an example here
            // carries is most likely the reporter's own project: it does not lift the prior.
            const path = files[i]?.path ?? "";
            const named = match.components >= 3 || signals.aboutTests || !isElsewhere(path);
            add(i, weight / Math.sqrt(match.indexes.length), `path mentioned: ${written}`, named);
        }
    }
    // Qualified names: modules, packages, namespaces.
    for (const parts of signalOn("qualified") ? signals.qualifiedNames : []) {
        const match = index.matchQualified(parts);
        if (!match || match.indexes.length > 4)
            continue;
        const points = (WEIGHTS.qualified * Math.min(match.components, 4)) / 4;
        for (const i of match.indexes) {
            add(i, points / match.indexes.length, `qualified name ${parts.join(".")}`);
        }
    }
    // Definitions of identifiers the issue mentions; a module-level definition is what a
    // bare name in an issue usually means, a member of the same name less so.
    const definers = new Map();
    files.forEach((file, index) => {
        for (const { name, topLevel, declarationOnly } of file.defines) {
            push(definers, name, { index, topLevel, declared: declarationOnly });
        }
    });
    for (const [name, sites] of definers) {
        if (sites.length > MAX_DEFINING_FILES || !signalOn("definitions"))
            continue;
        const weight = identifierWeight(name, signals);
        const points = (WEIGHTS.definition * Math.sqrt(weight)) / Math.sqrt(sites.length);
        // Where a name is both declared (a header, an interface) and implemented, the
        // implementation is where a fix lands; a declaration alone still counts in full.
        const implemented = sites.some((site) => !site.declared);
        for (const { index, topLevel, declared } of sites) {
            let share = topLevel ? 1 : WEIGHTS.memberDefinition;
            if (declared && implemented)
                share *= WEIGHTS.declarationOnly;
            add(index, points * share, declared ? `declares ${name}` : `defines ${name}`);
        }
    }
    // Compound names that two adjacent words of the issue spell out ("the Dataset repr"
    // → dataset_repr): weaker than a name written as code.
    const phraseDefiners = new Map();
    files.forEach((file, index) => {
        for (const { name, phrase } of file.phraseDefines)
            push(phraseDefiners, `${name}\u0000${phrase}`, index);
    });
    for (const [key, indexes] of phraseDefiners) {
        if (indexes.length > MAX_DEFINING_FILES || !signalOn("phrases"))
            continue;
        const [name = "", phrase = ""] = key.split("\u0000");
        for (const i of indexes) {
            add(i, WEIGHTS.phraseDefinition / Math.sqrt(indexes.length), `defines ${name} ("${phrase}")`);
        }
    }
    // Files named after a mentioned identifier (`refine()` → refine.py, `URLField` →
    // url_field.rb): the convention of most languages for the main definition.
    // Tests named after a thing are expected to exist; unless the issue is about tests,
    // only other files count (and score) here. So does only source: `bat.bash.in` or
    // `bat.1` is named after the program, not after a symbol in it.
    const byStem = new Map();
    files.forEach((file, index) => {
        if (!signals.aboutTests && isTestPath(file.path))
            return;
        if (!(0,scan_files/* isCodePath */.Xm)(file.path))
            return;
        const stem = stemKey(file.path);
        if (stem.length < 3)
            return;
        push(byStem, stem, index);
    });
    const stems = [...byStem.keys()];
    for (const name of signalOn("fileNames") ? signals.identifiers.keys() : []) {
        const key = name.toLowerCase().replace(/[_-]/g, "");
        const weight = identifierWeight(name, signals);
        const indexes = byStem.get(key);
        if (indexes && indexes.length <= MAX_DEFINING_FILES) {
            const points = (WEIGHTS.fileNamedAfter * Math.sqrt(weight)) / Math.sqrt(indexes.length);
            for (const i of indexes)
                add(i, points, `file named after ${name}`);
        }
        // `HandleFieldDefaults.java` for `FieldDefaults`: the code that implements a named thing.
        if ((0,tokens/* splitIdentifier */.a0)(name).length < 2 || key.length < 6)
            continue;
        const containing = [];
        for (const stem of stems) {
            if (stem !== key && stem.includes(key))
                containing.push(...(byStem.get(stem) ?? []));
        }
        if (containing.length === 0 || containing.length > MAX_DEFINING_FILES)
            continue;
        const points = (WEIGHTS.fileNameContains * Math.sqrt(weight)) / Math.sqrt(containing.length);
        for (const i of containing)
            add(i, points, `file name contains ${name}`);
    }
    // Rare identifiers from the issue found in a file's text (what a maintainer would grep).
    for (const name of signalOn("rareMentions") ? signals.identifiers.keys() : []) {
        if ((0,tokens/* splitIdentifier */.a0)(name).length < 2 || name.length < 5)
            continue;
        const term = name.toLowerCase();
        const holders = [];
        files.forEach((file, i) => {
            if (file.contentTf?.has(term))
                holders.push(i);
        });
        if (holders.length === 0 || holders.length > MAX_MENTIONING_FILES)
            continue;
        const points = (WEIGHTS.rareMention * Math.sqrt(identifierWeight(name, signals))) /
            Math.sqrt(holders.length);
        for (const i of holders)
            add(i, points, `mentions ${name}`);
    }
    // Error messages found verbatim.
    const messageFiles = new Map();
    files.forEach((file, i) => {
        // Translation catalogs repeat every message once per language: copies, not sources.
        if (TRANSLATION_CATALOG.test(file.path))
            return;
        for (const m of file.messageHits) {
            push(messageFiles, m, i);
        }
    });
    for (const [m, indexes] of messageFiles) {
        if (indexes.length > MAX_MESSAGE_FILES || !signalOn("messages"))
            continue;
        const text = signals.messages[m] ?? "";
        const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
        for (const i of indexes) {
            add(i, WEIGHTS.message / Math.sqrt(indexes.length), `message "${shown}"`);
        }
    }
    // Lexical similarity: content, path and defined-symbol fields, BM25 each.
    const content = bm25(files.map((f) => ({ tf: f.contentTf, length: f.length })), signals.terms);
    const componentTerms = new Map();
    const pathDocs = files.map((f) => pathField(f.path, signals.terms, componentTerms));
    const pathScores = bm25(pathDocs, signals.terms);
    const symbolScores = bm25(files.map((f) => ({ tf: f.symbolTf, length: sumValues(f.symbolTf) + 10 })), signals.terms);
    const lexical = [
        [content.scores, signalOn("content") ? WEIGHTS.content : 0, "content terms"],
        [pathScores.scores, signalOn("pathTerms") ? WEIGHTS.pathTerms : 0, "path terms"],
        [symbolScores.scores, signalOn("symbolTerms") ? WEIGHTS.symbolTerms : 0, "symbol terms"],
    ];
    const details = [content, pathScores, symbolScores];
    lexical.forEach(([scores, weight, label], field) => {
        const max = Math.max(0, ...scores);
        if (max <= 0 || weight === 0)
            return;
        scores.forEach((s, i) => {
            if (s <= 0)
                return;
            const normalised = s / max;
            const points = weight * normalised;
            if (normalised >= 0.25) {
                const top = details[field]?.topTerms(i, 3).join(", ") ?? "";
                add(i, points, `${label}: ${top} (${normalised.toFixed(2)})`);
            }
            else {
                get(i).score += points;
            }
        });
    });
    const ranked = [];
    acc.forEach((entry, i) => {
        const file = files[i];
        if (!entry || !file || entry.score <= 0)
            return;
        const prior = priorFor(file.path, signals, entry.named);
        const reasons = [...entry.reasons];
        if (prior.label)
            reasons.push(`prior: ${prior.label} ×${prior.factor.toFixed(2)}`);
        ranked.push({ path: file.path, score: entry.score * prior.factor, reasons });
    });
    ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return ranked;
}
/** Tests and examples: where a reporter's own file names (`src/main.rs`) also occur. */
function isElsewhere(path) {
    return isTestPath(path) || isExamplePath(path);
}
/**
 * Whether a written path picks out files: a bare file name shared by many files
 * (`__init__.py`) does not, nor does a path from elsewhere (`/home/u/proj/app/util.py`)
 * whose directories match nothing here and whose name several files share, nor another
 * project's installed file: `site-packages/boto3/dynamodb/types.py` is boto3's, not the
 * `moto/transfer/types.py` this repository has.
 */
function specificEnough(written, match, index) {
    if (match.components >= 2)
        return true;
    const bare = !written.includes("/");
    if (match.indexes.length > (bare ? 3 : 1))
        return false;
    const installed = installedPackage(written);
    return (installed === undefined ||
        match.indexes.every((i) => index.componentsOf(i).includes(installed.toLowerCase())));
}
/** Folders that hold other projects' installed code, the package's folder next. */
const INSTALLED_DIRS = new Set(["site-packages", "dist-packages", "node_modules"]);
/**
 * The package a path under an install folder belongs to (`boto3` in
 * `…/site-packages/boto3/dynamodb/types.py`, `@scope/pkg`'s `pkg`), or undefined when the
 * path is not under one or names a module file directly in it.
 */
function installedPackage(written) {
    const parts = written.replace(/\\/g, "/").split("/");
    for (let i = parts.length - 3; i >= 0; i--) {
        if (!INSTALLED_DIRS.has((parts[i] ?? "").toLowerCase()))
            continue;
        const next = parts[i + 1] ?? "";
        return next.startsWith("@") && i + 2 < parts.length - 1 ? parts[i + 2] : next;
    }
    return undefined;
}
/**
 * Okapi BM25 (k1 = 1.2, b = 0.75) with query-term weights, over documents that carry
 * only the counts of query terms.
 */
function bm25(docs, query) {
    const k1 = 1.2;
    const b = 0.75;
    const n = docs.length;
    const df = new Map();
    let total = 0;
    for (const doc of docs) {
        total += doc.length;
        if (doc.tf)
            for (const term of doc.tf.keys())
                df.set(term, (df.get(term) ?? 0) + 1);
    }
    const avg = n > 0 ? Math.max(1, total / n) : 1;
    const idf = new Map();
    for (const [term, count] of df)
        idf.set(term, Math.log(1 + (n - count + 0.5) / (count + 0.5)));
    const contribution = (doc, term, tf) => {
        const weight = query.get(term) ?? 0;
        const norm = tf * (k1 + 1);
        const denom = tf + k1 * (1 - b + (b * doc.length) / avg);
        return (idf.get(term) ?? 0) * Math.min(weight, 4) * (norm / denom);
    };
    const scores = docs.map((doc) => {
        let s = 0;
        if (doc.tf)
            for (const [term, tf] of doc.tf)
                s += contribution(doc, term, tf);
        return s;
    });
    return {
        scores,
        topTerms(i, count) {
            const doc = docs[i];
            if (!doc?.tf)
                return [];
            return [...doc.tf]
                .map(([term, tf]) => [term, contribution(doc, term, tf)])
                .sort((x, y) => y[1] - x[1])
                .slice(0, count)
                .map(([term]) => term);
        },
    };
}
/**
 * A path's terms (its extension aside) as a BM25 document. Terms never span a `/`, so
 * they are read per component, each directory once per ranking however many files it
 * holds.
 */
function pathField(path, query, componentTerms) {
    let tf;
    let length = 0;
    for (const component of path.replace(/\.[^./]+$/, "").split("/")) {
        let terms = componentTerms.get(component);
        if (terms === undefined) {
            terms = (0,tokens/* termsOf */.fd)(component);
            componentTerms.set(component, terms);
        }
        length += terms.length;
        for (const term of terms) {
            if (!query.has(term))
                continue;
            tf ??= new Map();
            tf.set(term, (tf.get(term) ?? 0) + 1);
        }
    }
    return { tf, length };
}
/**
 * How much an issue identifier says: compound names (`parse_expr`, `URLField`) are
 * specific, a capitalised word (`Symbol`) less so, a plain word (`config`) least.
 */
function identifierWeight(name, signals) {
    const base = Math.min(signals.identifiers.get(name) ?? 1, 4);
    if ((0,tokens/* splitIdentifier */.a0)(name).length > 1)
        return base;
    return /^[A-Z]/.test(name) ? base * 0.75 : base * 0.4;
}
/** A file's name without extension, lowercase, without `_`/`-` (`url_field.rb` → urlfield). */
function stemKey(path) {
    const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
    const dot = name.indexOf(".");
    return (dot > 0 ? name.slice(0, dot) : name).replace(/[_-]/g, "");
}
function sumValues(map) {
    let s = 0;
    if (map)
        for (const v of map.values())
            s += v;
    return s;
}

;// CONCATENATED MODULE: ./.build/action/context/proximity.js
/**
 * Proximity to the best-matched files: what they import, their header/source siblings,
 * same-named files in parallel directories, and their directory mates get a share of
 * their score (fixes cluster), provided they already carry some evidence of their own.
 * Proximity alone never brings in a file.
 */







/** How many of the best files have their imports followed. */
const proximity_ANCHORS = 3;
/**
 * Returns a re-sorted copy of `ranked` with proximity boosts applied. `paths` is the
 * list `index` was built from.
 */
function applyProximity(repoDir, ranked, paths, index) {
    const byPath = new Map(ranked.map((file) => [file.path, { ...file, reasons: [...file.reasons] }]));
    const best = ranked[0]?.score ?? 0;
    for (const [rank, anchor] of ranked.slice(0, proximity_ANCHORS).entries()) {
        // Only clear leaders lend weight; a crowd of weak matches says little about imports.
        if (anchor.score < best * 0.6)
            break;
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(repoDir, anchor.path), "utf8");
        }
        catch {
            continue;
        }
        if (text.length > scan_files/* MAX_FILE_BYTES */.gZ)
            continue;
        const boost = (i, weight, reason, on) => {
            if (!on)
                return;
            const path = paths[i];
            const target = path === undefined ? undefined : byPath.get(path);
            if (!target || path === anchor.path)
                return;
            target.score += anchor.score * weight;
            if (target.reasons.length < 14)
                target.reasons.push(reason);
        };
        // The ablation can limit imports to the leader's: runners-up are weaker evidence.
        const imports = signalOn("imports") && (rank === 0 || signalOn("importsBeyondLeader"));
        for (const i of resolveImports(anchor.path, text, index)) {
            boost(i, WEIGHTS.importedBy, `imported by ${anchor.path}`, imports);
        }
        for (const i of resolveComposition(anchor.path, text, index)) {
            boost(i, WEIGHTS.composedInto, `trait or mixin of ${anchor.path}`, signalOn("composition"));
        }
        for (const i of index.siblings(anchor.path)) {
            boost(i, WEIGHTS.sibling, `same name as ${anchor.path}`, signalOn("siblings"));
        }
        for (const i of twins(index, anchor.path, 3)) {
            boost(i, WEIGHTS.twin, `same file name as ${anchor.path}`, signalOn("twins"));
        }
        if (rank < WEIGHTS.sameDirectoryAnchors && signalOn("sameDirectory")) {
            const dir = anchor.path.slice(0, anchor.path.lastIndexOf("/") + 1);
            for (const file of byPath.values()) {
                const own = file.path.slice(0, file.path.lastIndexOf("/") + 1);
                if (own !== dir || file.path === anchor.path)
                    continue;
                file.score += anchor.score * WEIGHTS.sameDirectory;
                if (file.reasons.length < 14)
                    file.reasons.push(`same directory as ${anchor.path}`);
            }
        }
    }
    return [...byPath.values()].sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

;// CONCATENATED MODULE: ./.build/action/context/reference-docs.js
/**
 * The hand-written reference convention. A project that documents its API by hand in
 * reStructuredText (`.. class:: UrlDispatcher()`, `.. method:: add_get(...)`, a setting
 * as a definition-list term: `PAPERLESS_TASK_WORKERS=<num>` over its indented text) has
 * to change that entry when the documented name changes: a new parameter, another
 * default, a type that is not what the page says. A reviewer asks for it as for a
 * changelog entry. Entries Sphinx generates (`.. autoclass::`, `.. autofunction::`,
 * autosummary lists) follow the docstrings and never need a hand, so they do not count.
 *
 * When one of the best files names a compound identifier the issue names and a
 * hand-written reference documents that identifier, the reference joins the ranking
 * right after the file (companions.ts). On 170 Loc-Bench issues it names a page for 3,
 * each changed by the real fix; Markdown headings read as the same evidence named a page
 * for 38 more issues, none of them changed by the fix, and are not read.
 */




const REFERENCE_REASON = "reference: the project documents this name here by hand";
/**
 * A hand-written entry: `.. class:: Name`, `.. py:method:: Name.method(x)`,
 * `.. c:function:: PyObject* PyDict_GetItem(PyObject *p)`; what follows `::` is its
 * signature.
 */
const ENTRY_DIRECTIVE = /^\s*\.\.\s+(?:[a-z]+:)?(?:class|function|method|attribute|data|exception|decorator|property|classmethod|staticmethod|envvar|option|setting|confval|describe|member|macro|type|struct)::\s*(.*)$/;
/** A definition-list term at the margin: `NAME=<num>`, ``name``, `name : type`. */
const TERM_START = /^`{0,2}([A-Za-z_]\w*)/;
/** The issue's names looked for, its weightiest first: an issue can name thousands. */
const MAX_NAMES = 200;
/**
 * The references a ranking's best files go with, for an issue naming `identifiers`:
 * returns, per best file, its companion (at most one: the page documenting the most of
 * the issue's names the file names). Reads each best file and only the reST pages whose
 * scanned words include one of the names.
 */
function referenceCompanions(repoDir, files, identifiers) {
    const names = [...identifiers]
        .filter(([name]) => isCompoundName(name))
        .sort((a, b) => b[1] - a[1])
        .slice(0, MAX_NAMES)
        .map(([name]) => name);
    const pages = files.filter((file) => /\.rst$/i.test(file.path) &&
        !(0,changelog/* isChangelogPath */.On)(file.path) &&
        !isTestPath(file.path) &&
        names.some((name) => (file.contentTf?.get(name.toLowerCase()) ?? 0) > 0));
    if (pages.length === 0)
        return () => [];
    const documentedIn = new Map();
    const documented = (page) => {
        let found = documentedIn.get(page);
        if (found === undefined) {
            found = documentedNames((0,scan_files/* readRepositoryText */.oc)(repoDir, page) ?? "", names);
            documentedIn.set(page, found);
        }
        return found;
    };
    return (anchor) => {
        if (/\.(rst|md)$/i.test(anchor))
            return [];
        const text = (0,scan_files/* readRepositoryText */.oc)(repoDir, anchor);
        if (text === undefined)
            return [];
        const words = new Set(text.match(/[A-Za-z_]\w*/g));
        const named = new Set(names.filter((name) => words.has(name)));
        if (named.size === 0)
            return [];
        let chosen;
        for (const page of pages) {
            let count = 0;
            for (const name of documented(page.path))
                if (named.has(name))
                    count++;
            if (count > (chosen?.count ?? 0))
                chosen = { path: page.path, count };
        }
        return chosen ? [{ path: chosen.path, reason: REFERENCE_REASON }] : [];
    };
}
/** Which of `names` a reST page documents in an entry written by hand. */
function documentedNames(text, names) {
    const wanted = new Set(names);
    const found = new Set();
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? "";
        const entry = ENTRY_DIRECTIVE.exec(line);
        if (entry) {
            const name = documentedName(entry[1] ?? "");
            if (name !== undefined && wanted.has(name))
                found.add(name);
            continue;
        }
        // A definition list: a term at the margin, its definition indented on the next line.
        const term = TERM_START.exec(line);
        if (term && wanted.has(term[1] ?? "") && /^\s+\S/.test(lines[i + 1] ?? "")) {
            found.add(term[1] ?? "");
        }
    }
    return found;
}
/**
 * Names of two sub-words or more (`RequestInfo`, `fill_value`, `TASK_WORKERS`), not
 * dunders: single words (`request`, `Session`) are documented on many pages for reasons
 * of their own.
 */
function isCompoundName(name) {
    return /^[A-Za-z_]\w*$/.test(name) && !/^__\w+__$/.test(name) && (0,tokens/* splitIdentifier */.a0)(name).length > 1;
}
/**
 * The name an entry's signature documents: the last name before its parameters
 * (`PyObject* PyDict_GetItem(PyObject *p)` → `PyDict_GetItem`, `Client.get(url)` →
 * `get`), or without parameters the last part of the last word
 * (`aiohttp.RequestInfo`, `PyObject* PyTypeObject.tp_base` → `tp_base`).
 */
function documentedName(signature) {
    const open = signature.indexOf("(");
    const head = open >= 0 ? signature.slice(0, open) : signature.trim().split(/\s+/).pop();
    return head?.match(/[A-Za-z_]\w*/g)?.pop();
}

;// CONCATENATED MODULE: ./.build/action/context/region-growth.js
/**
 * `regions` each widened by the same number of lines on both sides (clamped to the
 * file), the most that keeps `cost` of the result within `maxTokens`; `regions`
 * unchanged when even one line more would not fit.
 */
function growRegions(lineCount, regions, maxTokens, cost) {
    const widen = (by) => regions.map((region) => ({
        startLine: Math.max(1, region.startLine - by),
        endLine: Math.min(lineCount, region.endLine + by),
        score: region.score,
    }));
    if (regions.length === 0 || cost(widen(1)) > maxTokens)
        return [...regions];
    // Cost grows with the radius, so the largest radius that fits is found by bisection.
    let fits = 1;
    let tooBig = lineCount + 1;
    while (tooBig - fits > 1) {
        const mid = Math.floor((fits + tooBig) / 2);
        if (cost(widen(mid)) <= maxTokens)
            fits = mid;
        else
            tooBig = mid;
    }
    return widen(fits);
}

// EXTERNAL MODULE: ./.build/action/context/scan-pool.js
var scan_pool = __webpack_require__(5187);
// EXTERNAL MODULE: ./.build/protocol/index.js + 10 modules
var protocol = __webpack_require__(9811);
;// CONCATENATED MODULE: ./.build/action/context/tree-summary.js
/**
 * The file tree shown to the model, abridged to a token share when the repository is
 * large: the directories of the ranked files first (where the change will be), then
 * the shallowest paths. The true file count is always reported alongside.
 */


/** The protocol's limit on listed paths. */
const MAX_TREE_PATHS = 20000;
/**
 * Picks the paths to show within `tokenShare`, sorted. `focus` are ranked paths whose
 * directories are listed first.
 */
function abridgeTree(paths, focus, tokenShare) {
    const cost = (path) => (0,protocol/* estimateTokens */.bP)(`"${path}",`);
    let total = 0;
    for (const path of paths)
        total += cost(path);
    if (total <= tokenShare && paths.length <= MAX_TREE_PATHS)
        return [...paths];
    const chosen = new Set();
    let used = 0;
    const take = (path) => {
        if (chosen.has(path))
            return true;
        const c = cost(path);
        if (used + c > tokenShare || chosen.size >= MAX_TREE_PATHS)
            return false;
        chosen.add(path);
        used += c;
        return true;
    };
    const focusDirs = new Set(focus.map((path) => external_node_path_.posix.dirname(path)));
    for (const path of focus)
        if (!take(path))
            break;
    for (const path of paths) {
        if (focusDirs.has(external_node_path_.posix.dirname(path)) && !take(path))
            break;
    }
    const byDepth = [...paths].sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0));
    for (const path of byDepth)
        if (!take(path))
            break;
    return [...chosen].sort();
}

;// CONCATENATED MODULE: ./.build/action/context/build-context.js
/**
 * The context step: list the repository, rank its files for the issue, and fill a
 * token budget with the tree and excerpts of the best files. Anything ranked but left
 * out is listed in `omitted`, so nothing is cut silently. The Action, the CLI and the
 * localization benchmark all go through {@link rankRepository}.
 */




















/** Share of the budget the tree may take. */
const TREE_SHARE = 0.12;
/** Most entries listed in `omitted` (the protocol allows 5000; a prompt needs far fewer). */
const MAX_OMITTED = 300;
/** Most regions shown per file (the protocol allows 100 excerpts; merged regions are fewer). */
const MAX_REGIONS_PER_FILE = 40;
/** Lines shown of a file chosen without any matching line. */
const HEAD_LINES = 30;
/**
 * A file is sent whole when it costs at most this share of the budget divided by its
 * rank (1 for the best file): half the budget for the best, a quarter for the second...
 */
const WHOLE_FILE_SHARE = 0.5;
/**
 * Longest file whose excerpts follow its parsed blocks; longer ones follow definitions
 * and indentation. The plan context shows a few regions of such a file, and parsing it
 * costs more than the rest of the context step (file-regions.ts).
 */
const MAX_PARSED_CHARS = 100_000;
/** Room for the note that says how many regions of a file were left out. */
const NOTE_TOKENS = 24;
/**
 * Ranks the files of a repository for an issue, best first, each with the signals that
 * fired. Throws when `repoDir` is not a readable directory.
 */
async function rankRepository(options) {
    const scanned = await scanRepository(options);
    const ranking = rankScanned(options.repoDir, scanned, options.top ?? 50);
    return {
        ranking,
        paths: scanned.paths,
        excluded: scanned.excluded,
        signals: scanned.signals,
        scan: scanned.scan,
    };
}
/** Lists and reads the repository for the issue (the costly part of ranking). */
async function scanRepository(options) {
    const info = await (0,promises_.stat)(options.repoDir).catch(() => undefined);
    if (!info?.isDirectory())
        throw new Error(`repository directory not found: ${options.repoDir}`);
    const listOptions = options.ignoreFile === undefined ? {} : { ignoreFile: options.ignoreFile };
    const listed = await (0,list_files/* collectRepositoryFiles */.st)(options.repoDir, listOptions);
    const signals = (0,issue_signals/* readIssueSignals */.F)(options.title, options.body);
    const scan = await (0,scan_pool/* scanInPool */.l6)(options.repoDir, listed.paths, scanQuery(signals));
    const paths = scan.files.map((file) => file.path);
    return {
        files: scan.files,
        paths,
        index: new PathIndex(paths),
        excluded: [...listed.excluded, ...scan.skipped],
        signals,
        scan: { threads: scan.threads, workerBatches: scan.workerBatches },
    };
}
/**
 * Scores a scanned repository: signals, proximity, the project's conventions (changelog,
 * hand-written reference); the best `top` files with rounded scores. The benchmark's ablation calls it once per setting.
 */
function rankScanned(repoDir, scanned, top) {
    const { files, paths, index, signals } = scanned;
    const first = rankFiles(files, signals, index);
    const near = applyProximity(repoDir, first, paths, index);
    const changelogs = signalOn("changelog") ? (0,changelog/* changelogsToUpdate */.eB)(repoDir, paths) : [];
    const references = signalOn("reference")
        ? referenceCompanions(repoDir, files, signals.identifiers)
        : () => [];
    const ranking = joinCompanions(near, (anchor) => [
        ...(0,changelog/* changelogCompanion */.Fc)(anchor.path, changelogs),
        ...references(anchor.path),
    ]).slice(0, top);
    for (const file of ranking)
        file.score = Math.round(file.score * 1000) / 1000;
    return ranking;
}
function scanQuery(signals) {
    const identifiers = new Set(signals.identifiers.keys());
    const identifiersLower = new Map();
    for (const name of identifiers)
        if (name.length >= 6)
            identifiersLower.set(name.toLowerCase(), name);
    return {
        terms: new Set(signals.terms.keys()),
        identifiers,
        identifiersLower,
        messages: signals.messages,
        phrases: signals.phrases,
    };
}
/**
 * Builds the context for a plan request within `tokenBudget` (conservative estimate,
 * see {@link estimateTokens}).
 */
async function buildContext(options) {
    const rankOptions = {
        repoDir: options.repoDir,
        title: options.title,
        body: options.body,
        top: Math.max(50, options.maxFiles ?? 12),
    };
    if (options.ignoreFile !== undefined)
        rankOptions.ignoreFile = options.ignoreFile;
    return assembleContext(options, await rankRepository(rankOptions));
}
/** The context for a ranking already made (`issue-agent context` ranks once for both). */
async function assembleContext(options, ranked) {
    const maxFiles = options.maxFiles ?? 12;
    const { ranking, paths, excluded, signals } = ranked;
    const budget = Math.max(0, Math.floor(options.tokenBudget));
    const omitted = [];
    for (const entry of excluded) {
        if (omitted.length >= MAX_OMITTED)
            break;
        // A path too long for a message is left out of the list too; the rest say why.
        if (!/^(binary|dependency folder|path too long|the agent's plan record)$/.test(entry.reason))
            omitted.push(entry);
    }
    const fixedCost = (0,protocol/* estimateTokens */.bP)(JSON.stringify({ omitted, tokenEstimate: budget })) + 16;
    const treePaths = abridgeTree(paths, ranking.slice(0, maxFiles).map((file) => file.path), Math.floor(budget * TREE_SHARE));
    const tree = { paths: treePaths, totalFiles: paths.length };
    let used = fixedCost + (0,protocol/* estimateTokens */.bP)(JSON.stringify(tree));
    // Candidate regions per file, best first; the files are then filled in rank order.
    const identifiers = new Set(signals.identifiers.keys());
    const candidates = [];
    for (const [rank, file] of ranking.slice(0, maxFiles).entries()) {
        const lines = readLines(options.repoDir, file.path);
        const name = file.path.split("/").pop() ?? "";
        const frameLines = signals.frames
            .filter((frame) => frame.line !== undefined && frame.path.split("/").pop() === name)
            .map((frame) => frame.line ?? 0);
        let regions = [];
        /** For a file sent whole: where its evidence is, for a worker that must shorten it. */
        let focus;
        let header;
        if (lines && (0,changelog/* isChangelogPath */.On)(file.path)) {
            // Where a new entry goes, not old entries that share words: the plan needs its
            // place and how entries read, the first region of it (widened below like any).
            regions = (0,changelog/* entryRegions */.M7)(lines.join("\n"))
                .slice(0, 1)
                .map((region) => ({ ...region, score: 0 }));
        }
        else if (lines) {
            // The code a fix changes is often in no matching region (a helper the issue's words
            // never name, the line after the one they hit). A file small for its rank is sent
            // whole instead: the best ranked files are the likeliest to need changing.
            const whole = { startLine: 1, endLine: lines.length, score: Infinity };
            const query = { terms: signals.terms, identifiers, messages: signals.messages, frameLines };
            const matched = await (0,file_regions/* fileRegions */.A)(file.path, lines.join("\n"), query, MAX_PARSED_CHARS);
            if (regionCost(lines, whole) <= (budget * WHOLE_FILE_SHARE) / (rank + 1)) {
                regions = [whole];
                focus = matched;
            }
            else {
                regions = matched;
                // The file's imports, right after its best region: what it takes from where, and
                // where a fix that needs one more import adds it.
                header = (0,import_header/* importHeader */.R)(lines);
                regions = (0,import_header/* withImportHeader */.H)(regions, header);
            }
            // Chosen for its path or name alone: show how the file starts.
            if (regions.length === 0) {
                regions = [{ startLine: 1, endLine: Math.min(lines.length, HEAD_LINES), score: 0 }];
            }
        }
        candidates.push({ file, lines, regions, focus, header });
    }
    // Files are filled in rank order, each within its share of what is left (RankedShares).
    const shares = new protocol/* RankedShares */.m7(candidates.length);
    const sent = [];
    for (const candidate of candidates) {
        const share = shares.next(budget - used);
        const header = (0,protocol/* estimateTokens */.bP)(JSON.stringify({
            path: candidate.file.path,
            score: candidate.file.score,
            reasons: candidate.file.reasons,
            excerpts: [],
        })) + NOTE_TOKENS;
        const lines = candidate.lines;
        const best = candidate.regions[0];
        const firstCost = best && lines ? regionCost(lines, best) : 0;
        if (!lines || used + header + firstCost > budget) {
            const entry = { path: candidate.file.path, reason: lines ? "token budget" : "unreadable" };
            omitted.push(entry);
            used += (0,protocol/* estimateTokens */.bP)(JSON.stringify(entry)) + 1;
            continue;
        }
        // The best region even beyond the share (as long as the budget lasts), then further
        // regions while the share lasts, then all of them widened into what remains of it.
        used += header + firstCost;
        const chosen = best ? [best] : [];
        let cost = firstCost;
        const room = share - header;
        for (const region of candidate.regions.slice(1, MAX_REGIONS_PER_FILE)) {
            const more = regionCost(lines, region);
            if (cost + more > room || used + more > budget)
                continue;
            cost += more;
            used += more;
            chosen.push(region);
        }
        // The import block is shown, not evidence: a worker that must shorten keeps evidence.
        const evidence = candidate.focus ?? chosen.filter((region) => region !== candidate.header);
        const focus = evidence.slice(0, protocol/* MAX_CONTEXT_FOCUS */.MS);
        used += focusCost(focus);
        const grown = grow(lines, chosen, cost, Math.min(room, budget - used + cost));
        used += grown.cost - cost;
        sent.push({ candidate, lines, chosen: grown.regions, focus });
    }
    const files = [];
    for (const { candidate, lines, chosen, focus } of sent) {
        const excerpts = (0,context_excerpts/* mergeExcerpts */.RU)(lines, chosen);
        const left = candidate.regions.filter((region) => !excerpts.some((e) => e.startLine <= region.startLine && region.endLine <= e.endLine)).length;
        const entry = {
            path: candidate.file.path,
            score: candidate.file.score,
            reasons: candidate.file.reasons.map(clipReason),
            excerpts,
            ...(focus.length > 0
                ? { focus: focus.map(({ startLine, endLine }) => ({ startLine, endLine })) }
                : {}),
        };
        if (left > 0)
            entry.reasons.push(`${left} more matching region(s) left out (token budget or per-file limit)`);
        files.push(entry);
    }
    const context = { files, omitted, tree };
    // The sums above over-count; this guarantees the bound whatever the JSON overhead.
    let tokenEstimate = (0,protocol/* estimateTokens */.bP)(JSON.stringify(context));
    while (tokenEstimate > budget && files.length > 0) {
        const last = files.pop();
        if (last)
            omitted.push({ path: last.path, reason: "token budget" });
        tokenEstimate = (0,protocol/* estimateTokens */.bP)(JSON.stringify(context));
    }
    // A budget too small even for the tree: list fewer paths (totalFiles stays true).
    while (tokenEstimate > budget && tree.paths.length > 0) {
        tree.paths.splice(Math.floor(tree.paths.length / 2));
        tokenEstimate = (0,protocol/* estimateTokens */.bP)(JSON.stringify(context));
    }
    return {
        ...context,
        tokenEstimate,
        ranking: ranking.map(({ path, score, reasons }) => ({ path, score, reasons })),
    };
}
/** A reason within what a message carries (one naming a very long path, say). */
function clipReason(reason) {
    return reason.length <= protocol/* MAX_REASON_CHARS */.oJ ? reason : `${reason.slice(0, protocol/* MAX_REASON_CHARS */.oJ - 1)}…`;
}
/** `regions` widened within `maxTokens` (they cost `cost` now), and what they then cost. */
function grow(lines, regions, cost, maxTokens) {
    const grown = growRegions(lines.length, regions, maxTokens, (r) => excerptsCost(lines, r));
    const same = grown.every((r, i) => r.startLine === regions[i]?.startLine && r.endLine === regions[i]?.endLine);
    return same ? { regions: grown, cost } : { regions: grown, cost: excerptsCost(lines, grown) };
}
/** What merged excerpts of `regions` cost, as {@link regionCost} counts them. */
function excerptsCost(lines, regions) {
    return (0,context_excerpts/* mergeExcerpts */.RU)(lines, regions).reduce((sum, excerpt) => sum + regionCost(lines, { ...excerpt, score: 0 }), 0);
}
/** What a file's focus list adds to the request. */
function focusCost(focus) {
    return focus.length === 0
        ? 0
        : (0,protocol/* estimateTokens */.bP)(JSON.stringify(focus.map(({ startLine, endLine }) => ({ startLine, endLine })))) + 4;
}
function regionCost(lines, region) {
    // JSON escaping and the excerpt's fields, counted conservatively.
    const text = lines.slice(region.startLine - 1, region.endLine).join("\n");
    return (0,protocol/* estimateTokens */.bP)(JSON.stringify({ startLine: region.startLine, endLine: region.endLine, text }));
}
function readLines(repoDir, path) {
    const text = (0,scan_files/* readRepositoryText */.oc)(repoDir, path);
    if (text === undefined)
        return undefined;
    const lines = (0,redact_secrets/* redactSecrets */.fp)(text).text.split("\n");
    // A final newline ends the last line; it does not start another (a region must never
    // name a line the file does not have).
    if (lines.length > 1 && lines[lines.length - 1] === "")
        lines.pop();
    return lines;
}


/***/ }),

/***/ 8371:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fc: () => (/* binding */ changelogCompanion),
/* harmony export */   M7: () => (/* binding */ entryRegions),
/* harmony export */   On: () => (/* binding */ isChangelogPath),
/* harmony export */   eB: () => (/* binding */ changelogsToUpdate)
/* harmony export */ });
/* unused harmony export CHANGELOG_REASON */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/**
 * The changelog convention. Many projects want every change recorded in a changelog
 * file, and a fix that leaves it out gets sent back in review. A maintainer knows the
 * project's habit; here it is read from the changelog itself: when it opens with a
 * pending section ("Unreleased", "Upcoming", "in development") that already lists
 * entries, contributors add to it as they go. (Contributing guides
 * were tried as evidence and dropped: they mix what contributors do with what the
 * release process does, and named the changelog in projects whose fixes never touch it.)
 *
 * Projects that collect entries as separate new files (`changelog/`, `changes/`,
 * `newsfragments/`, `.changeset/`) never edit the changelog itself in a change, so they
 * are left alone. When the convention holds, the changelog nearest to each of the best
 * files joins the ranking right after that file.
 */


const CHANGELOG_REASON = "changelog: the project records each change here";
const CHANGELOG_NAME = /^(change[-_]?log|changes|history|news|releases?|release[-_]?notes|whats[-_]?new)(\.(md|markdown|rst|txt|adoc))?$/i;
const FRAGMENT_DIR = /(^|\/)(changelog|changes|newsfragments|\.changeset|changelog\.d)\//i;
/** Headings that name changes not yet released. */
const PENDING_HEADING = /\b(unreleased|upcoming|in development|under development|not yet released|unpublished)\b/i;
/**
 * A list entry: `- Fix x (#123)`, `* Templates use Bootstrap 4`. Entries need not cite a
 * pull request: Keep a Changelog projects often write them bare (measured on Loc-Bench,
 * requiring a citation missed four fixes' changelogs and spared no wrong one).
 */
const ENTRY = /^\s*[-*+]\s/;
/** "- None.", "* Nothing yet": an empty section's stand-in, not an entry. */
const PLACEHOLDER_ENTRY = /^\s*[-*+]\s+\W*(none|nothing|n\/a|tbd|todo)\b[^a-z]*$/i;
/** An entry in GitHub's generated release notes. */
const GENERATED_ENTRY = /\bby \[?@[\w-]+\]?(\([^)\s]*\))? in https?:\/\/\S+\/pull\/\d+/;
/** How far into the file the pending section and the release before it are read. */
const HEAD_LINES = 80;
/**
 * Paths of changelogs the project expects each change to update, given every listed
 * path. Reads only the head of each changelog.
 */
function changelogsToUpdate(repoDir, paths) {
    if (paths.some((path) => FRAGMENT_DIR.test(path)))
        return [];
    const changelogs = paths.filter((path) => isChangelogPath(path));
    if (changelogs.length === 0)
        return [];
    return changelogs.filter((path) => {
        const head = readHead(repoDir, path, HEAD_LINES);
        return head !== undefined && opensWithPendingEntries(head);
    });
}
/**
 * The companion a best file has by this convention: the changelog nearest to it (by
 * shared directory), unless it is a changelog itself.
 */
function changelogCompanion(anchor, changelogs) {
    if (changelogs.length === 0 || changelogs.includes(anchor))
        return [];
    const nearest = nearestChangelog(anchor, changelogs);
    return nearest ? [{ path: nearest, reason: CHANGELOG_REASON }] : [];
}
function isChangelogPath(path) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (!CHANGELOG_NAME.test(name))
        return false;
    // A top-level changelog, one per package (`crate/CHANGELOG.md`) or in the docs folder.
    const depth = path.split("/").length - 1;
    return (depth === 0 ||
        (depth === 1 && !/^(test|tests|spec|vendor|node_modules)\//i.test(path)) ||
        /^docs?\/[^/]+$/i.test(path));
}
/** A changelog's lines offered to the code step per region, and in all. */
const ENTRY_REGION_LINES = 30;
const ENTRY_SECTION_LINES = 150;
/**
 * Where a change's entry goes in a changelog: its first release section (the pending
 * one, or else the latest release) from the top of the file, as regions of at most 30
 * lines in file order, up to 150 lines. The entry goes there whatever the change is, so
 * the issue's and the plan's words, which point at older entries like it, cannot find
 * the place; the model needs to see it to add to it.
 */
function entryRegions(text) {
    const lines = text.split("\n", HEAD_LINES + ENTRY_SECTION_LINES);
    let sectionLevel;
    let end = lines.length;
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? "";
        const level = headingLevel(line, lines[i + 1] ?? "");
        if (level === undefined)
            continue;
        if (sectionLevel === undefined) {
            if (i < HEAD_LINES && (PENDING_HEADING.test(line) || /\d+\.\d+/.test(line)))
                sectionLevel = level;
        }
        else if (endsSection(level, sectionLevel)) {
            end = i;
            break;
        }
    }
    const last = Math.min(end, ENTRY_SECTION_LINES);
    const regions = [];
    for (let start = 1; start <= last; start += ENTRY_REGION_LINES)
        regions.push({ startLine: start, endLine: Math.min(last, start + ENTRY_REGION_LINES - 1) });
    return regions;
}
/** The changelog in the deepest directory that contains `path`. */
function nearestChangelog(path, changelogs) {
    let chosen;
    let depth = -1;
    for (const changelog of changelogs) {
        const dir = changelog.slice(0, changelog.lastIndexOf("/") + 1);
        // A changelog under docs/ speaks for the whole project, like a top-level one.
        const scope = /^docs?\/$/i.test(dir) ? "" : dir;
        if (!path.startsWith(scope) || scope.length <= depth)
            continue;
        chosen = changelog;
        depth = scope.length;
    }
    return chosen;
}
/**
 * The first heading names a pending release, and entries are written by hand: in the
 * pending section itself or, when it is still empty ("- None."), in the release just
 * before it. An entry is a list item with its indented continuation lines (a citation
 * often sits on the second line). Release notes generated from pull-request titles
 * ("* Title by @user in https://…/pull/1") are a release tool's work, not a
 * contributor's, and do not count.
 */
function opensWithPendingEntries(head) {
    const lines = head.split("\n");
    let pendingLevel;
    let sectionsAfter = 0;
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? "";
        const level = headingLevel(line, lines[i + 1] ?? "");
        if (level !== undefined && pendingLevel !== undefined) {
            if (endsSection(level, pendingLevel) && ++sectionsAfter > 1)
                return false;
            continue;
        }
        if (level !== undefined) {
            if (PENDING_HEADING.test(line))
                pendingLevel = level;
            // A first heading naming a released version: nothing is pending.
            else if (/\d+\.\d+/.test(line))
                return false;
            continue;
        }
        if (pendingLevel !== undefined && ENTRY.test(line) && isHandWritten(entryAt(lines, i))) {
            return true;
        }
    }
    return false;
}
/** The list item starting at `start` with the indented lines that continue it. */
function entryAt(lines, start) {
    const parts = [lines[start] ?? ""];
    for (let i = start + 1; i < lines.length; i++) {
        const line = lines[i] ?? "";
        if (!/^\s+\S/.test(line) || ENTRY.test(line))
            break;
        parts.push(line.trim());
    }
    return parts.join(" ");
}
function isHandWritten(entry) {
    return !GENERATED_ENTRY.test(entry) && !PLACEHOLDER_ENTRY.test(entry);
}
/** `#`, `##`... for Markdown headings, the underline character for reStructuredText. */
function headingLevel(line, next) {
    const hashes = /^(#{1,6})\s/.exec(line);
    if (hashes)
        return hashes[1];
    const underline = /^([=~^*+-])\1{2,}\s*$/.exec(next);
    if (underline && line.trim() !== "" && !/^\s*[-*+]\s/.test(line))
        return underline[1];
    return undefined;
}
function endsSection(level, pending) {
    if (level.startsWith("#") && pending.startsWith("#"))
        return level.length <= pending.length;
    return level === pending;
}
function readHead(repoDir, path, lines) {
    try {
        const text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(repoDir, path), "utf8");
        return text.split("\n", lines).join("\n");
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 971:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RU: () => (/* binding */ mergeExcerpts),
/* harmony export */   p1: () => (/* binding */ regionsAround),
/* harmony export */   ud: () => (/* binding */ lineEvidence)
/* harmony export */ });
/* unused harmony exports excerptRegions, regionText */
/* harmony import */ var _definitions_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6711);
/* harmony import */ var _tokens_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8491);
/**
 * Excerpts that follow the ranking: the lines where the issue's evidence is (frame
 * lines, definitions of mentioned symbols, verbatim messages, dense query terms), each
 * widened to its enclosing function or class, rather than the first N lines of a file.
 * Block boundaries come from definitions and indentation, which holds for indented and
 * braced languages alike (the closing brace sits at the opening line's indentation).
 */


/** Longest block shown whole; longer ones are cut to a window around the evidence. */
const MAX_BLOCK_LINES = 80;
const WINDOW_BEFORE = 12;
const WINDOW_AFTER = 28;
/**
 * Candidate regions of a file, best first, not overlapping. Every region is a whole
 * enclosing block or a window around evidence inside a long block.
 */
function excerptRegions(text, query, blocks) {
    return regionsAround(lineEvidence(text, query), blocks);
}
/** Scores every line of `text` for the query (the cheap half of {@link excerptRegions}). */
function lineEvidence(text, query) {
    const lines = text.split("\n");
    const lineScores = new Float64Array(lines.length);
    const lineOf = lineIndexer(text);
    for (const line of query.frameLines) {
        if (line >= 1 && line <= lines.length)
            lineScores[line - 1] = (lineScores[line - 1] ?? 0) + 10;
    }
    const definitionLines = [];
    for (const definition of (0,_definitions_js__WEBPACK_IMPORTED_MODULE_0__/* .findDefinitions */ .C)(text)) {
        const line = lineOf(definition.offset);
        definitionLines.push(line);
        if (query.identifiers.has(definition.name))
            lineScores[line] = (lineScores[line] ?? 0) + 8;
    }
    lines.forEach((line, i) => {
        let score = 0;
        for (const message of query.messages)
            if (line.includes(message))
                score += 8;
        const seen = new Set();
        for (const word of line.match(/[A-Za-z_$][\w$]*/g) ?? []) {
            if (query.identifiers.has(word) && !seen.has(word))
                score += 2;
            for (const part of (0,_tokens_js__WEBPACK_IMPORTED_MODULE_1__/* .splitIdentifier */ .a0)(word)) {
                if (seen.has(part))
                    continue;
                seen.add(part);
                score += Math.min(query.terms.get(part) ?? 0, 3) * 0.3;
            }
        }
        lineScores[i] = (lineScores[i] ?? 0) + score;
    });
    definitionLines.sort((a, b) => a - b);
    const hits = [...lineScores.keys()]
        .filter((i) => (lineScores[i] ?? 0) >= 1)
        .sort((a, b) => (lineScores[b] ?? 0) - (lineScores[a] ?? 0) || a - b);
    return { lines, scores: lineScores, definitionLines, hits };
}
/**
 * The regions around the evidence's hits, each the innermost parsed block holding it
 * (with `blocks`) or the block that definitions and indentation put around it.
 */
function regionsAround(evidence, blocks) {
    const { lines, scores: lineScores, definitionLines } = evidence;
    const regions = [];
    const covered = new Uint8Array(lines.length);
    for (const hit of evidence.hits.slice(0, 200)) {
        if (covered[hit])
            continue;
        const [start, end] = (blocks && innermostBlock(blocks, hit)) ?? enclosingBlock(lines, definitionLines, hit);
        let from = start;
        let to = end;
        if (to - from + 1 > MAX_BLOCK_LINES) {
            from = Math.max(start, hit - WINDOW_BEFORE);
            to = Math.min(end, hit + WINDOW_AFTER);
        }
        let score = 0;
        for (let i = from; i <= to; i++) {
            if (!covered[i])
                score += lineScores[i] ?? 0;
            covered[i] = 1;
        }
        regions.push({ startLine: from + 1, endLine: to + 1, score: score / Math.sqrt(to - from + 1) });
    }
    return regions.sort((a, b) => b.score - a.score || a.startLine - b.startLine);
}
/** The text of a region (1-based, inclusive lines). */
function regionText(lines, region) {
    return {
        startLine: region.startLine,
        endLine: region.endLine,
        text: lines.slice(region.startLine - 1, region.endLine).join("\n"),
    };
}
/** Orders excerpts by position and merges touching ones. */
function mergeExcerpts(lines, regions) {
    const sorted = [...regions].sort((a, b) => a.startLine - b.startLine);
    const merged = [];
    for (const region of sorted) {
        const last = merged[merged.length - 1];
        if (last && region.startLine <= last.endLine + 1) {
            last.endLine = Math.max(last.endLine, region.endLine);
        }
        else
            merged.push({ ...region });
    }
    return merged.map((region) => regionText(lines, region));
}
/**
 * The smallest parsed definition (of at least three lines: not a one-line lambda) that
 * contains row `hit`, with decorators already part of the node in most grammars.
 */
function innermostBlock(blocks, hit) {
    let best;
    for (const block of blocks) {
        if (block.startRow > hit || block.endRow < hit || block.endRow - block.startRow < 2)
            continue;
        if (!best || block.endRow - block.startRow < best.endRow - best.startRow)
            best = block;
    }
    return best ? [best.startRow, best.endRow] : undefined;
}
/**
 * The innermost definition above `hit` whose block, of three lines or more, reaches it;
 * the block ends before the first later non-blank line indented no deeper than the
 * definition (a closing brace at that indentation is included). Without one, a window
 * around the hit.
 */
function enclosingBlock(lines, definitionLines, hit) {
    const hitIndent = indentOf(lines[hit] ?? "");
    for (let d = upperBound(definitionLines, hit) - 1; d >= 0; d--) {
        const start = definitionLines[d] ?? 0;
        if (hit - start > 2000)
            break;
        const indent = indentOf(lines[start] ?? "");
        if (start !== hit && indent >= hitIndent && (lines[hit] ?? "").trim() !== "")
            continue;
        const end = blockEnd(lines, start, indent);
        // As with parsed blocks, a definition of one or two lines is too small to show alone.
        if (end >= hit && end - start >= 2)
            return [includeDecorators(lines, start), end];
    }
    return [Math.max(0, hit - 5), Math.min(lines.length - 1, hit + 10)];
}
function blockEnd(lines, start, indent) {
    let last = start;
    for (let i = start + 1; i < lines.length; i++) {
        const line = lines[i] ?? "";
        if (line.trim() === "")
            continue;
        const lineIndent = indentOf(line);
        if (lineIndent <= indent) {
            // A continuation of the signature (`) -> int:`) or the closing brace/`end`.
            if (/^\s*([)\]}]|end\b)/.test(line))
                return i;
            return last;
        }
        last = i;
    }
    return last;
}
function includeDecorators(lines, start) {
    let s = start;
    while (s > 0 && /^\s*(@|#\[|\[\w)/.test(lines[s - 1] ?? ""))
        s--;
    return s;
}
function indentOf(line) {
    let n = 0;
    for (const ch of line) {
        if (ch === " ")
            n++;
        else if (ch === "\t")
            n += 4;
        else
            break;
    }
    return n;
}
function upperBound(sorted, value) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sorted[mid] ?? 0) <= value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
function lineIndexer(text) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1))
        starts.push(i + 1);
    return (offset) => upperBound(starts, offset) - 1;
}


/***/ }),

/***/ 635:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  A: () => (/* binding */ fileRegions)
});

// EXTERNAL MODULE: ./.build/action/context/excerpts.js
var excerpts = __webpack_require__(971);
;// CONCATENATED MODULE: ./.build/action/context/doc-blocks.js
/** Shorter blocks stay with their code: moving them saves less than a range costs. */
const MIN_DOC_LINES = 6;
/** The best regions, whose documentation stays in place. */
const DOCS_KEPT_IN_PLACE = 3;
/**
 * 1-based inclusive line spans of documentation blocks of MIN_DOC_LINES lines or more,
 * from a parse's comment and docstring nodes (syntax-blocks.ts), adjacent ones joined.
 */
function docSpans(docs) {
    const joined = [];
    for (const doc of [...docs].sort((a, b) => a.startRow - b.startRow)) {
        const last = joined[joined.length - 1];
        if (last && doc.startRow <= last.endRow + 1)
            last.endRow = Math.max(last.endRow, doc.endRow);
        else
            joined.push({ ...doc });
    }
    return joined
        .filter((s) => s.endRow - s.startRow + 1 >= MIN_DOC_LINES)
        .map((s) => ({ startLine: s.startRow + 1, endLine: s.endRow + 1 }));
}
/**
 * `regions` (best first) with the documentation inside all but the best
 * DOCS_KEPT_IN_PLACE of them moved after every region's code, in the same order.
 */
function codeBeforeDocs(regions, docs) {
    const code = [];
    const prose = [];
    regions.forEach((region, rank) => {
        const inside = docs.filter((d) => d.startLine <= region.endLine && d.endLine >= region.startLine);
        if (rank < DOCS_KEPT_IN_PLACE || inside.length === 0) {
            code.push({ ...region });
            return;
        }
        let next = region.startLine;
        for (const doc of inside) {
            if (doc.startLine > next)
                code.push({ ...region, startLine: next, endLine: doc.startLine - 1 });
            prose.push({
                ...region,
                startLine: Math.max(doc.startLine, region.startLine),
                endLine: Math.min(doc.endLine, region.endLine),
            });
            next = doc.endLine + 1;
        }
        if (next <= region.endLine)
            code.push({ ...region, startLine: next, endLine: region.endLine });
    });
    return [...code, ...prose];
}

// EXTERNAL MODULE: ./.build/action/parsing/index.js + 5 modules
var parsing = __webpack_require__(2345);
;// CONCATENATED MODULE: ./.build/action/context/syntax-blocks.js

// Node types naming definitions across the grammars (python, js/ts, go, java, c/c++,
// rust, ruby, php): `function_definition`, `method_declaration`, `impl_item`, `class`...
const DEFINITION_TYPE = /^(?:(?:async_)?(?:function|method|class|struct|interface|trait|impl|enum|module|constructor|type|namespace|union|generator_function|abstract_class|decorated|singleton_method)_(?:definition|declaration|item|specifier)|method|class|module|singleton_method|singleton_class|arrow_function|function_expression|lexical_declaration)$/;
/** Blocks that enclose lines this long or longer are not useful as a whole. */
const MAX_WALK_NODES = 200_000;
const COMMENT_TYPE = /comment/;
/**
 * {@link FileBlocks} of a source file from one walk of its tree, or undefined when the
 * file's language has no grammar or parsing fails.
 */
async function fileBlocks(path, text) {
    let parsed;
    try {
        parsed = await (0,parsing/* parseSource */.PJ)(path, text);
    }
    catch {
        return undefined;
    }
    if (!parsed)
        return undefined;
    const python = parsed.language === "python";
    let lines;
    const rowText = (row) => (lines ??= text.split("\n"))[row] ?? "";
    try {
        const definitions = [];
        const docs = [];
        let visited = 0;
        const cursor = parsed.root.walk();
        // Depth-first over named nodes, without recursion (deep trees exist).
        let descend = true;
        // The cursor's own getters are read rather than `currentNode`: building a Node object
        // for every node of a large file cost more than the parse itself.
        for (;;) {
            let leaf = false;
            if (descend) {
                visited++;
                const type = cursor.nodeType;
                if (DEFINITION_TYPE.test(type)) {
                    const startRow = cursor.startPosition.row;
                    const endRow = cursor.endPosition.row;
                    // Top-level `const f = () => {}` counts; a one-line lexical declaration does not.
                    if (endRow > startRow)
                        definitions.push({ startRow, endRow });
                }
                else if (COMMENT_TYPE.test(type) ||
                    (python && type === "expression_statement" && holdsOnlyString(cursor))) {
                    leaf = true;
                    const start = cursor.startPosition;
                    const end = cursor.endPosition;
                    if (rowText(start.row).slice(0, start.column).trim() === "") {
                        const codeAfter = rowText(end.row).slice(end.column).trim() !== "";
                        docs.push({ startRow: start.row, endRow: codeAfter ? end.row - 1 : end.row });
                    }
                }
            }
            if (visited > MAX_WALK_NODES)
                break;
            if (descend && !leaf && cursor.gotoFirstChild())
                continue;
            if (cursor.gotoNextSibling()) {
                descend = true;
                continue;
            }
            if (!cursor.gotoParent())
                break;
            descend = false;
        }
        cursor.delete();
        return { definitions, docs: docs.filter((d) => d.endRow >= d.startRow) };
    }
    finally {
        parsed.dispose();
    }
}
/** Whether the statement under the cursor is a string alone (a docstring); the cursor stays. */
function holdsOnlyString(cursor) {
    if (!cursor.gotoFirstChild())
        return false;
    const type = cursor.nodeType;
    const alone = !cursor.gotoNextSibling();
    cursor.gotoParent();
    return alone && (type === "string" || type === "concatenated_string");
}

;// CONCATENATED MODULE: ./.build/action/context/file-regions.js
/**
 * A file's excerpt regions for a query, parsing the file only where the parse can change
 * them. A file with no evidence has no regions whatever its blocks; a file longer than
 * `maxParsedChars` is cut by definitions and indentation (excerpts.ts) instead, because
 * tree-sitter's time grows with the text and, under the Liftoff-only compiler the CLI
 * and the Action run with, reaches 0.2–0.5 s for one large C header or generated source
 * (redis's 174 KB `server.h`: 0.23 s; nlohmann's 920 KB `json.hpp`: 0.43 s; sympy's
 * 471 KB rubi rules: 0.48 s). In a parsed file, the documentation inside all but the
 * best regions comes after every region's code (doc-blocks.ts).
 */



async function fileRegions(path, text, query, maxParsedChars = Infinity) {
    const evidence = (0,excerpts/* lineEvidence */.ud)(text, query);
    if (evidence.hits.length === 0)
        return [];
    const blocks = text.length <= maxParsedChars ? await fileBlocks(path, text) : undefined;
    const regions = (0,excerpts/* regionsAround */.p1)(evidence, blocks?.definitions);
    return blocks ? codeBeforeDocs(regions, docSpans(blocks.docs)) : regions;
}


/***/ }),

/***/ 9148:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ withImportHeader),
/* harmony export */   R: () => (/* binding */ importHeader)
/* harmony export */ });
/**
 * A line that imports, includes or declares the file's package, in the common languages:
 * Python `import` / `from … import`, Java/Kotlin/Scala/Go/JS/TS `import` and `package`,
 * C/C++ `#include`, Rust `use`/`extern crate`/`mod x;`, PHP `namespace`/`use`/`require`,
 * Ruby `require`, C# `using`, CommonJS `const x = require(…)`. At the start of the line
 * only: an indented `use` is a PHP trait or a Rust import inside a function.
 */
const IMPORT_LINE = /^(?:import\b|from\s+[\w.]+\s+import\b|package\s|#\s*include\b|#\s*import\b|(?:pub(?:\([\w:]+\))?\s+)?use\s|extern\s+crate\b|mod\s+\w+;|namespace\s|require(?:_relative|_once)?\b|include(?:_once)?\s|using\s+[\w.]+\s*;|(?:const|let|var)\s+[\w{}\s,]+=\s*require\()/;
/** How far into a file the import block is looked for. */
const SCAN_LINES = 400;
/** Lines of other code between two imports that end the block (a function, a class). */
const MAX_GAP = 12;
/** Longest import statement followed to its closing bracket (a braced PHP namespace is none). */
const MAX_STATEMENT_LINES = 80;
/**
 * The lines (1-based, inclusive) from the file's first import to the last one that
 * follows it without a longer stretch of other code in between; a statement spanning
 * lines (`from x import (`, Go's `import (`) runs to its closing bracket, within
 * {@link MAX_STATEMENT_LINES}. Undefined when the file starts with no imports. Each line
 * of the first {@link SCAN_LINES} is measured once, whatever the file holds.
 */
function importHeader(lines) {
    const limit = Math.min(lines.length, SCAN_LINES);
    const balances = [];
    const balance = (row) => (balances[row] ??= bracketBalance(lines[row] ?? ""));
    let first = -1;
    let last = -1;
    let sinceLast = 0;
    /** Brackets left open by the statement being read, and the row it starts on. */
    let open = 0;
    let statement = -1;
    for (let row = 0; row < limit || open > 0; row++) {
        if (open > 0) {
            if (row < limit && row - statement < MAX_STATEMENT_LINES) {
                open += balance(row);
                if (open <= 0)
                    [open, last] = [0, row];
                continue;
            }
            // Never closed (a braced namespace, a stray bracket): the statement is its first
            // line, and the lines after it are read again as lines of their own.
            [open, last, row] = [0, statement, statement + 1];
            if (row >= limit)
                break;
        }
        const line = lines[row] ?? "";
        if (IMPORT_LINE.test(line)) {
            if (first < 0)
                first = row;
            statement = row;
            open = Math.max(0, balance(row));
            if (open === 0)
                last = row;
            sinceLast = 0;
        }
        else if (first >= 0 && line.trim() !== "" && ++sinceLast > MAX_GAP)
            break;
    }
    return first < 0 ? undefined : { startLine: first + 1, endLine: last + 1, score: 0 };
}
/**
 * `regions` (best first) with the import block placed right after the best of them: the
 * one place that says where a file's imports rank among its regions, for the plan
 * context and the code request alike.
 */
function withImportHeader(regions, header) {
    return header ? [...regions.slice(0, 1), header, ...regions.slice(1)] : [...regions];
}
/** Opening minus closing brackets on a line. */
function bracketBalance(line) {
    let balance = 0;
    for (const ch of line) {
        if (ch === "(" || ch === "{")
            balance++;
        else if (ch === ")" || ch === "}")
            balance--;
    }
    return balance;
}


/***/ }),

/***/ 322:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ readIssueSignals)
/* harmony export */ });
/* unused harmony export stackFrames */
/* harmony import */ var _tokens_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8491);
/**
 * What an issue says about where the code is, read the way a maintainer reads it:
 * stack-trace frames, paths and file names, qualified names (modules, classes,
 * namespaces), identifiers, quoted error messages, and weighted search terms.
 */

const FILE_EXT = "[A-Za-z][A-Za-z0-9_+-]{0,9}";
const PATH_RE = new RegExp(`(?:[A-Za-z]:)?(?:[\\w.@+-]*[\\\\/])*[\\w@+-][\\w.@+-]*\\.${FILE_EXT}(?![\\w/])`, "g");
/** File extensions that mean "this token is a file", not a version or a domain. */
const SOURCE_EXTENSIONS = new Set(("py pyi pyx pxd js jsx mjs cjs ts tsx mts cts vue svelte java kt kts scala groovy go rs " +
    "c h cc cpp cxx hpp hh hxx m mm cs fs swift rb rake erb php phtml lua pl pm r jl ex exs " +
    "erl hrl clj hs ml mli dart zig nim sh bash zsh ps1 sql proto thrift graphql gql json " +
    "yml yaml toml ini cfg conf xml html htm css scss sass less md rst txt tex " +
    "gradle cmake mk mak dockerfile tpl twig blade liquid hbs mustache").split(/\s+/));
/**
 * Reads an issue's title and body into ranking signals. Pure: no file system access.
 */
function readIssueSignals(title, rawBody) {
    // Bodies typed in GitHub's editor arrive with CRLF line ends, which `.` and `$` in the
    // patterns below do not cross. HTML comments are issue-template guidance GitHub never
    // shows; they say nothing about this issue.
    const body = dropPackageListings(rawBody
        .replace(/\r\n?/g, "\n")
        .replace(/<!--[\s\S]*?(-->|$)/g, " ")
        // "- [x] I have searched the existing issues", "- [X] I've read the contributing
        // guide (link)": an issue template's pledges, the same in every issue of the project.
        .replace(TEMPLATE_PLEDGE, ""))
        // A fence's language tag (```python) names the highlighting, not the code.
        .replace(/^([ \t>]*(?:```+|~~~+))[^\n`]*$/gm, "$1");
    const text = `${title}\n${body}`;
    const frames = stackFrames(text);
    const framePaths = new Set(frames.map((frame) => frame.path));
    const paths = [];
    for (const match of text.matchAll(PATH_RE)) {
        const path = normalisePath(match[0]);
        const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
        if (!SOURCE_EXTENSIONS.has(ext) || framePaths.has(match[0]))
            continue;
        // `foo.py` counts; `e.g`, `v1.2` and `www.example.com` do not.
        if (!path.includes("/") && /^(www|e|i|v\d)/i.test(path))
            continue;
        if (!paths.includes(path))
            paths.push(path);
    }
    const spans = codeSpans(body);
    const identifiers = new Map();
    const addIdentifier = (name, weight) => {
        if (name.length < 3 || (0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .isStopWord */ .l6)(name.toLowerCase()))
            return;
        identifiers.set(name, (identifiers.get(name) ?? 0) + weight);
    };
    for (const name of (0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .identifiersIn */ .UX)(title))
        if (looksLikeCode(name, title))
            addIdentifier(name, 3);
    for (const name of (0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .identifiersIn */ .UX)(body))
        if (looksLikeCode(name, body))
            addIdentifier(name, 1);
    // A span that is just a name (`refine()`, `Matrix.col_insert`) is the issue pointing at
    // code; inside longer spans only what reads as code counts (output and banners do not).
    for (const span of spans) {
        const bare = /^\s*[A-Za-z_$][\w$.:]*(\(\))?\s*$/.test(span);
        for (const name of (0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .identifiersIn */ .UX)(span)) {
            if (name.length < 3)
                continue;
            if (bare)
                addIdentifier(name, 1);
            else if (looksLikeCode(name, span))
                addIdentifier(name, 0.5);
        }
    }
    for (const frame of frames)
        if (frame.symbol)
            addIdentifier(frame.symbol, 1);
    // A method called in code is a name even when short or a common word (`$d->is(...)`,
    // `x.to(...)`); the length and stop-word filters are for prose.
    for (const span of spans) {
        for (const match of span.matchAll(/(?:->|\.|::)([A-Za-z_]\w?)\(/g)) {
            const name = match[1] ?? "";
            identifiers.set(name, (identifiers.get(name) ?? 0) + 0.5);
        }
    }
    // Command-line and configuration names written as code (`--import-mode`,
    // `max-line-length`) are read by code under their snake_case or camelCase spelling.
    for (const match of text.matchAll(/(?:--|`)([a-z][a-z0-9]*(?:-[a-z0-9]+)+)/g)) {
        const parts = (match[1] ?? "").split("-");
        addIdentifier(parts.join("_"), 1);
        addIdentifier(parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join(""), 1);
    }
    const qualifiedNames = [];
    const seenQualified = new Set();
    const addQualified = (parts) => {
        const key = parts.join(".");
        if (parts.length < 2 || seenQualified.has(key))
            return;
        // `setup.py` is read as a path above; read as a module too, it finds nothing, but
        // `format="ascii.rst"` names the module ascii/rst.py.
        const fileLike = parts.length === 2 && SOURCE_EXTENSIONS.has((parts[1] ?? "").toLowerCase());
        seenQualified.add(key);
        qualifiedNames.push(parts);
        if (fileLike)
            return;
        // Components of `a.b.Cls.method` name symbols too: the last most surely.
        parts.forEach((part, i) => {
            const last = i === parts.length - 1;
            if (looksLikeCode(part, "") || (last && /^[A-Z]/.test(part)))
                addIdentifier(part, last ? 0.5 : 0.3);
        });
    };
    // Links are addresses, not code; their paths with extensions were read above.
    const prose = text.replace(/\b[a-z][a-z+.-]*:\/\/\S+/gi, " ");
    for (const match of prose.matchAll(/[A-Za-z_$][\w$]*(?:(?:\.|::|\\{1,2}|#)[A-Za-z_$][\w$]*)+/g)) {
        addQualified(match[0].split(/\.|::|\\{1,2}|#/).filter((part) => part.length > 0));
    }
    // `from a.b import C, D` (Python) names a.b.C and a.b.D.
    for (const match of prose.matchAll(/\bfrom\s+([\w.]+)\s+import\s+([\w, ]+)/g)) {
        const base = (match[1] ?? "").split(".").filter((part) => part !== "");
        for (const name of (match[2] ?? "").split(",")) {
            const clean = name.trim().split(/\s+/)[0] ?? "";
            if (/^\w+$/.test(clean))
                addQualified([...base, clean]);
        }
    }
    // Slash-separated names without an extension: `Style/RedundantSelf`, `src/compiler/lexer`.
    for (const match of prose.matchAll(/(?<![\w./-])[A-Za-z_][\w-]*(?:\/[A-Za-z_][\w-]*)+(?![\w./])/g)) {
        const parts = match[0].split("/");
        if (parts.some((part) => /[A-Z_]/.test(part) || part.length > 2))
            addQualified(parts);
    }
    const terms = new Map();
    for (const term of (0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .termsOf */ .fd)(title))
        terms.set(term, (terms.get(term) ?? 0) + 2);
    // A link's words are an address (a site, a slug, a commit), not the reporter's: the
    // paths it names were read above.
    for (const term of (0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .termsOf */ .fd)(body.replace(URL_RE, " ")))
        terms.set(term, (terms.get(term) ?? 0) + 1);
    const lowerTitle = title.toLowerCase();
    return {
        phrases: wordPairs(`${title}\n${body.replace(/```[\s\S]*?```/g, "\n")}`),
        frames,
        paths,
        qualifiedNames,
        identifiers,
        messages: errorMessages(text, spans),
        innermostFrameLast: /most recent call last/i.test(text),
        terms,
        aboutTests: /\b(tests?|unit ?tests?|test suite|testing|spec|specs)\b/.test(lowerTitle),
        aboutDocs: /\b(docs?|documentation|docstring|readme|typo|changelog)\b/.test(lowerTitle),
    };
}
/** `aiohttp   3.6.2`, `numpy==1.19.0`, `rails (7.0.4)`: one installed package per line. */
const PACKAGE_LINE = /^\s*[@\w][\w.\-/@]*(\s+|==|@|\s*\()v?\d+(\.\d+)+\S*\)?(\s+\S+)?\s*$/;
/**
 * Drops code blocks that list installed packages and their versions (`pip list`,
 * `conda list`, `npm ls`, `gem list`): hundreds of names of other projects that would
 * drown the issue's own words. Tracebacks and logs in the same issue stay.
 */
function dropPackageListings(body) {
    return body.replace(/```[^\n]*\n([\s\S]*?)```/g, (block, inner) => {
        const lines = inner.split("\n").filter((line) => line.trim() !== "");
        if (lines.length < 8)
            return block;
        const listed = lines.filter((line) => PACKAGE_LINE.test(line)).length;
        return listed >= lines.length * 0.6 ? "\n" : block;
    });
}
/** A task-list line in the first person: what a template asks every reporter to confirm. */
const TEMPLATE_PLEDGE = /^[ \t>]*[-*+][ \t]+\[[ xX]\][ \t]+(\*\*)?(I|I'(ve|m|d)|I’(ve|m|d)|We|My|Yes)\b.*$/gm;
/** A web address (`https://…`), up to whitespace or the bracket or quote that ends it. */
const URL_RE = /\b[a-z][a-z+.-]*:\/\/[^\s)\]>"'`]+/gi;
/** Most word pairs kept: the title's come first. */
const MAX_PHRASES = 80;
/** Adjacent prose words, neither a stop word, joined: candidates for a compound name. */
function wordPairs(text) {
    const phrases = new Map();
    // "the `Dataset` repr" is a phrase too: backticks mark code, not a break.
    for (const sentence of text.replace(/`/g, " ").split(/[\n.;:!?,()[\]{}"]+/)) {
        const words = sentence.split(/\s+/).filter((word) => word !== "");
        for (let i = 0; i + 1 < words.length && phrases.size < MAX_PHRASES; i++) {
            const [a = "", b = ""] = [words[i], words[i + 1]];
            if (!/^[A-Za-z]{3,}$/.test(a) || !/^[A-Za-z]{3,}$/.test(b))
                continue;
            if ((0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .isStopWord */ .l6)(a.toLowerCase()) || (0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .isStopWord */ .l6)(b.toLowerCase()))
                continue;
            phrases.set(`${a}${b}`.toLowerCase(), `${a} ${b}`);
        }
    }
    return phrases;
}
/** `./a/b.py`, `a\\b.py`, `b/a/b.py` (diff prefix) → `a/b.py`. */
function normalisePath(raw) {
    return raw
        .replace(/\\+/g, "/")
        .replace(/^[A-Za-z]:/, "")
        .replace(/^(\.\/)+/, "");
}
/**
 * An identifier looks like code when it is compound (snake_case, camelCase, digits),
 * is called (`name(`), or is quoted in backticks.
 */
function looksLikeCode(name, context) {
    if (name.includes("_") && /[A-Za-z]/.test(name.replace(/_/g, "")))
        return true;
    if (/[a-z][A-Z]|[A-Z]{2,}[a-z]|[A-Z][a-z]+[A-Z]/.test(name))
        return true;
    if ((0,_tokens_js__WEBPACK_IMPORTED_MODULE_0__/* .splitIdentifier */ .a0)(name).length > 1 && /\d/.test(name) && /[A-Za-z]{3}/.test(name))
        return true;
    if (context === "")
        return false;
    const escaped = name.replace(/\$/g, "\\$");
    return new RegExp(`(?:\`${escaped}\\b|\\b${escaped}\\(|[.:]${escaped}\\b)`).test(context);
}
/** Inline code and fenced blocks (their contents). */
function codeSpans(text) {
    const spans = [];
    for (const match of text.matchAll(/```[^\n]*\n([\s\S]*?)```/g))
        spans.push(match[1] ?? "");
    const withoutFences = text.replace(/```[\s\S]*?```/g, " ");
    for (const match of withoutFences.matchAll(/`([^`\n]{2,200})`/g))
        spans.push(match[1] ?? "");
    return spans;
}
/**
 * Stack frames in the formats of the common runtimes: Python (`File "x", line n, in f`),
 * Java/Kotlin (`at a.b.C.m(C.java:12)`), JavaScript (`at f (x.js:1:2)`), Ruby
 * (`x.rb:12:in 'm'`), and the generic `path.ext:line` of Go, Rust, C and compilers.
 */
function stackFrames(text) {
    const frames = [];
    const seen = new Set();
    const add = (path, line, symbol) => {
        const normalised = normalisePath(path.trim());
        const key = `${normalised}:${line ?? ""}:${symbol ?? ""}`;
        if (seen.has(key) || normalised.length === 0)
            return;
        seen.add(key);
        const frame = { path: normalised, depth: frames.length };
        if (line !== undefined)
            frame.line = line;
        if (symbol !== undefined && /^[A-Za-z_$][\w$]*$/.test(symbol))
            frame.symbol = symbol;
        frames.push(frame);
    };
    for (const match of text.matchAll(/File "([^"\n]+)", line (\d+)(?:, in ([\w<>$]+))?/g)) {
        add(match[1] ?? "", Number(match[2]), match[3]);
    }
    for (const match of text.matchAll(/\bat ((?:[\w$]+\.)+)([\w$<>]+)\(([\w$]+\.(?:java|kt|scala|groovy)):(\d+)\)/g)) {
        // `com.acme.Foo.bar(Foo.java:12)` → com/acme/Foo.java
        const owner = (match[1] ?? "").replace(/\.$/, "").split(".");
        owner.pop();
        const dir = owner.filter((part) => /^[a-z]/.test(part)).join("/");
        add(dir ? `${dir}/${match[3] ?? ""}` : (match[3] ?? ""), Number(match[4]), match[2]);
    }
    for (const match of text.matchAll(/\bat (?:(?:async )?([\w$.<>]+) \()?((?:[A-Za-z]:)?[^\s():]+\.[A-Za-z]{1,5}):(\d+)(?::\d+)?\)?/g)) {
        const symbol = match[1]?.split(".").pop();
        add(match[2] ?? "", Number(match[3]), symbol);
    }
    for (const match of text.matchAll(/((?:[A-Za-z]:)?[\w.@/\\+-]*[\w@+-]\.(?:rb|go|rs|c|cc|cpp|h|hpp|php|py|js|ts|tsx|jsx|mjs|java|kt|swift|cs|lua|ex|exs|scala|zig)):(\d+)(?::\d+)?(?::in [`'"]?(?:[\w:]+[#.])?([\w?!]+))?/g)) {
        add(match[1] ?? "", Number(match[2]), match[3]);
    }
    for (const match of text.matchAll(/((?:[A-Za-z]:)?[\w.@/\\+-]*[\w@+-]\.(?:php|rb|py)) (?:on )?line (\d+)/g)) {
        add(match[1] ?? "", Number(match[2]), undefined);
    }
    return frames;
}
/**
 * Error messages and quoted strings long enough to be distinctive, split at the parts
 * a program fills in (quoted values, numbers), so the constant text can be found in
 * the source verbatim.
 */
function errorMessages(text, spans) {
    const candidates = [];
    for (const match of text.matchAll(/^[ \t>]*(?:[\w.$]*(?:Error|Exception|Warning|Panic|panic|Fatal|FATAL|ERROR|WARN(?:ING)?|error|warning|fatal))(?:\[[\w-]+\])?:\s*(.{8,300})$/gm)) {
        candidates.push(match[1] ?? "");
    }
    for (const match of text.matchAll(/"([^"\n]{12,200})"|'([^'\n]{12,200})'/g)) {
        candidates.push(match[1] ?? match[2] ?? "");
    }
    for (const span of spans) {
        for (const line of span.split("\n")) {
            // A diagnostic after its location (`docs/x.rst:4: Malformed ...`, `a.c:3:7: ...`).
            const located = /\S:\d+:(?:\d+:)?\s*(.{12,300})$/.exec(line);
            if (located?.[1] !== undefined)
                candidates.push(located[1]);
            if (/\b(error|exception|warning|failed|invalid|cannot|can't|unable|must|expected)\b/i.test(line)) {
                candidates.push(line);
            }
        }
    }
    const fragments = new Set();
    for (const candidate of candidates) {
        for (const piece of candidate.split(/['"`]|\b0x[0-9a-f]+\b|\b\d+(?:\.\d+)*\b|[()[\]{}<>]|\s{2,}/i)) {
            const fragment = piece.trim().replace(/[.:,;]+$/, "");
            if (fragment.length >= 12 && /\s/.test(fragment) && /[a-z]{3}/i.test(fragment)) {
                fragments.add(fragment);
            }
        }
    }
    return [...fragments].slice(0, 40);
}


/***/ }),

/***/ 867:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ow: () => (/* binding */ DEFAULT_IGNORE_FILE),
/* harmony export */   st: () => (/* binding */ collectRepositoryFiles)
/* harmony export */ });
/* unused harmony export listRepositoryFiles */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7975);
/* harmony import */ var ignore__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(298);
/* harmony import */ var _protocol_index_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9811);
/* harmony import */ var _file_filters_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(7485);
/**
 * The repository's file list: what git tracks when the directory is a work tree, a
 * walk that honours .gitignore files otherwise. Symlinks are never followed (a link
 * could point anywhere on the runner), and a project ignore file in gitignore syntax
 * removes more.
 */








const execFileAsync = (0,node_util__WEBPACK_IMPORTED_MODULE_4__.promisify)(node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile);
/** The ignore file honoured by default, in gitignore syntax, at the repository root. */
const DEFAULT_IGNORE_FILE = ".ai-agent-ignore";
/**
 * Lists the files of a repository that may go into a context, sorted.
 * See {@link collectRepositoryFiles} for the excluded ones too.
 */
async function listRepositoryFiles(repoDir, options = {}) {
    return (await collectRepositoryFiles(repoDir, options)).paths;
}
/**
 * Lists the files of a repository and says which were excluded and why. Uses
 * `git ls-files` in a git work tree, a .gitignore-aware walk otherwise.
 */
async function collectRepositoryFiles(repoDir, options = {}) {
    const fromGit = await gitFiles(repoDir);
    const raw = fromGit ?? walkFiles(repoDir, options.maxFiles ?? 2_000_000);
    const projectIgnore = loadProjectIgnoreFile(repoDir, options.ignoreFile ?? DEFAULT_IGNORE_FILE);
    const vendored = (0,_file_filters_js__WEBPACK_IMPORTED_MODULE_7__/* .packageManagerVendorDirs */ .Q3)(raw.map((entry) => entry.path));
    const paths = [];
    const excluded = [];
    for (const entry of raw) {
        if ((0,_file_filters_js__WEBPACK_IMPORTED_MODULE_7__/* .isInsideAny */ .jX)(entry.path, vendored)) {
            excluded.push({ path: entry.path, reason: "dependency folder" });
            continue;
        }
        if (entry.symlink) {
            excluded.push({ path: entry.path, reason: "symlink (not followed)" });
            continue;
        }
        // A message carries no longer path (a generated fixture nested deep enough); such a
        // file is left out, never the whole context.
        if (entry.path.length > _protocol_index_js__WEBPACK_IMPORTED_MODULE_6__/* .MAX_PATH_CHARS */ .jI) {
            excluded.push({ path: entry.path, reason: "path too long" });
            continue;
        }
        if (projectIgnore?.ignores(entry.path)) {
            excluded.push({ path: entry.path, reason: "listed in the ignore file" });
            continue;
        }
        const reason = (0,_file_filters_js__WEBPACK_IMPORTED_MODULE_7__/* .exclusionReason */ .VL)(entry.path);
        if (reason)
            excluded.push({ path: entry.path, reason });
        else
            paths.push(entry.path);
    }
    paths.sort();
    return { paths, excluded };
}
async function gitFiles(repoDir) {
    try {
        const top = await execFileAsync("git", ["-C", repoDir, "rev-parse", "--show-prefix"], {
            encoding: "utf8",
        });
        // A directory nested inside some other work tree (e.g. a scratch checkout under a
        // repository) is not itself a repository root: walk it instead.
        if (top.stdout.trim() !== "")
            return undefined;
        // `-s` gives the mode, which tells symlinks (120000) apart without a stat per file.
        const { stdout } = await execFileAsync("git", ["-C", repoDir, "ls-files", "-z", "-s", "--cached", "--exclude-standard"], { encoding: "utf8", maxBuffer: 1 << 30 });
        const out = [];
        const seen = new Set();
        for (const record of stdout.split("\0")) {
            const tab = record.indexOf("\t");
            if (tab < 0)
                continue;
            const path = record.slice(tab + 1);
            if (seen.has(path))
                continue; // merge stages list a path more than once
            seen.add(path);
            out.push({ path, symlink: record.startsWith("120000") });
        }
        const others = await execFileAsync("git", ["-C", repoDir, "ls-files", "-z", "--others", "--exclude-standard"], { encoding: "utf8", maxBuffer: 1 << 30 });
        for (const path of others.stdout.split("\0")) {
            if (path === "" || seen.has(path))
                continue;
            const stat = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.lstat)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(repoDir, path)).catch(() => undefined);
            if (stat)
                out.push({ path, symlink: stat.isSymbolicLink() });
        }
        return out;
    }
    catch {
        return undefined;
    }
}
function loadIgnoreFile(file) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(file))
        return undefined;
    return ignore__WEBPACK_IMPORTED_MODULE_5__().add((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(file, "utf8"));
}
/**
 * The project's ignore file, read only where it really lies inside the repository: a
 * symlink (or `../` in the setting) pointing elsewhere on the runner is refused rather
 * than read or skipped, since skipping it would send the files it was written to keep
 * out. A link to another file of the repository is read through.
 */
function loadProjectIgnoreFile(repoDir, name) {
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(repoDir, name);
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(file, { throwIfNoEntry: false })) {
        // The default file is optional; one named on purpose keeps files from the model, and
        // a misspelt name would send them without a word.
        if (name === DEFAULT_IGNORE_FILE)
            return undefined;
        throw new Error(`The ignore file \`${name}\` does not exist in the repository, so the files it would keep from the model would be sent. Create it, or correct its name (the workflow's \`ignore-file\` input; \`--ignore-file\` for the CLI).`);
    }
    // Resolved whole: a link anywhere on the way (the file, or a folder above it) counts,
    // and so does a workspace that itself lies behind a link (a runner's _work on a disk).
    const real = realpathOrUndefined(file);
    if (real === undefined) {
        throw new Error(`The ignore file ${JSON.stringify(name)} is a symlink to nothing. Make it a regular file inside the repository, or set ignore-file to one.`);
    }
    if (!isWithin((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(repoDir), real)) {
        throw new Error(`The ignore file ${JSON.stringify(name)} resolves outside the repository (${isWithin((0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(repoDir), file) ? "a symlink pointing out of it" : "a path outside it"}). Make it a regular file inside the repository, or set ignore-file to one.`);
    }
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(real).isFile()) {
        throw new Error(`The ignore file ${JSON.stringify(name)} is not a regular file. Make it a file in gitignore syntax, or set ignore-file to one.`);
    }
    return loadIgnoreFile(real);
}
/** Whether `path` lies strictly inside the folder `root` (both absolute). */
function isWithin(root, path) {
    const inside = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.relative)(root, path);
    return inside !== "" && inside !== ".." && !inside.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_3__.sep}`) && !(0,node_path__WEBPACK_IMPORTED_MODULE_3__.isAbsolute)(inside);
}
function realpathOrUndefined(file) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(file);
    }
    catch {
        return undefined;
    }
}
/**
 * Depth-first walk with one `ignore` matcher per directory that has a .gitignore,
 * matched against paths relative to that directory, as git does. Synchronous on
 * purpose: a walk of many small directories spends more time hopping between the
 * event loop and the thread pool than reading.
 */
function walkFiles(repoDir, maxFiles) {
    const out = [];
    const rules = [];
    const ignored = (relative, isDir) => {
        for (const { base, matcher } of rules) {
            if (base !== "" && !relative.startsWith(`${base}/`))
                continue;
            const local = base === "" ? relative : relative.slice(base.length + 1);
            if (matcher.ignores(isDir ? `${local}/` : local))
                return true;
        }
        return false;
    };
    const visit = (relativeDir) => {
        const absolute = relativeDir === "" ? repoDir : (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(repoDir, relativeDir);
        const entries = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(absolute, { withFileTypes: true });
        // Read .gitignore only where the listing shows one (no stat per directory).
        const hasGitignore = entries.some((entry) => entry.name === ".gitignore" && entry.isFile());
        const gitignore = hasGitignore ? loadIgnoreFile((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(absolute, ".gitignore")) : undefined;
        if (gitignore)
            rules.push({ base: relativeDir, matcher: gitignore });
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            if (out.length >= maxFiles)
                break;
            if (entry.name === ".git")
                continue;
            const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
            if (entry.isSymbolicLink()) {
                if (!ignored(relative, false))
                    out.push({ path: relative, symlink: true });
            }
            else if (entry.isDirectory()) {
                if (!ignored(relative, true))
                    visit(relative);
            }
            else if (entry.isFile()) {
                if (!ignored(relative, false))
                    out.push({ path: relative, symlink: false });
            }
        }
        if (gitignore)
            rules.pop();
    };
    visit("");
    return out;
}


/***/ }),

/***/ 7262:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  XF: () => (/* binding */ REDACTED),
  fp: () => (/* binding */ redactSecrets),
  J7: () => (/* binding */ secretLinesIn),
  et: () => (/* binding */ secretLiteralsIn)
});

;// CONCATENATED MODULE: ./.build/action/context/encoded-secrets.js
/**
 * Known secrets printed encoded. Code the model wrote runs in the check's copy of the
 * tree, and a test may print a file it can read as base64 or hex (line-wrapped, from any
 * byte on), past every pattern and literal. Each run of base64 or hex characters in the
 * text is decoded, at each alignment, and a run whose bytes hold a known secret is
 * reported whole. Other encodings (a cipher, reversed text, a hex dump in groups such as
 * `xxd` or `od` print by default) are not caught: see docs/security.md.
 */
/** A run of base64 (standard or URL-safe) or hex characters within a line. */
const ENCODED_RUN = /[A-Za-z0-9+/_=-]{12,}/g;
/** A line that is nothing but such characters: a piece of a wrapped block. */
const ENCODED_LINE = /^[A-Za-z0-9+/_=-]+$/;
const HEX = /^[0-9a-fA-F]+$/;
const HEX_STRETCH = /[0-9a-fA-F]{12,}/g;
/** Shorter secrets are too likely to turn up in decoded noise. */
const MIN_SECRET_BYTES = 6;
/** The [start, end) ranges of `text` that encode one of `secrets`. */
function encodedSecretRanges(text, secrets) {
    const wanted = [...new Set(secrets)]
        .map((s) => Buffer.from(s, "utf8"))
        .filter((b) => b.length >= MIN_SECRET_BYTES);
    if (wanted.length === 0)
        return [];
    const holdsSecret = (chars) => decodings(chars).some((bytes) => wanted.some((secret) => bytes.includes(secret)));
    const found = [];
    ENCODED_RUN.lastIndex = 0;
    for (let m = ENCODED_RUN.exec(text); m; m = ENCODED_RUN.exec(text)) {
        if (holdsSecret(m[0]))
            found.push([m.index, m.index + m[0].length]);
    }
    for (const block of wrappedBlocks(text)) {
        if (holdsSecret(block.chars))
            found.push([block.start, block.end]);
    }
    return found;
}
/**
 * Blocks of lines that are wrapped encoded text, as `base64` and `xxd -p` print it: every
 * line nothing but encoded characters, all as long as the first (at least 16) but the
 * last, which may be shorter. Read as one text, since a secret may straddle a wrap.
 */
function wrappedBlocks(text) {
    const blocks = [];
    const lines = [];
    let at = 0;
    for (const line of text.split("\n")) {
        // Indented lines too (a test runner indents what the code logs).
        lines.push({ start: at, end: at + line.replace(/\r$/, "").length, text: line.trim() });
        at += line.length + 1;
    }
    for (let i = 0; i < lines.length;) {
        const first = lines[i];
        const width = first.text.length;
        let j = i + 1;
        if (width >= 16 && ENCODED_LINE.test(first.text)) {
            while (j < lines.length && ENCODED_LINE.test(lines[j].text)) {
                const length = lines[j].text.length;
                if (length > width)
                    break;
                j++;
                if (length < width)
                    break; // the last, shorter line
            }
        }
        if (j - i >= 2) {
            const last = lines[j - 1];
            blocks.push({
                start: first.start,
                end: last.end,
                chars: lines
                    .slice(i, j)
                    .map((l) => l.text)
                    .join(""),
            });
        }
        i = j;
    }
    return blocks;
}
/** Every reading of `chars`: base64 from each of 4 character offsets, hex from 2. */
function decodings(chars) {
    const out = [];
    const base64 = chars.replace(/-/g, "+").replace(/_/g, "/").replace(/=+/g, "");
    for (let offset = 0; offset < 4; offset++)
        out.push(Buffer.from(base64.slice(offset), "base64"));
    // Hex: the whole run, or each hex stretch inside it (`x=4150…`, `data-4150…`).
    for (const hex of HEX.test(chars) ? [chars] : (chars.match(HEX_STRETCH) ?? [])) {
        for (let offset = 0; offset < 2; offset++) {
            const even = hex.slice(offset, offset + ((hex.length - offset) & ~1));
            out.push(Buffer.from(even, "hex"));
        }
    }
    return out;
}

// EXTERNAL MODULE: ./node_modules/@secretlint/secretlint-rule-preset-recommend/module/index.js
var secretlint_rule_preset_recommend_module = __webpack_require__(1577);
;// CONCATENATED MODULE: ./.build/action/context/provider-tokens.js
const PROVIDER_TOKENS = [
    { provider: "DigitalOcean", keywords: ["_v1_"], body: "do[opr]_v1_[a-f0-9]{64}" },
    {
        provider: "PlanetScale",
        keywords: ["pscale_"],
        body: "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}",
    },
    { provider: "Pulumi", keywords: ["pul-"], body: "pul-[a-f0-9]{40}" },
    {
        provider: "Doppler",
        keywords: ["dp."],
        body: "dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}",
    },
    { provider: "Sentry", keywords: ["sntrys_", "sntryu_"], body: "sntry[su]_[A-Za-z0-9+/=_]{40,}" },
    {
        provider: "Supabase",
        keywords: ["sbp_", "sb_secret_"],
        body: "(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,})",
    },
    {
        provider: "Terraform Cloud",
        keywords: ["atlasv1"],
        body: "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}",
    },
    {
        provider: "New Relic",
        keywords: ["nrak-", "nrii-", "nrjs-"],
        body: "NR(?:AK|II|JS)-[A-Za-z0-9]{19,32}",
    },
    { provider: "Dynatrace", keywords: ["dt0c01"], body: "dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}" },
    {
        provider: "Mapbox secret token",
        keywords: ["sk.eyj"],
        body: "sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}",
    },
    {
        provider: "Square",
        keywords: ["eaaa", "sq0atp-", "sq0csp-"],
        body: "(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43})",
    },
    { provider: "Postman", keywords: ["pmak-"], body: "PMAK-[a-f0-9]{24}-[a-f0-9]{34}" },
    {
        provider: "Atlassian / Bitbucket",
        keywords: ["atatt3", "atbb"],
        body: "(?:ATATT3[A-Za-z0-9_=-]{150,}|ATBB[A-Za-z0-9_=.-]{32})",
    },
    { provider: "Heroku", keywords: ["hrku-"], body: "HRKU-[A-Za-z0-9_-]{40,}" },
    {
        provider: "Fly.io",
        keywords: ["fo1_", "flyv1"],
        body: "(?:fo1_[A-Za-z0-9_-]{43}|FlyV1 fm\\d_[A-Za-z0-9+/=_,-]{40,})",
    },
    { provider: "Clojars", keywords: ["clojars_"], body: "CLOJARS_[a-z0-9]{60}" },
    { provider: "RubyGems", keywords: ["rubygems_"], body: "rubygems_[a-f0-9]{48}" },
    { provider: "NuGet", keywords: ["oy2"], body: "oy2[a-z0-9]{43}" },
    { provider: "Alibaba Cloud key id", keywords: ["ltai"], body: "LTAI[A-Za-z0-9]{12,20}" },
    {
        provider: "Google OAuth",
        keywords: ["gocspx-", "ya29.", "1//0"],
        body: "(?:GOCSPX-[A-Za-z0-9_-]{28}|ya29\\.[A-Za-z0-9_-]{30,}|1//0[A-Za-z0-9_-]{40,})",
    },
    {
        provider: "Microsoft Entra client secret",
        keywords: ["q~"],
        body: "[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}",
    },
    { provider: "Prefect", keywords: ["pnu_"], body: "pnu_[A-Za-z0-9]{36}" },
    { provider: "ReadMe", keywords: ["rdme_"], body: "rdme_[a-z0-9]{70}" },
    { provider: "Netlify", keywords: ["nfp_"], body: "nfp_[A-Za-z0-9]{36,40}" },
    { provider: "Buildkite", keywords: ["bkua_"], body: "bkua_[a-f0-9]{40}" },
    { provider: "CircleCI", keywords: ["ccipat_"], body: "CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}" },
    { provider: "JFrog Artifactory", keywords: ["akcp"], body: "AKCp[A-Za-z0-9]{69}" },
    { provider: "Replicate", keywords: ["r8_"], body: "r8_[A-Za-z0-9]{37}" },
    { provider: "xAI", keywords: ["xai-"], body: "xai-[A-Za-z0-9]{80}" },
    { provider: "Perplexity", keywords: ["pplx-"], body: "pplx-[A-Za-z0-9]{48}" },
    { provider: "LangSmith", keywords: ["lsv2_"], body: "lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}" },
    { provider: "Resend", keywords: ["re_"], body: "re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}" },
    { provider: "Shippo", keywords: ["shippo_"], body: "shippo_(?:live|test)_[a-f0-9]{40}" },
    { provider: "Typeform", keywords: ["tfp_"], body: "tfp_[A-Za-z0-9_.=-]{59}" },
    { provider: "Flutterwave", keywords: ["flwseck"], body: "FLWSECK(?:_TEST)?-[a-h0-9]{32}-X" },
    { provider: "EasyPost", keywords: ["ezak", "eztk"], body: "EZ[AT]K[A-Za-z0-9]{54}" },
    { provider: "Airtable", keywords: ["pat"], body: "pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}" },
    {
        provider: "Sourcegraph",
        keywords: ["sgp_"],
        body: "sgp_(?:[a-f0-9]{16}_|local_)?[a-f0-9]{40}",
    },
    {
        provider: "Harness",
        keywords: ["pat."],
        body: "pat\\.[A-Za-z0-9_-]{22}\\.[a-f0-9]{24}\\.[A-Za-z0-9]{20}",
    },
    {
        provider: "Plaid",
        keywords: ["access-sandbox-", "access-development-", "access-production-"],
        body: "access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    },
    {
        provider: "Firebase Cloud Messaging",
        keywords: [":apa91b"],
        body: "AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}",
    },
    { provider: "Mailchimp", keywords: ["-us"], body: "[0-9a-f]{32}-us[0-9]{1,2}" },
    { provider: "Dropbox", keywords: ["sl."], body: "sl\\.(?:u\\.)?[A-Za-z0-9_-]{130,}" },
    {
        provider: "Infisical",
        keywords: ["st."],
        body: "st\\.[a-f0-9-]{36}\\.[a-f0-9]{32}\\.[a-f0-9]{32}",
    },
    {
        provider: "Defined Networking",
        keywords: ["dnkey-"],
        body: "dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}",
    },
    { provider: "Octopus Deploy", keywords: ["api-"], body: "API-(?=[A-Z]*[0-9])[A-Z0-9]{26}" },
    { provider: "Stripe webhook secret", keywords: ["whsec_"], body: "whsec_[A-Za-z0-9+/]{32,}" },
    { provider: "Pinecone", keywords: ["pcsk_"], body: "pcsk_[A-Za-z0-9_]{50,}" },
    { provider: "ElevenLabs", keywords: ["sk_"], body: "sk_[a-f0-9]{48}" },
    {
        provider: "Braintree",
        keywords: ["access_token$"],
        body: "access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}\\$[a-f0-9]{32}",
    },
    { provider: "Adobe", keywords: ["p8e-"], body: "p8e-[A-Za-z0-9]{32}" },
    { provider: "Contentful", keywords: ["cfpat-"], body: "CFPAT-[A-Za-z0-9_-]{43}" },
    { provider: "Azure DevOps", keywords: ["azdo"], body: "[A-Za-z0-9]{52}AZDO[A-Za-z0-9]{4}" },
    {
        provider: "HubSpot",
        keywords: ["pat-na1-", "pat-eu1-"],
        body: "pat-(?:na|eu)1-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
    },
    { provider: "Yandex Cloud", keywords: ["aqvn"], body: "AQVN[A-Za-z0-9_-]{35,38}" },
];
/**
 * A token's pattern: matched only where it is not part of a longer run of token
 * characters (a base64 blob or a hash that happens to hold a prefix).
 */
function providerTokenPattern(token) {
    return new RegExp(`(?<![A-Za-z0-9_+/=.~-])(?:${token.body})(?![A-Za-z0-9_+/=~-])`, "g");
}

;// CONCATENATED MODULE: ./.build/action/context/secret-rules.js
/**
 * Where the secrets are in a text: the ranges that redaction replaces.
 *
 * Two layers. The maintained one is secretlint's recommended preset
 * (@secretlint/secretlint-rule-preset-recommend, MIT): provider token formats (AWS, GCP
 * service-account JSON, GitHub, GitLab, Slack tokens and webhooks, npm, Stripe, OpenAI,
 * Anthropic, SendGrid, Shopify, Hugging Face, Groq, Linear, Notion, Grafana, 1Password,
 * Vault, Vercel, Databricks, Docker, Figma, Cloudflare, Tailscale), validated private-key
 * blocks, URL and database connection-string passwords. Its rules are plain objects whose
 * `file` handler scans the text synchronously and reports ranges, so they run here through
 * a minimal rule context, without secretlint's asynchronous engine (context building and
 * redaction are synchronous). Its `filter-comments` rule is left out on purpose: it lets a
 * `secretlint-disable` comment in the scanned text switch scanning off, and the text is
 * untrusted.
 *
 * The hand-written layer ({@link HAND_RULES}) covers only what the preset lacks: secrets
 * assigned to secret-named keys in code, `.env`, YAML, JSON and TOML (quoted or not; short
 * password values too), passwords on command lines (`--password`, MySQL's `-p`), JWTs,
 * passwords in URLs of any scheme (amqps://, redis://, …), Authorization headers, npm
 * `_authToken`/`_auth`/`_password` outside `.npmrc` files, private-key blocks that are cut
 * off or not valid keys, OpenAI keys without the `T3BlbkFJ` marker, GCP API keys, Azure
 * storage account keys, Discord webhooks, Telegram bot tokens, age secret keys, PyPI
 * tokens, and the provider token formats of ./provider-tokens.ts (DigitalOcean, Sentry,
 * Supabase, Google OAuth, … wherever they stand, a bare argument included). test/bench/secrets measures both layers against planted secrets and secret-free
 * code.
 */


/**
 * Strings (lower case) without one of which a rule cannot match: a rule whose keywords
 * are all absent from the text is not run (as gitleaks does with its rules' keywords).
 * Read off each rule's patterns; a rule not listed always runs. The corpus test checks
 * that each family is still found by the rule expected to find it.
 */
const PRESET_KEYWORDS = {
    // Its secret-access-key pattern: (AWS_)SECRET_?ACCESS_?KEY = <40 characters>.
    "@secretlint/secretlint-rule-aws": ["secretaccess", "secret_access"],
    "@secretlint/secretlint-rule-gcp": ["private_key"],
    "@secretlint/secretlint-rule-npm": ["npm_", "_authtoken", "x-oauth-basic"],
    "@secretlint/secretlint-rule-slack": [
        "xoxb",
        "xoxp",
        "xapp",
        "xoxa",
        "xoxo",
        "xoxr",
        "hooks.slack.com",
    ],
    "@secretlint/secretlint-rule-basicauth": ["://"],
    "@secretlint/secretlint-rule-openai": ["t3blbkfj"],
    "@secretlint/secretlint-rule-anthropic": ["sk-ant-api0"],
    "@secretlint/secretlint-rule-groq": ["gsk_"],
    "@secretlint/secretlint-rule-huggingface": ["hf_"],
    "@secretlint/secretlint-rule-linear": ["lin_api_"],
    "@secretlint/secretlint-rule-notion": ["ntn_"],
    "@secretlint/secretlint-rule-privatekey": ["private key"],
    "@secretlint/secretlint-rule-sendgrid": ["sg."],
    "@secretlint/secretlint-rule-shopify": ["shppa_", "shpca_", "shpat_", "shpss_"],
    "@secretlint/secretlint-rule-stripe": ["sk_live", "sk_test", "rk_live", "rk_test"],
    "@secretlint/secretlint-rule-github": ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    "@secretlint/secretlint-rule-gitlab": ["glpat-"],
    "@secretlint/secretlint-rule-grafana": ["glc_", "glsa_"],
    "@secretlint/secretlint-rule-1password": ["ops_"],
    "@secretlint/secretlint-rule-database-connection-string": ["mongodb", "mysql", "postgres"],
    "@secretlint/secretlint-rule-hashicorp-vault": ["hvs.", "hvb.", "hvr."],
    "@secretlint/secretlint-rule-vercel": ["vcp_", "vci_", "vca_", "vcr_", "vck_"],
    "@secretlint/secretlint-rule-databricks": ["dapi"],
    "@secretlint/secretlint-rule-docker": ["dckr_pat_"],
    "@secretlint/secretlint-rule-figma": ["figd_"],
    "@secretlint/secretlint-rule-cloudflare": ["cfk_", "cfut_", "cfat_"],
    "@secretlint/secretlint-rule-tailscale": ["tskey-"],
};
function mayMatch(present, keywords) {
    return keywords === undefined || keywords.some((k) => present.has(k));
}
let keywordScan;
/**
 * The keywords present in `lower`, found in one pass (one `includes` per keyword would
 * read the text some eighty times). The lookahead does not consume, so overlapping
 * keywords are all seen; a keyword inside a longer one that matched is added with it.
 */
function presentKeywords(lower) {
    keywordScan ??= (() => {
        const all = [
            ...new Set([
                ...Object.values(PRESET_KEYWORDS).flat(),
                ...HAND_RULES.flatMap((r) => r.keywords ?? []),
            ]),
        ].sort((a, b) => b.length - a.length);
        const escaped = all.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
        return {
            pattern: new RegExp(`(?=(${escaped.join("|")}))`, "g"),
            contained: new Map(all.map((k) => [k, all.filter((other) => k.includes(other))])),
        };
    })();
    const present = new Set();
    for (const m of lower.matchAll(keywordScan.pattern)) {
        for (const k of keywordScan.contained.get(m[1] ?? "") ?? [])
            present.add(k);
    }
    return present;
}
/** `secretlint-disable` comments would let the scanned (untrusted) text turn scanning off. */
const PRESET_SKIPPED = new Set(["@secretlint/secretlint-rule-filter-comments"]);
let sink = [];
const presetHandlers = secretlint_rule_preset_recommend_module/* rules */.a
    .filter((rule) => !PRESET_SKIPPED.has(rule.meta.id))
    .map((rule) => {
    const id = rule.meta.id.replace(/^@secretlint\/secretlint-rule-/, "secretlint/");
    const context = {
        report: ({ range }) => sink.push({ start: range[0], end: range[1], rule: id }),
        ignore: () => undefined,
        registerRule: () => undefined,
        createTranslator: () => (messageId) => messageId,
    };
    return {
        id,
        keywords: PRESET_KEYWORDS[rule.meta.id],
        handler: rule.create(context, {}),
    };
});
/** The ids of the preset's rules in use (for the benchmark's per-family counts). */
const PRESET_RULE_IDS = presetHandlers.map((h) => h.id);
function presetMatches(text, present, filePath) {
    const found = [];
    sink = found;
    try {
        const dot = filePath ? filePath.lastIndexOf(".") : -1;
        const source = {
            content: text,
            filePath,
            ext: filePath && dot > filePath.lastIndexOf("/") ? filePath.slice(dot) : "",
            contentType: "text",
        };
        for (const { handler, keywords } of presetHandlers) {
            if (!mayMatch(present, keywords))
                continue;
            // Every handler the preset has is synchronous for text; the one asynchronous path
            // (binary .p12 files) never runs on text. A promise is dropped, not awaited.
            const result = handler.file?.(source);
            if (result instanceof Promise)
                result.catch(() => undefined);
        }
    }
    finally {
        sink = [];
    }
    return found.filter((m) => !presetPlaceholder(m, text.slice(m.start, m.end)));
}
/**
 * Preset matches that are documentation, not secrets: a token body of one repeated
 * character (`sk_test_xxxxxxxxxxxxxxxxxxxxxxxx`), or a URL whose password is a
 * placeholder or equals the user name (`http://user:CHANGE-ME@…`, `guest:guest`).
 * Private-key blocks are never dropped (real DER has runs of one character).
 */
function presetPlaceholder(match, text) {
    if (match.rule.includes("privatekey") || match.rule.includes("gcp"))
        return false;
    if (/(.)\1{7,}/.test(text))
        return true;
    const url = /:\/\/([^\s:/?#@]*):([^\s/?#@]+)@/.exec(text);
    return url !== null && (isPlaceholder(url[2] ?? "") || url[1] === url[2]);
}
/** How a secret-named key's value is judged (see literalSecret). */
function secretKind(name) {
    return /pass|pwd/i.test(name) ? "password" : "other";
}
/** Values that stand for a secret rather than being one: templates, references, examples. */
function isPlaceholder(value) {
    const v = value.trim();
    if (v.length === 0)
        return true;
    if (/^[$%{<*&!@]|\$\{|\{\{|%[sd(]|^\\?\(/.test(v))
        return true;
    if (/^(.)\1*$/.test(v))
        return true; // xxxxxxxx, ********
    // Elided or x-ed out: `sk-...`, `ag-xxx`. Random text holds xxx too, so only as a part.
    if (/(?:\.\.\.|…)$|(?:^|[-_.:])xxx+(?:$|[-_.])/i.test(v))
        return true;
    return /^(?:your|my|some|example|sample|dummy|fake|placeholder|changeme|change[-_]?me|redacted|secret|password|passwd|pass|token|xxx|todo|none|null|nil|undefined|true|false)(?:[-_ ]|$)/i.test(v);
}
/**
 * The end of a key name whose value is a secret, and the assignment after it. The name
 * must end with the word; the short words (pass, pwd, auth) must start the name or follow
 * a separator. Found from the word rather than from the name's start: the pattern is then
 * tried once per position instead of once per position and name length.
 */
const SECRET_KEY = /(secret|password|passwd|passphrase|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|secret[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|pass|pwd|auth|key[_-]?data)(["']?)[ \t]*(?:=>|:=|=(?![=~>])|:(?![:=]))[ \t]*/gi;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const SHORT_WORD = /^(?:pass|pwd|auth)$/i;
/** Key words naming a password, whose values people choose short and word-like. */
const PASSWORD_WORD = /^(?:password|passwd|passphrase|pass|pwd)$/i;
/** What a line holds before an environment assignment's key: indentation, `export`. */
const ENV_LINE_START = /(?:^|\n)[ \t]*(?:export[ \t]+)?$/;
/**
 * Secret-named keys with a literal value: `API_KEY=…`, `password: …`, `"token": "…"`,
 * `client_secret = '…'`. The value must look like a literal secret: not a call, a
 * reference (`${{ secrets.X }}`, `process.env.X`, `$VAR`), a path, a URL (the URL rule
 * takes those), a version, a word or an identifier without digits.
 */
function secretAssignments(text) {
    const found = [];
    SECRET_KEY.lastIndex = 0;
    for (let m = SECRET_KEY.exec(text); m; m = SECRET_KEY.exec(text)) {
        const word = m[1] ?? "";
        let nameStart = m.index;
        while (nameStart > 0 && NAME_CHAR.test(text[nameStart - 1] ?? ""))
            nameStart--;
        if (SHORT_WORD.test(word) && nameStart < m.index && /[A-Za-z0-9]/.test(text[m.index - 1] ?? ""))
            continue;
        if (m[2] && text[nameStart - 1] !== m[2])
            continue;
        const name = text.slice(nameStart, m.index + word.length);
        const at = m.index + m[0].length;
        const quote = text[at];
        let start;
        let end;
        if (quote === '"' || quote === "'" || quote === "`") {
            start = at + 1;
            end = text.indexOf(quote, start);
            const newline = text.indexOf("\n", start);
            if (end < 0 || (newline >= 0 && newline < end))
                continue;
        }
        else {
            start = at;
            const rest = /^[^\s'"`,;]+/.exec(text.slice(at, at + 512));
            if (!rest)
                continue;
            end = at + rest[0].length;
        }
        const value = text.slice(start, end);
        const quoted = quote === '"' || quote === "'" || quote === "`";
        // `DB_PASS=…` at a line's start (.env, shell): a value, never code, so a plain
        // word counts too. Keyword arguments (`login(password=pw)`) are not at a line's start.
        const separator = m[0].slice(word.length + (m[2]?.length ?? 0));
        const env = separator === "=" &&
            /^[A-Z][A-Z0-9_]*$/.test(name) &&
            ENV_LINE_START.test(text.slice(Math.max(0, nameStart - 40), nameStart));
        const kind = !PASSWORD_WORD.test(word) ? "other" : env ? "env" : "password";
        if (literalSecret(value, quoted, name, kind)) {
            found.push({ start, end, rule: "hand/secret-assignment" });
        }
    }
    return found;
}
/**
 * Whether `value`, assigned to the secret-named key `name`, is a literal secret. `kind`
 * relaxes the rule for password keys, whose values people choose short and word-like:
 * "password" accepts from six characters when one is a digit or a symbol passwords use
 * (hunter2 after `password:`), which ordinary code (`password: str`, `password = form_password`,
 * `pass :class:`) and prose are not; "env" (a password key at a line's start, `KEY=value`)
 * accepts plain words too (`PGPASSWORD=postgres`).
 */
function literalSecret(value, quoted, name, kind = "other") {
    if (value.length < (kind === "other" ? 8 : 6) || /\s/.test(value))
        return false;
    if (isPlaceholder(value))
        return false;
    // A module or extension (".types"), or a label ("debug2:"), not a value.
    if (value.startsWith(".") || (!quoted && value.endsWith(":")))
        return false;
    if (kind === "password" && value.length < 8 && !/[\d!#$%^&*+=?@~]/.test(value))
        return false;
    if (value.toLowerCase().replace(/[^a-z0-9]/g, "") === name.toLowerCase().replace(/[^a-z0-9]/g, ""))
        return false;
    if (/^(?:\.{0,2}\/|~\/)/.test(value) || value.includes("://"))
        return false;
    if (/^[~^<>=v]*\d+(?:\.\d+)+/.test(value))
        return false; // a version
    if (!quoted) {
        if (/[()[\]{}<>]/.test(value))
            return false; // calls, indexing, templates
        if (/^-?\d+(?:\.\d+)?$/.test(value))
            return false;
        // Member expressions: `options.apiKey`, `self.password`, `Config::TOKEN`.
        if (/^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+[;,]?$/.test(value))
            return false;
    }
    if (kind === "env")
        return true;
    // Words and identifiers without digits: "same-origin", "GITHUB_TOKEN", "apiKeyHeader".
    if (!/\d/.test(value) && /^[A-Za-z]+(?:[-_.:][A-Za-z]+)*$/.test(value))
        return false;
    if (!quoted && /^[A-Za-z_$][\w$]*$/.test(value)) {
        // An identifier: a variable in code (`password = new_password2`) unless it holds
        // digits the way passwords do (`hunter2`).
        if (kind === "password")
            return /\d/.test(value) && !/pass|pwd/i.test(value);
        if (value.length < 12 || !/\d.*\d/.test(value))
            return false;
    }
    return true;
}
const HAND_RULES = [
    {
        // Any private-key block, valid key or not; and one cut off before its END line (the
        // lines that follow it while they look like base64, quoted or not).
        id: "hand/private-key-block",
        keywords: ["private key"],
        pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:(?:(?!-----BEGIN )[\s\S])*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\\]*(?:\r?\n[ \t]*["'`]?(?:[A-Za-z0-9+/]{16,}={0,2}|(?:Proc-Type|DEK-Info|Comment|Version): [^\n]*)(?:\\n)?["'`]?[ \t]*[,+]?)*)/g,
    },
    {
        // AWS access key ids. The preset scans them only with its enableIDScanRule option,
        // which also reports account ids and costs a pattern tried at every position.
        id: "hand/aws-access-key-id",
        keywords: ["akia", "a3t", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "asia"],
        pattern: /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/g,
    },
    {
        // A password given on a command line: `--password …`, `--db-pass=…` (the
        // `=` form is also an assignment), MySQL's and MariaDB's `-p…` (only their
        // clients take the password glued to `-p`; psql's `-p` is a port), `sshpass -p …`.
        id: "hand/cli-password",
        keywords: ["pass", "mysql", "mariadb"],
        pattern: /(?:(?<![\w-])--(?!ask-|no-|prompt-)(?:[a-z0-9]+-)*(?:password|passwd|pass)(?:=|[ \t]+)|\b(?:mysql(?:dump|admin|import|show|check|pump)?|mariadb(?:-dump|-admin)?)\b[^\n|;&]*?[ \t]-p(?=[^\s-])|\bsshpass\b[^\n|;&]*?[ \t]-p[ \t]*)(["']?)([^\s"'`]{4,256})\1/dg,
        group: 2,
        // After `--password ` prose may follow ("--password with care"): a word alone is not
        // taken there.
        accept: (m) => {
            const value = m[2] ?? "";
            if (isPlaceholder(value) || value.startsWith("-"))
                return false;
            // A file name after a flag that asks for the password: `--vault-pass vault.yml`.
            if (/\.(?:ya?ml|json|txt|cfg|conf|ini|py|sh)$/i.test(value))
                return false;
            return !/^--[\w-]+[ \t]/.test(m[0]) || /[^A-Za-z]/.test(value);
        },
    },
    {
        id: "hand/jwt",
        keywords: ["eyj"],
        pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    },
    {
        // scheme://user:password@host, for every scheme (amqps, redis, postgres, https, …).
        // A password equal to the user name (guest:guest) is a well-known default, not a secret.
        id: "hand/url-password",
        keywords: ["://"],
        // Anchored on "://" (found fast) rather than on the scheme.
        pattern: /:\/\/([^\s:/?#@'"`<>]{0,256}):([^\s/?#@'"`<>]{1,256})@/dg,
        group: 2,
        accept: (m) => !isPlaceholder(m[2] ?? "") && m[2] !== m[1],
    },
    {
        // `Authorization: Bearer …`, and as a call's two arguments: `Header.Set("Authorization",
        // "Bearer …")`, `{"Authorization": f"Bearer …"}` (a string prefix before the quote).
        id: "hand/authorization-header",
        keywords: ["authorization"],
        pattern: /\b(?:proxy-)?authorization["']?\s*[:=,]\s*[fbr]?["']?\s*(?:basic|bearer|token|digest)\s+([A-Za-z0-9+/=._~-]{8,})/dgi,
        group: 1,
    },
    {
        // A value of a secret-named key however the code around it is written: after a type
        // annotation (`token: string = "…"`, `var apiKey string = "…"`), a bracketed or
        // quoted key (`os.environ["API_KEY"] = "…"`, `define('DB_PASSWORD', '…')`,
        // `Header.Set("X-Auth-Token", "…")`), on the next line (`API_TOKEN = (\n "…"`), or
        // with the word inside the name (`secret_key_base`). A quoted literal only.
        id: "hand/secret-named-literal",
        keywords: ["secret", "pass", "token", "key", "pwd"],
        pattern: /([A-Za-z0-9_.-]*(?:secret[_-]?key|secret|password|passwd|passphrase|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key)(?:[_-](?:base|data|value|b64|base64|raw|plain|string|str))?)["']?\]?\)?(?:[ \t]*:[ \t]*[&\w<>[\].|?*]{1,40}[ \t]*|[ \t]+[&\w<>[\].*]{1,30}[ \t]*)?[ \t]*(?:=(?![=~>])|:=|\|\|=|\?\?=|,|:(?![:=]))[ \t]*\(?[ \t]*(?:\r?\n[ \t]*)?(["'])([^"'\r\n]{6,256})\2/dgi,
        group: 3,
        accept: (m) => literalSecret(m[3] ?? "", true, m[1] ?? "", secretKind(m[1] ?? "")),
    },
    {
        // A YAML block scalar under a secret-named key: `password: |` and the value below.
        id: "hand/secret-block-scalar",
        keywords: ["secret", "pass", "token", "key", "pwd"],
        pattern: /([A-Za-z0-9_.-]*(?:secret|password|passwd|passphrase|token|api[_-]?key|apikey|private[_-]?key)[A-Za-z0-9_-]{0,20})["']?[ \t]*:[ \t]*[|>][-+]?[ \t]*\r?\n[ \t]+([^\s][^\r\n]{5,255})/dgi,
        group: 2,
        accept: (m) => literalSecret((m[2] ?? "").trim(), true, m[1] ?? "", secretKind(m[1] ?? "")),
    },
    {
        // An element or a name/value pair naming a secret: `<password>…</password>` (Maven's
        // settings.xml), `<add key="ApiKey" value="…"/>`, `- name: API_KEY` / `value: "…"`.
        id: "hand/secret-named-pair",
        keywords: ["secret", "pass", "token", "key", "pwd"],
        pattern: /<([\w.-]*(?:password|passwd|secret|token|apikey|api[_-]key|passphrase)[\w.-]*)>([^<\r\n]{6,256})<\/\1>|\b(?:key|name)[ \t]*[=:][ \t]*["']?([\w.-]*(?:password|passwd|secret|token|apikey|api[_-]?key|passphrase)[\w.-]*)["']?[ \t]*,?[ \t]*(?:\r?\n[ \t]*)?(?:-[ \t]*)?value[ \t]*[=:][ \t]*["']([^"'\r\n]{6,256})["']/dgi,
        accept: (m) => m[2] !== undefined
            ? literalSecret(m[2], true, m[1] ?? "", secretKind(m[1] ?? ""))
            : literalSecret(m[4] ?? "", true, m[3] ?? "", secretKind(m[3] ?? "")),
        groups: [2, 4],
    },
    {
        // A password without `=` or `:`: a netrc line (`password …`), a Dockerfile
        // `ENV API_KEY …`, `aws configure set aws_secret_access_key …`, curl's `-u user:pw`.
        id: "hand/spaced-secret",
        keywords: ["pass", "env", "aws_", "curl", "wget", "secret", "token", "key"],
        pattern: /^[ \t]*(?:password|passwd)[ \t]+([^\s]{6,256})[ \t]*$|^[ \t]*ENV[ \t]+\w*?(?:SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY)\w*[ \t]+["']?([^\s"']{6,256})|\bset[ \t]+(?:aws_secret_access_key|aws_session_token)[ \t]+([^\s]{16,256})|\b(?:curl|wget)\b[^\n|;&]*?[ \t](?:-u|--user)[ \t]*["']?[^\s:'"]+:([^\s'"@]{4,256})/dgim,
        accept: (m) => {
            // A `password …` line alone is a netrc file's only where the file names a machine.
            if (m[1] !== undefined && !/\bmachine\s/.test(m.input))
                return false;
            const value = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
            return (!isPlaceholder(value) && !/^\$/.test(value) && literalSecret(value, true, "password", "env"));
        },
        groups: [1, 2, 3, 4],
    },
    {
        // A PuTTY private key (`.ppk`): its header and lines up to the MAC.
        id: "hand/putty-private-key",
        keywords: ["putty-user-key-file"],
        pattern: /PuTTY-User-Key-File-\d+:[\s\S]*?(?:Private-MAC:[^\r\n]*|$)/g,
    },
    {
        // A private key in base64 (a Kubernetes Secret's `tls.key`, a Helm value):
        // "-----BEGIN" encodes to "LS0tLS1CRUdJTi"; a certificate, which is public, stays.
        id: "hand/base64-private-key",
        keywords: ["ls0tls1crudjti"],
        pattern: /LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2}/g,
        accept: (m) => /PRIVATE KEY/.test(Buffer.from(m[0], "base64").toString("latin1")),
    },
    {
        id: "hand/npm-auth",
        keywords: ["_auth", "_password"],
        // .npmrc keys: `//registry.example.com/:_authToken=…` or `_auth=…` at a line's start.
        pattern: /(?:^|:)(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"'$]{8,})/dgm,
        group: 1,
    },
    {
        id: "hand/openai-key",
        keywords: ["sk-"],
        pattern: /(?<![A-Za-z0-9])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g,
    },
    {
        id: "hand/gcp-api-key",
        keywords: ["aiza"],
        pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    },
    {
        id: "hand/azure-storage-key",
        keywords: ["accountkey="],
        pattern: /AccountKey=([A-Za-z0-9+/]{40,}={0,2})/dg,
        group: 1,
    },
    {
        id: "hand/discord-webhook",
        keywords: ["discord"],
        pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/g,
    },
    {
        id: "hand/telegram-bot-token",
        keywords: [":aa"],
        pattern: /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
    },
    {
        id: "hand/age-secret-key",
        keywords: ["age-secret-key-1"],
        pattern: /AGE-SECRET-KEY-1[0-9A-Z]{58}/g,
    },
    {
        id: "hand/pypi-token",
        keywords: ["pypi-agei"],
        pattern: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g,
    },
    ...PROVIDER_TOKENS.map((token) => ({
        id: "hand/provider-token",
        keywords: token.keywords,
        pattern: providerTokenPattern(token),
        accept: (m) => !isTokenPlaceholder(m[0]),
    })),
];
/**
 * A documentation placeholder in a token's shape (`pnu_xxxxxxxx…`, `sbp_0000…`): a run of
 * six equal characters, or few distinct ones. An issued token is random; the chance of
 * either in one is negligible.
 */
function isTokenPlaceholder(token) {
    return /(.)\1{5}/.test(token) || new Set(token).size < 10;
}
/** The ids of the hand-written rules (for the benchmark's per-family counts). */
const HAND_RULE_IDS = [
    ...new Set(HAND_RULES.map((r) => r.id)),
    "hand/secret-assignment",
];
function handMatches(text, present) {
    const found = [];
    for (const rule of HAND_RULES) {
        if (!mayMatch(present, rule.keywords))
            continue;
        rule.pattern.lastIndex = 0;
        for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
            if (m[0].length === 0) {
                rule.pattern.lastIndex++;
                continue;
            }
            if (rule.accept && !rule.accept(m))
                continue;
            const group = rule.groups?.find((g) => m[g] !== undefined) ?? rule.group;
            const span = group === undefined ? undefined : m.indices?.[group];
            const [start, end] = span ?? [m.index, m.index + m[0].length];
            found.push({ start, end, rule: rule.id });
        }
    }
    return found.concat(secretAssignments(text));
}
/**
 * Every secret found in `text`, in no particular order and possibly overlapping.
 * `filePath` lets path-aware rules run (`.npmrc`, `package.json`, service-account JSON).
 */
function findSecrets(text, filePath) {
    return matchesIn(text, filePath).concat(splitSecrets(text, filePath), kubernetesSecretData(text));
}
/**
 * The values of a Kubernetes Secret's `data` and `stringData`, whatever their keys are
 * called (`tls.key`, `database-url`): base64 hides what they are from every other rule,
 * and a manifest declares them secret itself. A ConfigMap's data is left alone.
 */
function kubernetesSecretData(text) {
    if (!/^kind:[ \t]*Secret[ \t]*$/m.test(text))
        return [];
    const found = [];
    let offset = 0;
    for (const document of text.split(/^(?=---)/m)) {
        if (/^kind:[ \t]*Secret[ \t]*$/m.test(document)) {
            const block = /^(data|stringData):[ \t]*\r?\n((?:[ \t]+[^\n]*(?:\n|$)|[ \t]*\r?\n)*)/gm;
            for (let m = block.exec(document); m; m = block.exec(document)) {
                const body = m[2] ?? "";
                const bodyStart = m.index + m[0].length - body.length;
                const entry = /^[ \t]+["']?([\w.-]+)["']?[ \t]*:[ \t]*["']?([^\s"'#][^\r\n"']*)/gm;
                for (let e = entry.exec(body); e; e = entry.exec(body)) {
                    const value = e[2] ?? "";
                    if (/^[|>]/.test(value))
                        continue;
                    // `data` is base64 of anything: judged decoded; `stringData` is plain text,
                    // judged as a value of its key (a user name or a URL is not taken).
                    const plain = m[1] === "data" ? Buffer.from(value.trim(), "base64").toString("utf8") : value.trim();
                    if (plain.length < 6 || isPlaceholder(plain))
                        continue;
                    if (m[1] === "stringData" &&
                        !literalSecret(plain, true, e[1] ?? "", secretKind(e[1] ?? "")))
                        continue;
                    const start = offset + bodyStart + e.index + e[0].length - value.length;
                    found.push({
                        start,
                        end: start + value.trimEnd().length,
                        rule: "hand/kubernetes-secret",
                    });
                }
            }
        }
        offset += document.length;
    }
    return found;
}
function matchesIn(text, filePath) {
    const present = presentKeywords(text.toLowerCase());
    return presetMatches(text, present, filePath).concat(handMatches(text, present));
}
/** A string literal, single- or double-quoted, on one line. */
const STRING_LITERAL = /(["'])((?:\\.|(?!\1)[^\\\r\n])*)\1/g;
/** What may join two literals into one string: `+`, `.`, or nothing (Python, C). */
const JOINER = /^[ \t]*[+.]?[ \t]*(?:\r?\n[ \t]*)?$/;
/**
 * Secrets split across adjacent string literals (`"ghp_abc" +\n "def…"`), as people do
 * to get a token past push protection: each run of joined literals is read as one string,
 * and every literal a secret found there covers is reported whole.
 */
function splitSecrets(text, filePath) {
    if (!/["'][ \t]*[+.]?[ \t]*\r?\n?[ \t]*["']/.test(text))
        return [];
    const found = [];
    let run = [];
    const flush = () => {
        if (run.length >= 2) {
            const joined = run.map((part) => part.content).join("");
            for (const match of matchesIn(joined, filePath)) {
                let offset = 0;
                for (const part of run) {
                    const from = offset;
                    offset += part.content.length;
                    if (match.start < offset && match.end > from)
                        found.push({ start: part.start, end: part.end, rule: match.rule });
                }
            }
        }
        run = [];
    };
    STRING_LITERAL.lastIndex = 0;
    let previousEnd = -1;
    for (let m = STRING_LITERAL.exec(text); m; m = STRING_LITERAL.exec(text)) {
        if (previousEnd < 0 || !JOINER.test(text.slice(previousEnd, m.index)))
            flush();
        const start = m.index + 1;
        run.push({ start, end: start + (m[2] ?? "").length, content: m[2] ?? "" });
        previousEnd = m.index + m[0].length;
    }
    flush();
    return found;
}

;// CONCATENATED MODULE: ./.build/action/context/redact-secrets.js
/**
 * Secrets pasted into ordinarily named files (a key in `settings.py`) are invisible to
 * the path filter, so file text is scrubbed too before any of it is sent (excerpts, whole
 * files for the code step); so is the output of the check command before it reaches a
 * comment or the model. Each secret is replaced within
 * its lines, keeping line numbers (excerpts refer to them) and the rest of the text, which
 * is often exactly what the issue is about. What counts as a secret is decided in
 * ./secret-rules.ts (secretlint's recommended preset and a small hand-written layer).
 */


const REDACTED = "[redacted]";
/** Returns the text with secrets replaced, and whether anything was. */
function redactSecrets(text, options = {}) {
    const ranges = findSecrets(text, options.path).map((m) => [m.start, m.end]);
    for (const literal of options.literals ?? []) {
        if (literal.length < 4)
            continue;
        for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
            ranges.push([at, at + literal.length]);
        }
    }
    ranges.push(...encodedSecretRanges(text, options.encoded ?? []));
    if (ranges.length === 0)
        return { text, redacted: false };
    return { text: replaceRanges(text, mergeRanges(ranges)), redacted: true };
}
/** A quoted piece of a secret shorter than this is left alone: too short to be worth it. */
const MIN_FRAGMENT = 6;
/**
 * The secrets found in `text` (a file), as literals for {@link redactSecrets} over other
 * text that may quote the file: an error message that shows a line as it is, JSON-quoted,
 * or cut short. Each line of a secret counts on its own (a message quotes one line), in
 * its escaped form too, and so does every prefix, since a quote may end mid-secret.
 */
function secretLiteralsIn(text, path) {
    const out = new Set();
    for (const secret of secretLinesIn(text, path)) {
        for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
            for (let end = form.length; end >= MIN_FRAGMENT; end--)
                out.add(form.slice(0, end));
        }
    }
    return [...out];
}
/** Each line of each secret found in `text`, trimmed, when long enough to be worth it. */
function secretLinesIn(text, path) {
    const out = new Set();
    for (const match of findSecrets(text, path)) {
        for (const line of text.slice(match.start, match.end).split(/\r?\n/)) {
            const secret = line.trim();
            if (secret.length >= MIN_FRAGMENT)
                out.add(secret);
        }
    }
    return [...out];
}
function mergeRanges(ranges) {
    ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged = [];
    for (const [start, end] of ranges) {
        if (end <= start)
            continue;
        const last = merged[merged.length - 1];
        if (last && start <= last[1])
            last[1] = Math.max(last[1], end);
        else
            merged.push([start, end]);
    }
    return merged;
}
/** Replaces each range line by line: every line it touches keeps its newline. */
function replaceRanges(text, ranges) {
    let out = "";
    let at = 0;
    for (const [start, end] of ranges) {
        out += text.slice(at, start);
        out += text
            .slice(start, end)
            .split("\n")
            .map((segment) => {
            const cr = segment.endsWith("\r") ? "\r" : "";
            return segment.length > cr.length ? `${REDACTED}${cr}` : segment;
        })
            .join("\n");
        at = end;
    }
    return out + text.slice(at);
}


/***/ }),

/***/ 2345:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  f3: () => (/* reexport */ languageForPath),
  gf: () => (/* reexport */ parseAs),
  PJ: () => (/* reexport */ parseSource)
});

// UNUSED EXPORTS: GRAMMAR_FILES, LANGUAGE_IDS, RUNTIME_WASM, bundledWasmFiles, grammarDir, loadLanguage, setGrammarDir, syntaxErrors, wasmPath

;// CONCATENATED MODULE: ./.build/action/parsing/languages.js
/**
 * The languages the syntax gate and the context builder parse, and how a repository path
 * maps to one. The mapping is by file name only: content sniffing would make the answer
 * depend on text the model wrote.
 */
const LANGUAGE_IDS = (/* unused pure expression or super */ null && ([
    "python",
    "javascript",
    "typescript",
    "tsx",
    "go",
    "java",
    "c",
    "cpp",
    "rust",
    "ruby",
    "php",
]));
/**
 * Where each grammar's WASM file comes from: the npm package that ships it and the file
 * name inside that package. The bundled build copies these files, under the same names,
 * into `dist/grammars/`.
 */
const languages_GRAMMAR_FILES = {
    python: { pkg: "tree-sitter-python", file: "tree-sitter-python.wasm" },
    javascript: { pkg: "tree-sitter-javascript", file: "tree-sitter-javascript.wasm" },
    typescript: { pkg: "tree-sitter-typescript", file: "tree-sitter-typescript.wasm" },
    tsx: { pkg: "tree-sitter-typescript", file: "tree-sitter-tsx.wasm" },
    go: { pkg: "tree-sitter-go", file: "tree-sitter-go.wasm" },
    java: { pkg: "tree-sitter-java", file: "tree-sitter-java.wasm" },
    c: { pkg: "tree-sitter-c", file: "tree-sitter-c.wasm" },
    cpp: { pkg: "tree-sitter-cpp", file: "tree-sitter-cpp.wasm" },
    rust: { pkg: "tree-sitter-rust", file: "tree-sitter-rust.wasm" },
    ruby: { pkg: "tree-sitter-ruby", file: "tree-sitter-ruby.wasm" },
    php: { pkg: "tree-sitter-php", file: "tree-sitter-php.wasm" },
};
const BY_EXTENSION = {
    py: "python",
    pyi: "python",
    pyw: "python",
    js: "javascript",
    mjs: "javascript",
    cjs: "javascript",
    jsx: "javascript",
    ts: "typescript",
    mts: "typescript",
    cts: "typescript",
    tsx: "tsx",
    go: "go",
    java: "java",
    c: "c",
    // `.h` is shared by C and C++; parseSource falls back to C++ when C cannot read a header.
    h: "c",
    cc: "cpp",
    cpp: "cpp",
    cxx: "cpp",
    "c++": "cpp",
    hh: "cpp",
    hpp: "cpp",
    hxx: "cpp",
    "h++": "cpp",
    ipp: "cpp",
    tpp: "cpp",
    rs: "rust",
    rb: "ruby",
    rake: "ruby",
    gemspec: "ruby",
    ru: "ruby",
    php: "php",
    phtml: "php",
};
const BY_BASENAME = {
    Rakefile: "ruby",
    Gemfile: "ruby",
    Guardfile: "ruby",
    Vagrantfile: "ruby",
};
/**
 * The language of a repository path, judged by its file name, or `undefined` when no
 * bundled grammar covers it.
 */
function languageForPath(path) {
    const base = path.slice(path.lastIndexOf("/") + 1);
    const byName = BY_BASENAME[base];
    if (byName)
        return byName;
    const dot = base.lastIndexOf(".");
    // A leading dot marks a hidden file (".rubocop"), not an extension.
    if (dot <= 0)
        return undefined;
    return BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./.build/action/parsing/tree-sitter-runtime.cjs
var tree_sitter_runtime = __webpack_require__(8171);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./.build/action/parsing/grammar-dir.js





/** File name of the tree-sitter runtime's own WASM module (from `web-tree-sitter`). */
const RUNTIME_WASM = "tree-sitter.wasm";
let override;
/**
 * Points the loader at a directory holding `tree-sitter.wasm` and the grammar files
 * (tests, the CLI, unusual install layouts). `undefined` restores the default search.
 */
function setGrammarDir(dir) {
    override = dir;
}
/**
 * The directory of bundled WASM files, or `undefined` when running from sources, where
 * each file is taken from its npm package instead. Resolution order:
 *
 * 1. the directory given to {@link setGrammarDir};
 * 2. `grammars/` beside the entry script (`process.argv[1]`): for `dist/index.js`,
 *    `dist/cli.js` and `dist/worker.js` that is `dist/grammars/`, which the build fills
 *    from {@link bundledWasmFiles};
 * 3. `grammars/` beside this module (sources laid out like the bundle);
 * 4. none: files are resolved from `node_modules` by {@link wasmPath}.
 *
 * A directory only counts when it holds the runtime's `tree-sitter.wasm`.
 */
function grammarDir() {
    if (override !== undefined)
        return override;
    // In a bundle, import.meta.url is frozen at build time, so the running entry script
    // (dist/index.js, dist/cli.js) locates dist/grammars; from sources, the module's own
    // directory is right.
    for (const candidate of [
        entryDir() && (0,external_node_path_.join)(entryDir() ?? "", "grammars"),
        (0,external_node_path_.join)(moduleDir(), "grammars"),
    ]) {
        if (!candidate)
            continue;
        if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(candidate, RUNTIME_WASM)))
            return candidate;
    }
    return undefined;
}
/** Absolute path of the runtime WASM, or of the grammar of `language`. */
function wasmPath(language) {
    const dir = grammarDir();
    const entry = language === "runtime"
        ? { pkg: "web-tree-sitter", file: RUNTIME_WASM }
        : languages_GRAMMAR_FILES[language];
    if (dir !== undefined)
        return (0,external_node_path_.join)(dir, entry.file);
    return resolveFromPackage(entry.pkg, entry.file);
}
/**
 * Every WASM file the parsers need, as `{ from, to }` pairs: `from` inside `node_modules`,
 * `to` the bare file name to place in `dist/grammars/`. For the build script.
 */
function bundledWasmFiles() {
    const entries = [{ pkg: "web-tree-sitter", file: RUNTIME_WASM }, ...Object.values(GRAMMAR_FILES)];
    return entries.map((e) => ({ from: resolveFromPackage(e.pkg, e.file), to: e.file }));
}
function entryDir() {
    const entry = process.argv[1];
    if (!entry)
        return undefined;
    try {
        return (0,external_node_path_.dirname)((0,external_node_fs_.realpathSync)(entry));
    }
    catch {
        return undefined;
    }
}
function moduleDir() {
    return (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url));
}
function resolveFromPackage(pkg, file) {
    // Resolve the file itself rather than the package's entry point: grammar packages point
    // `main` at a native binding that may not be built, and web-tree-sitter's `exports`
    // map exposes its WASM but not its manifest.
    const require = (0,external_node_module_.createRequire)(import.meta.url);
    try {
        return require.resolve(`${pkg}/${file}`);
    }
    catch (error) {
        throw new Error(`Cannot find ${file}: no grammars/ directory beside ${moduleDir()} and package ${pkg} ` +
            "is not installed. The build must copy the files of bundledWasmFiles() there.", { cause: error });
    }
}

;// CONCATENATED MODULE: ./.build/action/parsing/reserved-words.js

/**
 * Reserved words that tree-sitter accepted as identifiers. The grammars lex a keyword
 * that is not valid at some point as a plain identifier instead of failing, so
 * `return return;` in C, Java or PHP, or a surplus `end` in Ruby, parses without an
 * ERROR node. Such an identifier can only be a slip. Only words that no version of the
 * language allows as a plain name are listed; contextual keywords (`var`, `yield`,
 * `match`, `type` in Python) are not.
 */
const RESERVED = {
    c: {
        nodes: "[(identifier) (type_identifier)]",
        words: [
            "break",
            "case",
            "continue",
            "default",
            "do",
            "else",
            "enum",
            "extern",
            "for",
            "goto",
            "if",
            "return",
            "sizeof",
            "struct",
            "switch",
            "typedef",
            "union",
            "while",
        ],
    },
    cpp: {
        nodes: "[(identifier) (type_identifier)]",
        words: [
            "break",
            "case",
            "catch",
            "class",
            "continue",
            "default",
            "do",
            "else",
            "enum",
            "for",
            "goto",
            "if",
            "namespace",
            "return",
            "sizeof",
            "struct",
            "switch",
            "template",
            "try",
            "typedef",
            "typename",
            "union",
            "while",
        ],
    },
    java: {
        nodes: "[(identifier) (type_identifier)]",
        words: [
            "abstract",
            "break",
            "case",
            "catch",
            "class",
            "continue",
            "default",
            "do",
            "else",
            "extends",
            "final",
            "finally",
            "for",
            "if",
            "implements",
            "import",
            "instanceof",
            "interface",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "static",
            "switch",
            "synchronized",
            "throw",
            "throws",
            "try",
            "while",
        ],
    },
    go: {
        nodes: "[(identifier) (type_identifier)]",
        words: [
            "break",
            "case",
            "chan",
            "const",
            "continue",
            "default",
            "defer",
            "else",
            "fallthrough",
            "for",
            "func",
            "go",
            "goto",
            "if",
            "import",
            "interface",
            "map",
            "package",
            "range",
            "return",
            "select",
            "struct",
            "switch",
            "type",
            "var",
        ],
    },
    rust: {
        nodes: "[(identifier) (type_identifier)]",
        words: [
            "break",
            "continue",
            "else",
            "enum",
            "fn",
            "for",
            "if",
            "impl",
            "let",
            "loop",
            "match",
            "mod",
            "pub",
            "return",
            "struct",
            "trait",
            "unsafe",
            "use",
            "where",
            "while",
        ],
    },
    javascript: { nodes: "(identifier)", words: jsWords() },
    typescript: { nodes: "[(identifier) (type_identifier)]", words: jsWords() },
    tsx: { nodes: "[(identifier) (type_identifier)]", words: jsWords() },
    php: {
        nodes: "(name)",
        words: [
            "break",
            "case",
            "catch",
            "continue",
            "do",
            "else",
            "elseif",
            "finally",
            "for",
            "foreach",
            "function",
            "if",
            "return",
            "switch",
            "throw",
            "try",
            "while",
        ],
    },
    ruby: { nodes: "(identifier)", words: ["end"] },
};
function jsWords() {
    return [
        "break",
        "case",
        "catch",
        "continue",
        "do",
        "else",
        "finally",
        "for",
        "function",
        "if",
        "return",
        "switch",
        "throw",
        "try",
        "while",
    ];
}
/** Fields whose value may be a keyword-spelled name in these languages (`obj.return`, `def end`). */
const NAME_FIELDS = [
    "name",
    "method",
    "property",
    "field",
    "key",
    "label",
    "alias",
    "attribute",
    "constant",
];
/** Ancestors inside which tokens are not code the grammar checks (macro bodies). */
const OPAQUE_ANCESTORS = new Set(["token_tree", "macro_invocation", "macro_definition"]);
const queries = new WeakMap();
/** Identifier nodes of `tree` spelled as a reserved word of `language`, as ERROR sites. */
function reservedWordIdentifiers(tree, language, lines) {
    const spec = RESERVED[language];
    if (spec === undefined)
        return [];
    let query = queries.get(tree.language);
    if (query === undefined) {
        query = new tree_sitter_runtime.Query(tree.language, `(${spec.nodes} @word (#match? @word "^(${spec.words.join("|")})$"))`);
        queries.set(tree.language, query);
    }
    return query
        .captures(tree.rootNode)
        .map((c) => c.node)
        .filter((n) => !isNamePosition(n) && !insideOpaque(n))
        .map((n) => ({
        line: n.startPosition.row + 1,
        column: n.startPosition.column + 1,
        kind: "ERROR",
        snippet: (lines[n.startPosition.row] ?? n.text).trim().slice(0, 80),
    }));
}
function isNamePosition(node) {
    const parent = node.parent;
    if (parent === null)
        return false;
    // PHP spells a variable `$function` as a name inside a variable_name.
    if (parent.type === "variable_name")
        return true;
    return NAME_FIELDS.some((f) => parent.childForFieldName(f)?.id === node.id);
}
function insideOpaque(node) {
    for (let p = node.parent; p !== null; p = p.parent)
        if (OPAQUE_ANCESTORS.has(p.type))
            return true;
    return false;
}

;// CONCATENATED MODULE: ./.build/action/parsing/syntax-errors.js

const SNIPPET_MAX = 80;
/**
 * Every ERROR and MISSING node of `tree`, outermost first, in source order, plus reserved
 * words the grammar let through as identifiers (see reserved-words.ts; needs `language`,
 * which `ParsedSource.errors()` passes). Only subtrees flagged `hasError` are visited.
 * Nodes inside an ERROR node are not reported separately: the outer one names the region.
 */
function syntaxErrors(tree, language) {
    const sites = [];
    const root = tree.rootNode;
    // Older grammar builds carry no name, hence the explicit argument.
    const id = language ?? tree.language.name ?? undefined;
    const lines = root.text.split("\n");
    if (id !== undefined)
        sites.push(...reservedWordIdentifiers(tree, id, lines));
    if (!root.hasError)
        return sites;
    const visit = (node) => {
        if (node.isMissing) {
            sites.push(site(node, "MISSING", `missing ${JSON.stringify(node.type)}`));
            return;
        }
        if (node.isError) {
            sites.push(site(node, "ERROR", excerpt(node, lines)));
            return;
        }
        if (!node.hasError)
            return;
        const children = node.children.filter((c) => c !== null);
        const flagged = children.filter((c) => c.hasError || c.isMissing || c.isError);
        if (flagged.length === 0) {
            sites.push(hiddenMissing(node, children, lines));
            return;
        }
        for (const child of flagged)
            visit(child);
    };
    visit(root);
    return sites.sort((a, b) => a.line - b.line || a.column - b.column);
}
/**
 * The error of a node flagged `hasError` whose visible children are all clean: a MISSING
 * token that the grammar keeps hidden (Python's statement-ending newline, for one), which
 * the node API does not expose. Its likeliest place is between two siblings that share a
 * line; otherwise the node's own start is reported.
 */
function hiddenMissing(node, children, lines) {
    let at = node.startPosition;
    for (let i = 0; i + 1 < children.length; i++) {
        const a = children[i];
        const b = children[i + 1];
        if (a && b && a.isNamed && b.isNamed && a.endPosition.row === b.startPosition.row) {
            at = a.endPosition;
            break;
        }
    }
    return {
        line: at.row + 1,
        column: at.column + 1,
        kind: "MISSING",
        snippet: `missing token in ${JSON.stringify(clip((lines[at.row] ?? "").trim()))}`,
    };
}
function site(node, kind, snippet) {
    return {
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        kind,
        snippet,
    };
}
function excerpt(node, lines) {
    // The node's own first line when it has text; an empty ERROR node is shown by its line.
    const own = node.text.split("\n")[0]?.trim() ?? "";
    return clip(own !== "" ? own : (lines[node.startPosition.row]?.trim() ?? ""));
}
function clip(text) {
    return text.length > SNIPPET_MAX ? `${text.slice(0, SNIPPET_MAX - 1)}…` : text;
}

;// CONCATENATED MODULE: ./.build/action/parsing/parse-source.js






let runtime;
const languages = new Map();
const parsers = new Map();
/**
 * Parses `text` as the language of `path`. Resolves to `undefined` when no bundled grammar
 * covers the path. The runtime and each grammar are loaded once, on first use.
 *
 * A `.h` header is read as C first; if C finds errors and C++ finds fewer, the C++ tree
 * is returned (with `language: "cpp"`), since many C++ projects use `.h`.
 */
async function parseSource(path, text) {
    const language = languageForPath(path);
    if (language === undefined)
        return undefined;
    const first = await parseAs(path, text, language);
    // The path is checked before `hasErrors`: listing the errors walks the whole tree, and
    // a `.c` file (read as C whatever its errors) needs none of it.
    if (language !== "c" || !path.toLowerCase().endsWith(".h") || !first.hasErrors)
        return first;
    const second = await parseAs(path, text, "cpp");
    if (second.hasErrors && second.errors().length >= first.errors().length) {
        second.dispose();
        return first;
    }
    first.dispose();
    return second;
}
/** Parses `text` with the grammar of `language`, whatever the path says. */
async function parseAs(path, text, language) {
    const parser = await parserFor(language);
    const tree = parser.parse(text);
    if (tree === null)
        throw new Error(`tree-sitter returned no tree for ${path} (${language})`);
    let errors;
    const list = () => (errors ??= syntaxErrors(tree, language));
    return {
        path,
        language,
        text,
        tree,
        root: tree.rootNode,
        get hasErrors() {
            return list().length > 0;
        },
        errors: list,
        dispose: () => tree.delete(),
    };
}
/** Loads (once) the runtime and the grammar of `language`; rejects if a file is missing. */
async function loadLanguage(language) {
    let loading = languages.get(language);
    if (loading === undefined) {
        loading = initRuntime().then(async () => tree_sitter_runtime.Language.load(await (0,promises_.readFile)(wasmPath(language))));
        // A failed load is not cached, so a later call reports the same error afresh.
        loading.catch(() => languages.delete(language));
        languages.set(language, loading);
    }
    return loading;
}
async function parserFor(language) {
    const loaded = await loadLanguage(language);
    let parser = parsers.get(language);
    if (parser === undefined) {
        parser = new tree_sitter_runtime.Parser();
        parser.setLanguage(loaded);
        parsers.set(language, parser);
    }
    return parser;
}
function initRuntime() {
    provideDirnameForBundle();
    runtime ??= tree_sitter_runtime.Parser.init({
        // Without this the runtime looks for its WASM beside its own script, which is wrong
        // once ncc has inlined that script into dist/index.js.
        locateFile: () => wasmPath("runtime"),
    }).catch((error) => {
        runtime = undefined;
        throw error;
    });
    return runtime;
}
/**
 * ncc bundles web-tree-sitter's CommonJS build even into an ES module bundle, and that
 * build reads the free variable `__dirname` at start-up, which ES modules lack. Define it
 * (only when absent) as the directory the runtime WASM is loaded from; `locateFile` above
 * decides the real path either way.
 */
function provideDirnameForBundle() {
    const scope = globalThis;
    if (typeof __dirname === "undefined" && scope.__dirname === undefined) {
        scope.__dirname = (0,external_node_path_.dirname)(wasmPath("runtime"));
    }
}

;// CONCATENATED MODULE: ./.build/action/parsing/index.js
/**
 * Source parsing with tree-sitter (WASM grammars): language detection by path, parsing,
 * and the syntax-error sites the edit gate compares. Used by the syntax gate and by the
 * context builder for symbol definitions.
 */






/***/ }),

/***/ 9811:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  tE: () => (/* reexport */ BROKER_URL_FORM),
  eP: () => (/* reexport */ CodeRequestSchema),
  bY: () => (/* reexport */ DEFAULT_DELIVERY_LIMIT),
  OO: () => (/* reexport */ EditSetSchema),
  $B: () => (/* reexport */ HEADER_DEADLINE),
  eV: () => (/* reexport */ HEADER_PROTOCOL_VERSION),
  $I: () => (/* reexport */ MAX_CODE_FILES_BYTES),
  MS: () => (/* reexport */ MAX_CONTEXT_FOCUS),
  wA: () => (/* reexport */ MAX_GUIDANCE_CHARS),
  y: () => (/* reexport */ MAX_ISSUE_BODY_CHARS),
  y$: () => (/* reexport */ MAX_ISSUE_TITLE_CHARS),
  xs: () => (/* reexport */ MAX_LABELS),
  ir: () => (/* reexport */ MAX_LABEL_CHARS),
  xt: () => (/* reexport */ MAX_OMITTED_REASON_CHARS),
  jI: () => (/* reexport */ MAX_PATH_CHARS),
  oJ: () => (/* reexport */ MAX_REASON_CHARS),
  Md: () => (/* reexport */ MAX_REQUEST_LIFETIME_MS),
  Cs: () => (/* reexport */ MAX_SOURCE_FOCUS),
  WP: () => (/* reexport */ PROTOCOL_VERSION),
  ot: () => (/* reexport */ PlanRequestSchema),
  fB: () => (/* reexport */ PlanSchema),
  En: () => (/* reexport */ REPLY_QUEUE_PREFIX),
  W3: () => (/* reexport */ REQUEST_QUEUE),
  m7: () => (/* reexport */ RankedShares),
  D8: () => (/* reexport */ SIGNATURE_HEADER),
  "in": () => (/* reexport */ brokerRotation),
  w_: () => (/* reexport */ describeBrokers),
  wF: () => (/* reexport */ describeIssues),
  iV: () => (/* reexport */ editSetJsonSchema),
  bP: () => (/* reexport */ estimateTokens),
  NM: () => (/* reexport */ isBrokerUrlList),
  Hd: () => (/* reexport */ isTerminal),
  UV: () => (/* reexport */ parseReply),
  bE: () => (/* reexport */ planJsonSchema),
  Kg: () => (/* reexport */ replyBinding),
  Js: () => (/* reexport */ repoPathProblem),
  ud: () => (/* reexport */ requestDigest),
  VT: () => (/* reexport */ requestQueueArguments),
  uk: () => (/* reexport */ signBody),
  od: () => (/* reexport */ verifyBody),
  qo: () => (/* reexport */ weakKeyReason)
});

// UNUSED EXPORTS: CodeResultSchema, ContextFileSchema, ContextSchema, DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, DEFAULT_MAX_SKEW_MS, EditHunkSchema, ErrorCodeSchema, ErrorReplySchema, ExcerptSchema, FileEditSchema, FocusRegionSchema, HEADER_DELIVERY_COUNT, MAX_REQUEST_BYTES, MIN_SIGNING_KEY_CHARS, OmittedFileSchema, OutlineEntrySchema, PlanFileChangeSchema, PlanResultSchema, PlanStepSchema, ProgressReplySchema, REQUEST_BINDING, ReplySchema, RepoPathSchema, SourceFileSchema, UsageSchema, WorkRequestSchema, deadLetterQueueFor, describeBroker, parseWorkRequest, redactUrl, redactUrls, splitBrokerUrls, withHeartbeat

;// CONCATENATED MODULE: ./.build/protocol/context-shares.js
/**
 * How a context budget is shared among ranked files, best first, each within its part of
 * what the files before it left, weighted 1/rank²: the best ranked file is by far the
 * likeliest to need changing (the top file holds about half of the changed hunks whose
 * file is in the top 12), so it gets about 64% and the tail little. The Action shares
 * its budget so when it chooses excerpts, and the worker shares its model's window so
 * when it fits them; a file that needs less than its share leaves the rest to the next.
 */
class RankedShares {
    count;
    rank = 0;
    weightLeft;
    constructor(count) {
        this.count = count;
        let sum = 0;
        for (let rank = 0; rank < count; rank++)
            sum += weightOf(rank);
        this.weightLeft = sum;
    }
    /** The next file's share of the `left` tokens still free (0 past the last file). */
    next(left) {
        if (this.rank >= this.count || this.weightLeft <= 0)
            return 0;
        const weight = weightOf(this.rank++);
        const share = Math.max(0, left) * (weight / this.weightLeft);
        this.weightLeft -= weight;
        return share;
    }
}
function weightOf(rank) {
    return 1 / (rank + 1) ** 2;
}

;// CONCATENATED MODULE: ./.build/protocol/limits.js
/**
 * Size limits of the messages, in one place: the schemas enforce them and the Action's
 * request builder bounds what it sends to them, so a request it builds always validates.
 */
/** The largest request body a worker accepts (bytes). Larger bodies are dead-lettered. */
const limits_MAX_REQUEST_BYTES = (/* unused pure expression or super */ null && (2 * 1024 * 1024));
/**
 * The text of the files a code request carries, in all (bytes). The worker fits them to
 * its model's window; this only keeps a request under MAX_REQUEST_BYTES with its context.
 */
const MAX_CODE_FILES_BYTES = 1_200_000;
/** Issue titles beyond this are cut. */
const MAX_ISSUE_TITLE_CHARS = 1000;
/** Issue bodies beyond this are cut, with a note saying so (the note counts). */
const MAX_ISSUE_BODY_CHARS = 65_000;
/** Maintainer guidance (the lines after `/plan` or `/approve`). */
const MAX_GUIDANCE_CHARS = 10_000;
/** Labels sent with an issue, and the length of each. */
const MAX_LABELS = 100;
const MAX_LABEL_CHARS = 100;
/**
 * The longest a request may live after it is signed: the Action's `timeout-minutes` can
 * be at most this, and a worker accepts a signed request until its own (signed) deadline
 * but never a deadline further than this after signing. A request waiting its turn in
 * the queue, or requeued by a stopped worker, is then still genuine while its requester
 * waits; a captured one is worthless after its deadline.
 */
const MAX_REQUEST_LIFETIME_MS = 6 * 60 * 60 * 1000;

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 6 modules
var schemas = __webpack_require__(6921);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/json-schema-processors.js
var json_schema_processors = __webpack_require__(8439);
;// CONCATENATED MODULE: ./.build/protocol/repo-path.js

/**
 * Why `path` cannot name a file of the repository, or undefined when it can. Paths come
 * from the model (plans, edits) and are untrusted: the contract refuses every form that
 * could reach outside the tree or into git's own files before anything reads or writes
 * them — absolute and home paths, drive letters, `..`, backslashes (another separator on
 * some systems), control characters and NUL, and `.git` in any spelling that some file
 * system resolves to it (any case, trailing dots or spaces, NTFS streams, the 8.3 name
 * `GIT~1`).
 */
function repoPathProblem(path) {
    if (path.length === 0)
        return "empty path";
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point.
    if (/[\u0000-\u001f\u007f]/.test(path))
        return "contains control characters";
    if (path.includes("\\"))
        return "contains a backslash; use forward slashes";
    if (path.startsWith("/") || path.startsWith("~") || /^[A-Za-z]:/.test(path))
        return "is absolute; give it relative to the repository root";
    const segments = path.split("/");
    if (segments.some((s) => s === ".."))
        return 'contains ".."';
    if (segments.some(isGitDirName))
        return "is inside .git/";
    if (path.endsWith("/"))
        return "names a directory";
    return undefined;
}
/** `.git` as any file system may spell it. */
function isGitDirName(segment) {
    return /^\.git(?:[ .]*|::.*)$/i.test(segment) || /^git~\d+$/i.test(segment);
}
/** A repository-relative file path, checked by {@link repoPathProblem}. */
const RepoPathSchema = schemas/* string */.YjP()
    .min(1)
    .max(400)
    .superRefine((path, ctx) => {
    const problem = repoPathProblem(path);
    if (problem)
        ctx.addIssue({ code: "custom", message: `path ${JSON.stringify(path)} ${problem}` });
})
    .describe("Repository-relative path, forward slashes");

;// CONCATENATED MODULE: ./.build/protocol/plan.js


/**
 * The plan the model must produce. This zod schema is the single source of truth: the
 * JSON schema handed to the model (`format`) is generated from it, and the same schema
 * validates what comes back.
 */
const PlanFileChangeSchema = schemas/* object */.Ikc({
    path: RepoPathSchema,
    change: schemas/* enum */.k5n(["modify", "create", "delete"]),
    reason: schemas/* string */.YjP().min(1).max(2000),
});
const PlanStepSchema = schemas/* object */.Ikc({
    title: schemas/* string */.YjP().min(1).max(300),
    detail: schemas/* string */.YjP().max(4000),
    files: schemas/* array */.YOg(RepoPathSchema).max(30),
});
const PlanSchema = schemas/* object */.Ikc({
    summary: schemas/* string */.YjP().min(1).max(4000),
    steps: schemas/* array */.YOg(PlanStepSchema).min(1).max(30),
    files: schemas/* array */.YOg(PlanFileChangeSchema).max(50),
    risks: schemas/* array */.YOg(schemas/* string */.YjP().min(1).max(2000)).max(20),
    tests: schemas/* array */.YOg(schemas/* string */.YjP().min(1).max(2000)).max(20),
    openQuestions: schemas/* array */.YOg(schemas/* string */.YjP().min(1).max(2000)).max(20),
});
/**
 * Code edits for an approved plan. Modifications are search/replace hunks anchored on
 * existing text (each must match exactly once when applied); new files carry their whole
 * content; deletions carry nothing.
 */
const EditHunkSchema = schemas/* object */.Ikc({
    search: schemas/* string */.YjP().min(1).max(20000),
    replace: schemas/* string */.YjP().max(20000),
});
const FileEditSchema = schemas/* object */.Ikc({
    path: RepoPathSchema,
    change: schemas/* enum */.k5n(["modify", "create", "delete"]),
    hunks: schemas/* array */.YOg(EditHunkSchema).max(50).default([]),
    content: schemas/* string */.YjP().max(200000).optional(),
});
const EditSetSchema = schemas/* object */.Ikc({
    summary: schemas/* string */.YjP().min(1).max(4000),
    edits: schemas/* array */.YOg(FileEditSchema).min(1).max(50),
});
/**
 * llama.cpp's grammar parser (used by Ollama and node-llama-cpp for `format`) refuses
 * repetitions much beyond this many characters: `{1,2000}` fails to parse.
 */
const GRAMMAR_MAX_REPEAT = 1000;
/**
 * JSON schemas for the model's `format` parameter, generated from the zod schemas. Plan
 * texts are capped for the model (a summary of 1,000 characters is plenty); code texts
 * (hunks, new files) are left unbounded there and bounded by the token limit instead.
 */
const planJsonSchema = toModelJsonSchema(PlanSchema, "cap");
const editSetJsonSchema = toModelJsonSchema(EditSetSchema, "unbounded");
function toModelJsonSchema(schema, longText) {
    // `io: "input"` keeps defaulted fields optional, as a model may omit them.
    const json = json_schema_processors/* toJSONSchema */.bl(schema, { io: "input" });
    delete json.$schema;
    return adaptStringLimits(json, longText);
}
/**
 * Grammar engines count `maxLength` in code points, zod in UTF-16 units, where a
 * character outside the BMP (an emoji) counts twice. Halving the limits the model sees
 * guarantees that whatever the grammar lets through also passes validation; limits the
 * grammar cannot express are capped or dropped.
 */
function adaptStringLimits(node, longText) {
    if (Array.isArray(node))
        return node.map((item) => adaptStringLimits(item, longText));
    if (!node || typeof node !== "object")
        return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
        if (key === "maxLength" && typeof value === "number") {
            const halved = Math.max(1, Math.floor(value / 2));
            if (halved <= GRAMMAR_MAX_REPEAT)
                out[key] = halved;
            else if (longText === "cap")
                out[key] = GRAMMAR_MAX_REPEAT;
            continue;
        }
        out[key] = adaptStringLimits(value, longText);
    }
    return out;
}

;// CONCATENATED MODULE: ./.build/protocol/messages.js



/** Bumped on any incompatible change; carried in the `x-protocol-version` header too. */
const PROTOCOL_VERSION = 1;
const RepoRefSchema = schemas/* object */.Ikc({
    owner: schemas/* string */.YjP().min(1).max(100),
    name: schemas/* string */.YjP().min(1).max(100),
    defaultBranch: schemas/* string */.YjP().min(1).max(255),
    sha: schemas/* string */.YjP().regex(/^[0-9a-f]{7,64}$/, "expected a git commit sha"),
});
const IssueSchema = schemas/* object */.Ikc({
    number: schemas/* number */.aig().int().positive(),
    title: schemas/* string */.YjP().max(MAX_ISSUE_TITLE_CHARS),
    body: schemas/* string */.YjP().max(MAX_ISSUE_BODY_CHARS),
    author: schemas/* string */.YjP().max(100),
    labels: schemas/* array */.YOg(schemas/* string */.YjP().max(MAX_LABEL_CHARS)).max(MAX_LABELS),
});
const ExcerptSchema = schemas/* object */.Ikc({
    startLine: schemas/* number */.aig().int().positive(),
    endLine: schemas/* number */.aig().int().positive(),
    text: schemas/* string */.YjP(),
});
/** Lines of a file worth showing whole when the file does not fit (1-based, inclusive). */
const FocusRegionSchema = schemas/* object */.Ikc({
    startLine: schemas/* number */.aig().int().positive(),
    endLine: schemas/* number */.aig().int().positive(),
})
    .refine((r) => r.endLine >= r.startLine, "endLine before startLine");
/** Longest repository path a message carries. */
const MAX_PATH_CHARS = 1000;
/** Longest reason a context file carries for its rank. */
const MAX_REASON_CHARS = 500;
/** Most focus regions a context file carries. */
const MAX_CONTEXT_FOCUS = 40;
const ContextFileSchema = schemas/* object */.Ikc({
    path: schemas/* string */.YjP().min(1).max(MAX_PATH_CHARS),
    score: schemas/* number */.aig(),
    reasons: schemas/* array */.YOg(schemas/* string */.YjP().max(MAX_REASON_CHARS)).max(50),
    excerpts: schemas/* array */.YOg(ExcerptSchema).max(100),
    /**
     * Where in the excerpts the issue's evidence is, best first: the regions the ranking
     * matched (before they were widened to fill the file's share). A worker whose window
     * cannot hold the excerpts shows these whole, in this order.
     */
    focus: schemas/* array */.YOg(FocusRegionSchema).max(MAX_CONTEXT_FOCUS).optional(),
});
/** Longest reason a file left out (or shown in part) may carry. */
const MAX_OMITTED_REASON_CHARS = 500;
const OmittedFileSchema = schemas/* object */.Ikc({
    path: schemas/* string */.YjP().max(MAX_PATH_CHARS),
    reason: schemas/* string */.YjP().max(MAX_OMITTED_REASON_CHARS),
});
const ContextSchema = schemas/* object */.Ikc({
    /** Paths of the repository tree, possibly abridged; `totalFiles` is the true count. */
    tree: schemas/* object */.Ikc({
        paths: schemas/* array */.YOg(schemas/* string */.YjP().max(MAX_PATH_CHARS)).max(20000),
        totalFiles: schemas/* number */.aig().int().nonnegative(),
    }),
    files: schemas/* array */.YOg(ContextFileSchema).max(500),
    /** What the Action left out for budget; passed on so the plan can say so. */
    omitted: schemas/* array */.YOg(OmittedFileSchema).max(5000).default([]),
    tokenEstimate: schemas/* number */.aig().int().nonnegative(),
});
const RequestBaseSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(PROTOCOL_VERSION),
    requestId: schemas/* string */.YjP().min(8).max(200),
    /** `owner/repo#issue@sha`: the same work asked twice has the same key. */
    idempotencyKey: schemas/* string */.YjP().min(1).max(400),
    repo: RepoRefSchema,
    issue: IssueSchema,
    context: ContextSchema,
    options: schemas/* object */.Ikc({
        model: schemas/* string */.YjP().min(1).max(200).optional(),
        maxTokens: schemas/* number */.aig().int().positive().max(32768).optional(),
    })
        .default({}),
    /** Epoch milliseconds after which the requester no longer waits. */
    deadline: schemas/* number */.aig().int().positive(),
});
const PlanRequestSchema = RequestBaseSchema.extend({
    type: schemas/* literal */.euz("plan"),
    /** Maintainer guidance (e.g. the lines after `/plan`). */
    guidance: schemas/* string */.YjP().max(MAX_GUIDANCE_CHARS).optional(),
});
/** A definition's first line and its line number, for the outline of a large file. */
const OutlineEntrySchema = schemas/* object */.Ikc({
    line: schemas/* number */.aig().int().positive(),
    text: schemas/* string */.YjP().max(400),
});
/** Most focus regions a file of a code request carries. */
const MAX_SOURCE_FOCUS = 200;
/**
 * A file the plan changes: its whole current text, and for when the worker's window
 * cannot hold it all, the regions the issue and plan point at (best first) and an
 * outline of its definitions. The worker decides what of it the model sees.
 */
const SourceFileSchema = schemas/* object */.Ikc({
    path: schemas/* string */.YjP().min(1).max(1000),
    content: schemas/* string */.YjP(),
    regions: schemas/* array */.YOg(FocusRegionSchema).max(MAX_SOURCE_FOCUS).optional(),
    outline: schemas/* array */.YOg(OutlineEntrySchema).max(5000).optional(),
});
const CodeRequestSchema = RequestBaseSchema.extend({
    type: schemas/* literal */.euz("code"),
    plan: PlanSchema,
    planHash: schemas/* string */.YjP().regex(/^[0-9a-f]{64}$/),
    /** The files the plan modifies, best first, whole, with their focus regions and outline. */
    files: schemas/* array */.YOg(SourceFileSchema).max(100),
    guidance: schemas/* string */.YjP().max(MAX_GUIDANCE_CHARS).optional(),
    /** Set on the repair round trip: what failed last time. */
    repair: schemas/* object */.Ikc({
        previous: EditSetSchema,
        errors: schemas/* array */.YOg(schemas/* string */.YjP().max(4000)).min(1).max(100),
    })
        .optional(),
});
const WorkRequestSchema = schemas/* discriminatedUnion */.gMt("type", [
    PlanRequestSchema,
    CodeRequestSchema,
]);
const UsageSchema = schemas/* object */.Ikc({
    model: schemas/* string */.YjP(),
    promptTokens: schemas/* number */.aig().int().nonnegative(),
    evalTokens: schemas/* number */.aig().int().nonnegative(),
    totalMs: schemas/* number */.aig().nonnegative(),
    loadMs: schemas/* number */.aig().nonnegative(),
    promptMs: schemas/* number */.aig().nonnegative(),
    evalMs: schemas/* number */.aig().nonnegative(),
    attempts: schemas/* number */.aig().int().positive(),
});
const ReplyBaseSchema = schemas/* object */.Ikc({
    version: schemas/* literal */.euz(PROTOCOL_VERSION),
    requestId: schemas/* string */.YjP().min(1).max(200),
    /** Sender clock, epoch milliseconds. */
    at: schemas/* number */.aig().int().nonnegative(),
});
const ProgressReplySchema = ReplyBaseSchema.extend({
    type: schemas/* literal */.euz("progress"),
    stage: schemas/* enum */.k5n(["accepted", "loading", "generating", "retrying"]),
    model: schemas/* string */.YjP().optional(),
    tokens: schemas/* number */.aig().int().nonnegative().optional(),
    message: schemas/* string */.YjP().max(1000).optional(),
});
const PlanResultSchema = ReplyBaseSchema.extend({
    type: schemas/* literal */.euz("result"),
    kind: schemas/* literal */.euz("plan"),
    plan: PlanSchema,
    usage: UsageSchema,
    /** Context the worker had to drop to fit the model's window, lowest-ranked first. */
    trimmed: schemas/* array */.YOg(OmittedFileSchema).default([]),
});
const CodeResultSchema = ReplyBaseSchema.extend({
    type: schemas/* literal */.euz("result"),
    kind: schemas/* literal */.euz("code"),
    edits: EditSetSchema,
    usage: UsageSchema,
    trimmed: schemas/* array */.YOg(OmittedFileSchema).default([]),
});
const ErrorCodeSchema = schemas/* enum */.k5n([
    "invalid_request",
    "deadline_exceeded",
    "model_not_found",
    "model_unavailable",
    "context_overflow",
    "invalid_model_output",
    "internal",
]);
const ErrorReplySchema = ReplyBaseSchema.extend({
    type: schemas/* literal */.euz("error"),
    code: ErrorCodeSchema,
    message: schemas/* string */.YjP().max(4000),
    retryable: schemas/* boolean */.zMY(),
    /**
     * On a worker's refusal (`invalid_request`): the digest of the body it received
     * (requestDigest in signing.ts), which the requester compares with its own.
     */
    requestDigest: schemas/* string */.YjP()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
});
const ReplySchema = schemas/* union */.KCZ([
    ProgressReplySchema,
    PlanResultSchema,
    CodeResultSchema,
    ErrorReplySchema,
]);
function isTerminal(reply) {
    return reply.type === "result" || reply.type === "error";
}
function parseJson(schema, body, what) {
    let raw;
    try {
        raw = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
    }
    catch (error) {
        return { ok: false, reason: `${what} is not valid JSON: ${error.message}` };
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
        return {
            ok: false,
            reason: `${what} does not match protocol v${PROTOCOL_VERSION}: ${describeIssues(result.error)}`,
        };
    }
    return { ok: true, value: result.data };
}
/** Parses a request body received by the worker. Never throws. */
function parseWorkRequest(body) {
    const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    if (size > MAX_REQUEST_BYTES) {
        return {
            ok: false,
            reason: `request body is ${size} bytes, over the ${MAX_REQUEST_BYTES}-byte limit`,
        };
    }
    return parseJson(WorkRequestSchema, body, "request");
}
/** Parses a reply body received by the requester. Never throws. */
function parseReply(body) {
    return parseJson(ReplySchema, body, "reply");
}
/** Renders zod issues as one line naming each failing field. */
function describeIssues(error) {
    return error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
        .join("; ");
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./.build/protocol/signing.js

/** Header carrying `t=<epoch ms>,v2=<hex HMAC-SHA256 of "<t>.<binding>.<body>">`. */
const SIGNATURE_HEADER = "x-signature";
/**
 * The shortest signing key either side accepts: an HMAC key is only as strong as it is
 * long, and a short one (a word, a typo'd placeholder) can be guessed from one captured
 * message offline.
 */
const MIN_SIGNING_KEY_CHARS = 16;
/** Why `key` is too weak to sign with, if it is; an empty key is the caller's to judge. */
function weakKeyReason(key) {
    const length = key.trim().length;
    if (length === 0 || length >= MIN_SIGNING_KEY_CHARS)
        return undefined;
    return `it is ${length} characters; use a random secret of at least ${MIN_SIGNING_KEY_CHARS} (openssl rand -hex 32)`;
}
/** How far a signature's timestamp may be from the verifier's clock. */
const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;
/** What a request's signature is bound to: being a request (never a reply). */
const REQUEST_BINDING = "request";
/**
 * What a reply's signature is bound to: the request it answers, in that repository and
 * issue. A genuine reply captured from the broker cannot be replayed as the answer to
 * another request, nor a request as a reply. A worker's refusal (of a message whose
 * signature or body fails, or of a request it will not serve) is bound to the digest of
 * the exact body it received ({@link requestDigest}): a message published by someone
 * without the key, with a waiting run's request id and reply queue copied from the broker,
 * then draws a refusal that run does not accept, since it cannot hold that run's body.
 */
function replyBinding(requestId, about) {
    return "requestDigest" in about
        ? `reply:${requestId}:unread:${about.requestDigest}`
        : `reply:${requestId}:${about.owner}/${about.name}#${about.issue}`;
}
/** The SHA-256 of a request's body as published, in hex (see replyBinding). */
function requestDigest(body) {
    return (0,external_node_crypto_.createHash)("sha256").update(body).digest("hex");
}
/**
 * Signs a message body with a shared key. The timestamp and the binding are part of the
 * signed text, so a captured message cannot be replayed once it falls outside the
 * verifier's window, nor used for anything but what it was signed for.
 */
function signBody(body, key, now = Date.now(), binding = REQUEST_BINDING) {
    return `t=${now},v2=${digest(body, key, now, binding)}`;
}
/**
 * Verifies a signature header against the body and its expected binding. Never throws.
 * The timestamp may lie `maxSkewMs` ahead of the verifier's clock (clocks differ) and
 * `maxAgeMs` behind it (default: the skew; a request that may wait in a queue passes
 * how long it may wait, and its own deadline is checked once the body is read).
 */
function verifyBody(body, header, key, options = {}) {
    if (typeof header !== "string" || header.length === 0) {
        return { ok: false, reason: `missing ${SIGNATURE_HEADER} header (signatures are required)` };
    }
    const match = /^t=(\d{1,16}),v2=([0-9a-f]{64})$/.exec(header);
    if (!match)
        return {
            ok: false,
            reason: `malformed ${SIGNATURE_HEADER} header (expected t=…,v2=…; is the other side an older version?)`,
        };
    const timestamp = Number(match[1]);
    const now = options.now ?? Date.now();
    const maxSkew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    const maxAge = options.maxAgeMs ?? maxSkew;
    if (timestamp - now > maxSkew || now - timestamp > maxAge) {
        const ahead = timestamp > now;
        return {
            ok: false,
            reason: `signature timestamp is ${Math.round(Math.abs(now - timestamp) / 1000)} s ${ahead ? "ahead of" : "behind"} this clock, outside the ${(ahead ? maxSkew : maxAge) / 1000} s window (replayed or clock skew)`,
        };
    }
    const expected = Buffer.from(digest(body, key, timestamp, options.binding ?? REQUEST_BINDING), "hex");
    const given = Buffer.from(match[2] ?? "", "hex");
    if (expected.length !== given.length || !(0,external_node_crypto_.timingSafeEqual)(expected, given)) {
        return {
            ok: false,
            reason: "signature does not match (wrong key, altered message, or signed for another request)",
        };
    }
    return { ok: true, timestamp };
}
function digest(body, key, timestamp, binding) {
    return (0,external_node_crypto_.createHmac)("sha256", key).update(`${timestamp}.${binding}.`).update(body).digest("hex");
}

;// CONCATENATED MODULE: ./.build/protocol/token-estimate.js
/**
 * A deliberately pessimistic token count for today's tokenizers: one token per 3 UTF-8
 * bytes. Llama 3's and Qwen 2.5's vocabularies take about 4 bytes of code a token
 * (cl100k_base on the benchmark's files: 4.2 at the median, 3.5 at the 95th percentile),
 * so a prompt this says fits does, and the worker widens the room by the model's own
 * counts (backend/prompt/token-calibration.ts). Llama 2's 32k vocabulary cuts indented
 * code finer: about one code prompt in six at an 8k window is over by its count, and the
 * worker fits it again into less (backend/jobs/run-job.ts). Non-ASCII text costs more
 * bytes, matching its higher token cost.
 */
function estimateTokens(text) {
    return Math.ceil(Buffer.byteLength(text, "utf8") / 3);
}

;// CONCATENATED MODULE: ./.build/protocol/topology.js
/**
 * Names and arguments shared by everyone who touches the broker: the worker declares
 * this topology, the Action publishes into it, the Kubernetes manifests and KEDA watch it.
 */
const REQUEST_QUEUE = "ai-agent.plan";
const DEAD_LETTER_EXCHANGE = "ai-agent.dead";
const DEAD_LETTER_QUEUE = deadLetterQueueFor(REQUEST_QUEUE);
/**
 * RabbitMQ 3.10 (Debian's) has no default delivery limit for quorum queues; 4.x
 * defaults to 20. Setting it explicitly gives the same poison-message behaviour on both.
 */
const DEFAULT_DELIVERY_LIMIT = 3;
const HEADER_PROTOCOL_VERSION = "x-protocol-version";
const HEADER_DEADLINE = "x-deadline";
function requestQueueArguments(queue, deliveryLimit) {
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": deliveryLimit,
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
        "x-dead-letter-routing-key": deadLetterQueueFor(queue),
    };
}
function deadLetterQueueFor(queue) {
    return `${queue}.dead`;
}
/**
 * Every Action run declares its own reply queue under this prefix. The worker replies only
 * to queues with it, so a forged `replyTo` cannot make it publish into other queues.
 */
const REPLY_QUEUE_PREFIX = "ai-agent.reply.";
/** Quorum queues count deliveries in this header (absent on the first delivery). */
const HEADER_DELIVERY_COUNT = "x-delivery-count";

;// CONCATENATED MODULE: ./.build/protocol/connection-url.js
/**
 * AMQP URL helpers shared by the Action and the worker. Credentials never leave these
 * functions: messages and logs name the host, or the URL with its password masked.
 */
/**
 * Adds a heartbeat to an AMQP URL unless it has one: without heartbeats a dead peer
 * behind a NAT or load balancer goes unnoticed for many minutes.
 */
function withHeartbeat(url, seconds = 15) {
    try {
        const parsed = new URL(url);
        if (!parsed.searchParams.has("heartbeat"))
            parsed.searchParams.set("heartbeat", String(seconds));
        return parsed.toString();
    }
    catch {
        return url;
    }
}
/** `host:port` of an AMQP URL, for messages (never the credentials). */
function describeBroker(url) {
    try {
        const parsed = new URL(url);
        return `${parsed.hostname}:${parsed.port || (parsed.protocol === "amqps:" ? "5671" : "5672")}`;
    }
    catch {
        return "(an unparseable amqp-url)";
    }
}
/** The URL with its password masked, for logs. */
function connection_url_redactUrl(url) {
    try {
        const parsed = new URL(url);
        if (parsed.password)
            parsed.password = "***";
        return parsed.toString();
    }
    catch {
        return "(unparseable URL)";
    }
}

;// CONCATENATED MODULE: ./.build/protocol/broker-failover.js
/**
 * Several brokers behind one setting: `amqp-url` / `AMQP_URL` may list the nodes of a
 * replicated RabbitMQ cluster separated by commas. The connection starts on the first
 * and, each time it is lost or a connect attempt fails, moves on to the next, so losing
 * the node a client is connected to costs one reconnect, not the run.
 *
 * amqplib's recovering connection reconnects to the one target it was given; here that
 * target is an object (amqplib's documented object form of a URL) whose fields read the
 * current broker, and the recovery's own delay hook, called before every reconnect,
 * moves to the next broker. Credentials stay inside; messages use describeBrokers.
 */

/** The URLs of a comma-separated list, trimmed, empty entries dropped. */
function splitBrokerUrls(value) {
    return value
        .split(",")
        .map((url) => url.trim())
        .filter((url) => url.length > 0);
}
/** Whether `value` lists one or more AMQP URLs (`amqp://` or `amqps://`), comma-separated. */
function isBrokerUrlList(value) {
    const urls = splitBrokerUrls(value);
    return urls.length > 0 && urls.every((url) => /^amqps?:\/\/[^\s,]+$/.test(url));
}
/** What a broker URL list looks like, for messages about a bad one. */
const BROKER_URL_FORM = "amqp://user:password@host:port/vhost or amqps://..., or several separated by commas (the nodes of a cluster)";
/** `host:port, host:port` of a list, for messages (never the credentials). */
function describeBrokers(value) {
    return splitBrokerUrls(value).map(describeBroker).join(", ");
}
/** Every URL of a list with its password masked, for logs. */
function redactUrls(value) {
    return splitBrokerUrls(value).map(redactUrl).join(",");
}
function toTarget(url) {
    const parsed = new URL(withHeartbeat(url));
    const number = (name) => {
        const raw = parsed.searchParams.get(name);
        return raw === null || !/^\d+$/.test(raw) ? undefined : Number(raw);
    };
    const secure = parsed.protocol === "amqps:";
    return {
        protocol: secure ? "amqps" : "amqp",
        hostname: parsed.hostname.replace(/^\[|\]$/g, ""),
        port: parsed.port ? Number(parsed.port) : secure ? 5671 : 5672,
        username: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
        // As amqplib reads a URL string: the path after the slash, "/" when there is none.
        vhost: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : "/",
        heartbeat: number("heartbeat"),
        frameMax: number("frame_max") ?? number("frameMax"),
        channelMax: number("channel_max") ?? number("channelMax"),
        locale: parsed.searchParams.get("locale") ?? undefined,
    };
}
function brokerRotation(urls, backoff) {
    const targets = splitBrokerUrls(urls).map(toTarget);
    if (targets.length === 0)
        throw new Error("no broker URL given");
    let index = 0;
    const field = (key) => () => targets[index][key];
    const target = Object.defineProperties({}, {
        protocol: { get: field("protocol"), enumerable: true },
        hostname: { get: field("hostname"), enumerable: true },
        port: { get: field("port"), enumerable: true },
        username: { get: field("username"), enumerable: true },
        password: { get: field("password"), enumerable: true },
        vhost: { get: field("vhost"), enumerable: true },
        heartbeat: { get: field("heartbeat"), enumerable: true },
        frameMax: { get: field("frameMax"), enumerable: true },
        channelMax: { get: field("channelMax"), enumerable: true },
        locale: { get: field("locale"), enumerable: true },
    });
    const advance = () => {
        index = (index + 1) % targets.length;
    };
    return {
        target,
        size: targets.length,
        current: () => `${targets[index].hostname}:${targets[index].port}`,
        advance,
        calculateDelay(attempt) {
            advance();
            // Attempts 1..size-1 try the other brokers at once; after a full round, back off.
            const round = Math.floor((attempt - 1) / targets.length);
            if (targets.length > 1 && attempt % targets.length !== 0 && round === 0)
                return 0;
            const base = Math.min(backoff.maxDelay, backoff.initialDelay * 2 ** round);
            return Math.min(backoff.maxDelay, Math.round(base * (0.75 + Math.random() * 0.5)));
        },
    };
}

;// CONCATENATED MODULE: ./.build/protocol/index.js
/**
 * The contract between the Action and the worker: the messages and their schemas, the
 * plan and edit formats, signing, the broker topology, size limits, the AMQP URL helpers
 * and the one token estimator. action/ and backend/ meet only here, through this entry
 * point (a lint rule fails CI on any other crossing); this folder imports neither.
 */












/***/ })

};
