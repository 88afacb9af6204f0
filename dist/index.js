import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 1943:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs/promises");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 8995:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 8500:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 6711:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ findDefinitions),
/* harmony export */   P: () => (/* binding */ isDeclarationOnly)
/* harmony export */ });
/**
 * Symbol definitions found with patterns that hold across languages: declaration
 * keywords (def, class, function, fn, func, struct, interface, trait, module...), typed
 * C-family signatures (`static int name(`), and top-level assignments. Cheap enough to
 * run over every file of a large repository, and it works for languages no grammar
 * covers; the parsers refine excerpts for the few files that are shown.
 */
// `func (r *Recv) Name`, `def self.name`, `async function* name`, `pub(crate) fn name`.
const KEYWORD_DEFINITION = /\b(?:def|class|function\*?|func|fn|struct|enum|trait|interface|module|union|record|object|protocol|typedef|namespace|impl|macro_rules!|defmacro|defn|sub|proc|type)[ \t]+(?:\([^)\n]{0,80}\)[ \t]*)?(?:self\.)?([A-Za-z_$][\w$]*[?!]?)/g;
// Typed signatures (C, C++, Java, C#, PHP methods without `function`, Kotlin...):
// modifiers and a return type, then `name(` at the start of a line.
const SIGNATURE_DEFINITION = /^[ \t]*(?:(?:public|private|protected|internal|static|final|abstract|synchronized|native|virtual|inline|extern|export|async|override|default|const|unsigned|signed|struct|enum|volatile|constexpr|explicit|friend)[ \t]+)*(?!(?:return|raise|throw|new|await|yield|else|elif|echo|print|assert|del|not|in|is|and|or|goto|case|delete|if|while|for|switch|catch|typeof|sizeof|when|unless|puts|do|then|go|defer|let|var|const)\b)(?:[A-Za-z_$][\w$<>[\],.*&:?]*)(?:[ \t]+[*&]*|[*&]+[ \t]*)(?:[\w$]+::)*~?([A-Za-z_$][\w$]*)[ \t]*\(/gm;
// C's split signatures (BSD and GNU styles, clang-format's AlwaysBreakAfterReturnType):
// the return type alone on its line, `name(` at the start of the next.
const SPLIT_SIGNATURE_DEFINITION = /^(?!(?:return|else|do|goto|case|typedef)\b)(?:[A-Za-z_]\w*[ \t]+)*[A-Za-z_]\w*[ \t]*\**[ \t]*\n([A-Za-z_]\w*)[ \t]*\(/gm;
const SPLIT_SIGNATURE_LANGUAGE = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm)$/i;
// `NAME = ...`, `export const name =`, `name: function`, `Name := ` at the start of a line.
const ASSIGNMENT_DEFINITION = /^(?:[ \t]*(?:export\s+)?(?:default\s+)?(?:const|let|var|val)\s+|)([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,60})?\s*(?:=(?!=)|:=)/gm;
// Languages that declare every function and type with a keyword: the typed-signature
// pattern, the costliest, would only find calls there.
const KEYWORD_ONLY = /\.(py|pyi|pyx|rb|rake|go|rs|php|ex|exs|lua|pl|pm|sh|bash|zsh)$/i;
const NOT_A_NAME = new Set([
    "return",
    "else",
    "new",
    "delete",
    "throw",
    "await",
    "yield",
    "case",
    "goto",
    "sizeof",
    "typeof",
    "if",
    "for",
    "while",
    "switch",
    "catch",
    "elif",
    "not",
    "and",
    "or",
    "in",
    "is",
    "echo",
    "print",
    "self",
    "this",
]);
/**
 * Every definition-like site in a source text, in order. Names may repeat (overloads,
 * redefinitions); callers decide what a repeat means. `path` selects the patterns that
 * make sense for the file's language (all of them when unknown).
 */
function findDefinitions(text, path = "") {
    const out = [];
    const patterns = KEYWORD_ONLY.test(path)
        ? [KEYWORD_DEFINITION]
        : [KEYWORD_DEFINITION, SIGNATURE_DEFINITION];
    if (path === "" || SPLIT_SIGNATURE_LANGUAGE.test(path))
        patterns.push(SPLIT_SIGNATURE_DEFINITION);
    for (const re of patterns) {
        re.lastIndex = 0;
        for (let match = re.exec(text); match !== null; match = re.exec(text)) {
            const name = match[1];
            if (name === undefined)
                continue;
            // `function is(` defines `is`; "the class is ..." in a comment does not.
            const called = re === KEYWORD_DEFINITION && /^\s*\(/.test(text.slice(re.lastIndex, re.lastIndex + 8));
            if (NOT_A_NAME.has(name) && !called)
                continue;
            // A split signature is placed at its name's line, where the body's block begins.
            const offset = re === SPLIT_SIGNATURE_DEFINITION
                ? text.indexOf("\n", match.index) + 1
                : lineStart(text, match.index);
            const end = match.index + match[0].length - (re === KEYWORD_DEFINITION ? 0 : 1);
            out.push({ name, offset, topLevel: !/[ \t]/.test(text.charAt(offset)), end });
        }
    }
    ASSIGNMENT_DEFINITION.lastIndex = 0;
    for (let match = ASSIGNMENT_DEFINITION.exec(text); match !== null;) {
        const name = match[1];
        // Only module-level assignments (no indentation) define something others use.
        if (name !== undefined && !NOT_A_NAME.has(name) && !/^[ \t]/.test(match[0])) {
            out.push({ name, offset: match.index, topLevel: true, end: match.index + name.length });
        }
        match = ASSIGNMENT_DEFINITION.exec(text);
    }
    return out;
}
function lineStart(text, index) {
    return text.lastIndexOf("\n", index - 1) + 1;
}
/** TypeScript declaration files, Flow library definitions, Python and Ruby type stubs. */
const TYPE_STUB = /\.(d\.[mc]?ts|js\.flow|pyi|rbi|rbs)$/i;
/** Languages whose declarations end in `;` and whose definitions open a `{` body. */
const BRACE_LANGUAGE = /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm|java|kt|scala|groovy|cs|php|rs|go|swift|ts|tsx|mts|cts|js|jsx|mjs|cjs|dart)$/i;
/**
 * Whether a definition site only declares its name (a C prototype, an interface or
 * abstract method, a trait method without a body, a forward declaration, anything in a
 * type stub): the signature ends in `;` before any `{` body opens. Implementations are
 * where fixes land.
 */
function isDeclarationOnly(text, definition, path) {
    // Type stubs declare what the code beside them implements.
    if (TYPE_STUB.test(path))
        return true;
    if (!BRACE_LANGUAGE.test(path))
        return false;
    let depth = 0;
    const stop = Math.min(text.length, definition.end + 600);
    for (let i = definition.end; i < stop; i++) {
        const c = text.charAt(i);
        if (c === "(")
            depth++;
        else if (c === ")")
            depth = Math.max(0, depth - 1);
        else if (depth === 0 && c === "{")
            return false;
        else if (depth === 0 && c === ";")
            return true;
    }
    return false;
}


/***/ }),

/***/ 7485:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Q3: () => (/* binding */ packageManagerVendorDirs),
/* harmony export */   VL: () => (/* binding */ exclusionReason),
/* harmony export */   Wb: () => (/* binding */ looksBinary),
/* harmony export */   jX: () => (/* binding */ isInsideAny)
/* harmony export */ });
/* harmony import */ var _conventions_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7265);
/**
 * What never reaches the model: likely secrets, binaries, lock files, generated and
 * minified output, dependency folders, the agent's own plan records. Decided from the
 * path alone, so the same rules apply to the tree, the ranking and the excerpts.
 */

const SECRET_NAMES = new Set([
    ".env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".htpasswd",
    ".git-credentials",
    "credentials",
    "credentials.json",
    "credentials.yml",
    "credentials.yaml",
    "secrets.json",
    "secrets.yml",
    "secrets.yaml",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "service-account.json",
    // direnv, Yarn 2+ (npmAuthToken), PostgreSQL, MySQL, s3cmd, boto, Vault, Terraform CLI,
    // kubectl and Cargo keep credentials in these.
    ".envrc",
    ".yarnrc.yml",
    ".yarnrc",
    ".pgpass",
    ".my.cnf",
    ".s3cfg",
    ".boto",
    ".vault-token",
    ".terraformrc",
    "terraform.rc",
    "kubeconfig",
    ".dockercfg",
    "_netrc",
]);
/** Names that hold credentials only in a particular folder: `.docker/config.json`. */
const SECRET_PATHS = [
    /(^|\/)\.docker\/config\.json$/,
    /(^|\/)\.kube\/config$/,
    /(^|\/)\.cargo\/credentials(\.toml)?$/,
    /(^|\/)\.config\/gh\/hosts\.yml$/,
];
const SECRET_EXTENSIONS = new Set([
    "pem",
    "key",
    "p12",
    "pfx",
    "jks",
    "keystore",
    "crt",
    "cer",
    "der",
    "asc",
    "gpg",
    "kdbx",
    "ovpn",
    // Terraform state holds every secret the configuration touched; tfvars, their values.
    "tfstate",
    "tfvars",
    "kubeconfig",
    // PuTTY private keys, PKCS#8 keys (App Store Connect), Java's JCEKS key stores.
    "ppk",
    "p8",
    "jceks",
]);
const BINARY_EXTENSIONS = new Set(("png jpg jpeg gif bmp ico icns webp tif tiff psd svgz avif heic " +
    "mp3 mp4 m4a wav ogg flac avi mov mkv webm " +
    "zip gz tgz bz2 xz 7z rar tar jar war ear whl egg " +
    "exe dll so dylib a o obj lib bin class pyc pyo pyd wasm node " +
    "pdf doc docx xls xlsx ppt pptx odt " +
    "ttf otf woff woff2 eot " +
    "sqlite db mdb dat npy npz pkl pickle h5 hdf5 parquet onnx gguf pt pth ckpt").split(/\s+/));
const LOCK_FILES = new Set([
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "cargo.lock",
    "poetry.lock",
    "pipfile.lock",
    "composer.lock",
    "gemfile.lock",
    "go.sum",
    "uv.lock",
    "pdm.lock",
    "flake.lock",
    "packages.lock.json",
]);
const DEPENDENCY_DIRS = new Set([
    "node_modules",
    "bower_components",
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".gradle",
    ".idea",
]);
/**
 * The directories of `paths` that a package manager filled with installed dependencies,
 * as path prefixes ("core/vendor/"), told by the files only the package manager writes:
 * Go's `go mod vendor` writes `vendor/modules.txt` (Go requires the name `vendor`);
 * Composer writes `autoload.php` beside `composer/installed.json` in its vendor
 * directory, whatever `vendor-dir` names it. Such a directory is excluded like
 * node_modules; a `vendor/` without them may be the project's own code and stays in
 * (held back by the ranking's vendored prior). On wandb, Go's vendored modules are 4,400
 * of 6,400 files.
 */
function packageManagerVendorDirs(paths) {
    const all = new Set(paths);
    const dirs = new Set();
    for (const path of all) {
        const slash = path.lastIndexOf("/");
        const dir = path.slice(0, slash + 1);
        const name = path.slice(slash + 1);
        if (name === "modules.txt" && (dir === "vendor/" || dir.endsWith("/vendor/")))
            dirs.add(dir);
        if (name === "autoload.php" && all.has(`${dir}composer/installed.json`))
            dirs.add(dir);
    }
    return dirs;
}
/** Whether `path` lies inside one of `dirs` (prefixes ending in "/"). */
function isInsideAny(path, dirs) {
    if (dirs.size === 0)
        return false;
    for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
        if (dirs.has(path.slice(0, i + 1)))
            return true;
    }
    return false;
}
/**
 * Classifies a repository-relative path (forward slashes). Returns the reason it must
 * stay out of the context, or undefined.
 */
function exclusionReason(path) {
    if (path.startsWith(_conventions_js__WEBPACK_IMPORTED_MODULE_0__/* .PLAN_RECORDS_DIR */ .lZ))
        return "the agent's plan record";
    const segments = path.split("/");
    const name = (segments[segments.length - 1] ?? "").toLowerCase();
    for (let i = 0; i < segments.length - 1; i++) {
        if (DEPENDENCY_DIRS.has(segments[i] ?? ""))
            return "dependency folder";
    }
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 ? name.slice(dot + 1) : "";
    if (isSecretName(name, ext) || SECRET_PATHS.some((p) => p.test(path.toLowerCase())))
        return "secret";
    if (BINARY_EXTENSIONS.has(ext))
        return "binary";
    if (LOCK_FILES.has(name))
        return "lock file";
    if (/\.min\.(js|css|mjs)$/.test(name) ||
        /\.(js|css)\.map$/.test(name) ||
        /_pb2(_grpc)?\.py$/.test(name) ||
        /\.pb\.(go|cc|h)$/.test(name) ||
        /\.generated\.\w+$/.test(name) ||
        /\.g\.dart$/.test(name)) {
        return "generated";
    }
    return undefined;
}
function isSecretName(name, ext) {
    if (SECRET_NAMES.has(name))
        return true;
    // `.env.local`, `.env.production`; `.env.example` and friends are documentation.
    if (name.startsWith(".env."))
        return !/\.(example|sample|template|dist)$/.test(name);
    if (SECRET_EXTENSIONS.has(ext))
        return true;
    return (/^id_(rsa|dsa|ecdsa|ed25519)/.test(name) ||
        /(^|[._-])secrets?\.(env|ya?ml|json|toml|properties|ini|conf)$/.test(name) ||
        // `credentials.tfrc.json`, `application_default_credentials.json`, `credentials.csv`
        // (a cloud console's download); not code that handles credentials (`credentials.py`).
        /(^|[._-])credentials(\.(json|ya?ml|toml|ini|conf|cfg|properties|xml|env|tfrc|bak|txt|csv))*$/.test(name) ||
        // A backup or CI copy of a credential file: `.netrc.ci`, `.git-credentials.bak`.
        /^(\.netrc|\.git-credentials|\.npmrc|\.pypirc|\.pgpass|\.htpasswd)\.[a-z0-9]+$/.test(name) ||
        // terraform.tfstate.backup, prod.tfvars.json, kubeconfig-prod, prod.kubeconfig.yaml
        (/\.(tfstate|tfvars)(\.[a-z0-9]+)*$/.test(name) &&
            !/\.(example|sample|template|dist)$/.test(name)) ||
        /(^|[._-])kubeconfig([._-]|$)/.test(name));
}
/** True when the first bytes of a file look binary (a NUL byte, as git decides). */
function looksBinary(head) {
    const n = Math.min(head.length, 8000);
    for (let i = 0; i < n; i++)
        if (head[i] === 0)
            return true;
    return false;
}


/***/ }),

/***/ 7146:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Jb: () => (/* binding */ fileScanner),
/* harmony export */   Xm: () => (/* binding */ isCodePath),
/* harmony export */   gZ: () => (/* binding */ MAX_FILE_BYTES),
/* harmony export */   oc: () => (/* binding */ readRepositoryText)
/* harmony export */ });
/* unused harmony exports scanFiles, measure */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);
/* harmony import */ var _definitions_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6711);
/* harmony import */ var _file_filters_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(7485);
/* harmony import */ var _tokens_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(8491);
/**
 * One pass over the repository's files that keeps only what the issue's query needs:
 * term frequencies of the query terms in content and in defined symbols, which
 * mentioned identifiers each file defines, and which error messages it contains.
 * File contents are dropped as soon as they are measured, so memory stays flat in the
 * number of files.
 */





/** Files larger than this are not read (generated tables, data dumps, bundles). */
const MAX_FILE_BYTES = 1_000_000;
/**
 * Reads and measures every path against the query. Unreadable, binary and oversized
 * files are reported in `skipped` rather than dropped silently.
 */
function scanFiles(repoDir, paths, query) {
    return fileScanner(repoDir, query)(paths);
}
/**
 * A scanner for one repository and query, called once per batch of paths: the read
 * buffer and the identifier cache are made once and kept across batches.
 */
function fileScanner(repoDir, query) {
    const splitCache = new Map();
    const buffer = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
    return (paths) => {
        const files = [];
        const skipped = [];
        for (const path of paths) {
            const text = readText((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(repoDir, path), buffer);
            if (typeof text !== "string") {
                skipped.push({ path, reason: text.reason });
                continue;
            }
            files.push(measure(path, text, query, splitCache));
        }
        return { files, skipped };
    };
}
function readText(file, buffer) {
    let fd;
    try {
        // O_NOFOLLOW: a path that became a symlink after listing is still not followed.
        fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(file, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW);
        const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd);
        if (!stat.isFile())
            return { reason: "not a regular file" };
        if (stat.size > MAX_FILE_BYTES)
            return { reason: `too large (${stat.size} bytes)` };
        const size = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buffer, 0, buffer.length, 0);
        const view = buffer.subarray(0, size);
        if ((0,_file_filters_js__WEBPACK_IMPORTED_MODULE_3__/* .looksBinary */ .Wb)(view))
            return { reason: "binary" };
        // Not redacted here: the scan keeps only counts of the issue's own words and names,
        // nothing of a file's text. Text that leaves for the model is redacted where it is
        // read for sending (excerpts in build-context.ts, whole files in code-request.ts),
        // which spares scrubbing every file of the repository on every run.
        return view.toString("utf8");
    }
    catch (error) {
        return { reason: `unreadable (${error.code ?? "error"})` };
    }
    finally {
        if (fd !== undefined)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
const NO_TERMS = [];
/** Characters without whitespace after which a run of text is data (see forEachIdentifier). */
const DATA_RUN_CHARS = 1_000;
/**
 * Files whose definitions mean something: program source. Configuration, data and
 * prose (`name = "x"` in TOML, `key:` in YAML) would read as definitions otherwise.
 */
const NOT_CODE = /\.(toml|ya?ml|json|jsonc|ini|cfg|conf|lock|txt|md|mdx|rst|adoc|html?|xml|svg|csv|tsv|in|properties|env|gitignore|gitattributes|editorconfig|fish|zsh|bash|ps1|bat|cmd|mk|cmake|dockerfile|log|out|snap|po|pot|tex|css|scss|less)$/i;
/**
 * A repository file's text for the steps after the scan (excerpts, conventions), or
 * undefined when it cannot be read or is over MAX_FILE_BYTES, as the scan skips it.
 */
function readRepositoryText(repoDir, path) {
    try {
        const text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(repoDir, path), "utf8");
        return text.length > MAX_FILE_BYTES ? undefined : text;
    }
    catch {
        return undefined;
    }
}
function isCodePath(path) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return name.includes(".") && !NOT_CODE.test(name) && !name.startsWith(".");
}
/**
 * The query terms an identifier contributes (its sub-words and, when compound, itself),
 * memoised per scan: most identifiers repeat across files and contribute nothing.
 */
function queryTermsOf(identifier, query, cache) {
    let terms = cache.get(identifier);
    if (terms === undefined) {
        const parts = (0,_tokens_js__WEBPACK_IMPORTED_MODULE_4__/* .splitIdentifier */ .a0)(identifier);
        if (parts.length > 1)
            parts.push(identifier.toLowerCase());
        const relevant = parts.filter((part) => query.terms.has(part));
        terms = relevant.length === 0 ? NO_TERMS : relevant;
        if (cache.size < 1_000_000)
            cache.set(identifier, terms);
    }
    return terms;
}
/** Measures one file's text against the query. Exported for the tests. */
function measure(path, text, query, cache = new Map()) {
    let contentTf;
    let length = 0;
    // Words deep in data (base64 images of notebooks) count toward the length that BM25
    // normalises by, as before, but are not looked up: in random text of that kind only
    // the shortest query terms ("id", "db") turn up, and only by chance.
    const dataWords = (0,_tokens_js__WEBPACK_IMPORTED_MODULE_4__/* .forEachIdentifier */ .US)(text, (identifier) => {
        length++;
        const terms = queryTermsOf(identifier, query, cache);
        if (terms.length === 0)
            return;
        contentTf ??= new Map();
        for (const term of terms)
            contentTf.set(term, (contentTf.get(term) ?? 0) + 1);
    }, DATA_RUN_CHARS);
    length += dataWords;
    let symbolTf;
    const defines = new Map();
    const phraseDefines = [];
    for (const definition of isCodePath(path) ? (0,_definitions_js__WEBPACK_IMPORTED_MODULE_2__/* .findDefinitions */ .C)(text, path) : []) {
        const exact = query.identifiers.has(definition.name)
            ? definition.name
            : query.identifiersLower.get(definition.name.toLowerCase());
        if (exact !== undefined) {
            const seen = defines.get(exact);
            const declarationOnly = (seen?.declarationOnly ?? true) && (0,_definitions_js__WEBPACK_IMPORTED_MODULE_2__/* .isDeclarationOnly */ .P)(text, definition, path);
            defines.set(exact, {
                topLevel: (seen?.topLevel ?? false) || definition.topLevel,
                declarationOnly,
            });
        }
        else if (definition.name.length >= 6 &&
            /[a-z][A-Z]|[A-Za-z]_[A-Za-z]/.test(definition.name)) {
            const phrase = query.phrases.get(definition.name.toLowerCase().replace(/_/g, ""));
            if (phrase !== undefined && !phraseDefines.some((p) => p.name === definition.name))
                phraseDefines.push({ name: definition.name, phrase });
        }
        for (const part of queryTermsOf(definition.name, query, cache)) {
            symbolTf ??= new Map();
            symbolTf.set(part, (symbolTf.get(part) ?? 0) + 1);
        }
    }
    const messageHits = [];
    query.messages.forEach((message, index) => {
        if (text.includes(message))
            messageHits.push(index);
    });
    return {
        path,
        length,
        contentTf,
        symbolTf,
        defines: [...defines].map(([name, site]) => ({ name, ...site })),
        messageHits,
        phraseDefines,
    };
}


/***/ }),

/***/ 5187:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   OG: () => (/* binding */ serveScanIfWorker),
/* harmony export */   OV: () => (/* binding */ enableScanWorkers),
/* harmony export */   eg: () => (/* binding */ warmScanWorkers),
/* harmony export */   l6: () => (/* binding */ scanInPool)
/* harmony export */ });
/* unused harmony exports SCAN_BATCH_SIZE, SCAN_THREADS_ENV, scanThreads */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8161);
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5919);
/* harmony import */ var _scan_files_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7146);
/**
 * The repository scan on every core the runner has. Reading and measuring files is most
 * of the context step's time on large repositories (on wandb, 6,400 files of which 4,400
 * are vendored Go: 4 of 5.6 CPU seconds), and it splits cleanly: each file is measured
 * on its own.
 *
 * The scan is cut into numbered batches of paths. The calling thread and a few worker
 * threads claim batches from one shared counter (an atomic add, so each batch goes to
 * exactly one thread and a slow thread simply claims fewer); each thread returns what it
 * scanned by batch number, and the batches are put back in order, so the result is the
 * same as one thread's, file for file. A batch that a failed worker claimed but never
 * returned is scanned again by the calling thread: nothing is lost.
 *
 * Workers run the program's own entry file (see `enableScanWorkers`), which serves a
 * scan when it is not the main thread. Without an entry (tests, library use) and for
 * small repositories, where starting a thread costs more than it saves, the scan runs
 * on the calling thread alone.
 *
 * Starting a worker means loading the program again, a tenth to a quarter of a second
 * with the calling thread busy beside it; started when the scan begins, a worker lost
 * that much of a two-second scan. A command that will scan therefore warms its workers
 * first (`warmScanWorkers`), while it loads its own modules and lists the files; the
 * scan hands its job to them, or stops them when the repository is too small.
 */



/** Paths per batch: small enough to balance the threads, large enough to be cheap to claim. */
const SCAN_BATCH_SIZE = 64;
/** Below this many files one thread finishes before a worker would have started. */
const MIN_FILES_FOR_WORKERS = 1_500;
/** Threads in all, the calling one included; more gains little on a runner's disk. */
const MAX_THREADS = 4;
/** Overrides the thread count (1 = no workers), e.g. on a runner shared by many jobs. */
const SCAN_THREADS_ENV = "ISSUE_AGENT_SCAN_THREADS";
let workerEntry;
/**
 * Lets the scan start workers on `file`, the program's entry, which must call
 * {@link serveScanIfWorker} before anything else. `execArgv` is for entries that need
 * a loader (the tests' TypeScript entry).
 */
function enableScanWorkers(file, execArgv) {
    workerEntry = execArgv === undefined ? { file } : { file, execArgv };
}
/** What a warm worker is started with: it waits for a {@link ScanJob} message. */
const AWAIT_JOB = "await-scan-job";
let warmWorkers = [];
/**
 * Starts now the workers that a scan of a large repository would start, so that they
 * are ready when it begins. They wait without keeping the process alive; the next
 * `scanInPool` uses them, or stops them when the repository is too small. Does nothing
 * without an entry (`enableScanWorkers`) or when workers are already waiting.
 */
function warmScanWorkers() {
    if (workerEntry === undefined || warmWorkers.length > 0)
        return;
    let count;
    try {
        count = scanThreads(Number.POSITIVE_INFINITY) - 1;
    }
    catch {
        // A bad ISSUE_AGENT_SCAN_THREADS is reported by the scan itself, where a command that
        // never scans (`--help`, an already applied plan) does not fail on it.
        return;
    }
    for (let i = 0; i < count; i++) {
        const worker = startWorker(workerEntry, AWAIT_JOB);
        const done = workerResult(worker);
        // After the listeners: adding a message listener references the worker again.
        worker.unref();
        warmWorkers.push({ worker, done });
    }
}
/** How many threads a scan of `fileCount` files uses. */
function scanThreads(fileCount, env = process.env) {
    const override = env[SCAN_THREADS_ENV];
    if (override !== undefined && override.trim() !== "") {
        const count = Number(override);
        if (!Number.isInteger(count) || count < 1)
            throw new Error(`${SCAN_THREADS_ENV} must be a whole number of threads, 1 or more`);
        return Math.min(count, MAX_THREADS);
    }
    if (fileCount < MIN_FILES_FOR_WORKERS)
        return 1;
    return Math.max(1, Math.min((0,node_os__WEBPACK_IMPORTED_MODULE_0__.availableParallelism)(), MAX_THREADS));
}
/** Scans `paths` as `scanFiles` does, on several threads when it pays. */
async function scanInPool(repoDir, paths, query, options = {}) {
    const threads = workerEntry === undefined ? 1 : scanThreads(paths.length);
    const counter = new SharedArrayBuffer(4 * threads);
    const job = { repoDir, paths, query, counter, slot: 0 };
    const entry = workerEntry;
    const warm = warmWorkers;
    warmWorkers = [];
    // Warm workers beyond what this scan uses are stopped: they would only take CPU.
    for (const unused of warm.slice(Math.max(0, threads - 1)))
        void unused.worker.terminate();
    const workers = entry === undefined
        ? []
        : Array.from({ length: threads - 1 }, (_, i) => {
            const slotJob = { ...job, slot: i + 1 };
            const waiting = warm[i];
            if (waiting === undefined)
                return runScanWorker(entry, slotJob);
            // Referenced again: the calling thread now waits on what the worker returns.
            waiting.worker.ref();
            waiting.worker.postMessage(slotJob);
            return { done: waiting.done, stop: () => waiting.worker.terminate() };
        });
    const started = new Int32Array(counter);
    const waitUntil = Date.now() + (options.awaitWorkersMs ?? 0);
    while (workers.some((_, i) => Atomics.load(started, i + 1) === 0) && Date.now() < waitUntil)
        await new Promise((resolve) => setTimeout(resolve, 5));
    const scan = (0,_scan_files_js__WEBPACK_IMPORTED_MODULE_2__/* .fileScanner */ .Jb)(repoDir, query);
    const batches = scanClaimedBatches(job, scan);
    const ownBatches = batches.length;
    // Every batch is claimed now. A worker that has not begun would only find that out
    // after loading the program: stop it instead (a batch it claims meanwhile is rescanned).
    workers.forEach((worker, i) => {
        if (Atomics.load(started, i + 1) === 0)
            void worker.stop();
    });
    for (const settled of await Promise.allSettled(workers.map((worker) => worker.done))) {
        if (settled.status === "fulfilled")
            batches.push(...settled.value);
    }
    return { ...inOrder(job, batches, scan), threads, workerBatches: batches.length - ownBatches };
}
/**
 * In a worker started by {@link scanInPool}, or by {@link warmScanWorkers} once its job
 * arrives: scans the batches it claims, posts them and returns true. On the main
 * thread: returns false and does nothing.
 */
function serveScanIfWorker() {
    if (node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.isMainThread || node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.parentPort === null)
        return false;
    const port = node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.parentPort;
    const serve = (job) => port.postMessage(scanClaimedBatches(job, (0,_scan_files_js__WEBPACK_IMPORTED_MODULE_2__/* .fileScanner */ .Jb)(job.repoDir, job.query)));
    if (node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.workerData === AWAIT_JOB)
        port.once("message", serve);
    else
        serve(node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.workerData);
    return true;
}
function runScanWorker(entry, job) {
    const worker = startWorker(entry, job);
    return { done: workerResult(worker), stop: () => worker.terminate() };
}
function startWorker(entry, data) {
    return new node_worker_threads__WEBPACK_IMPORTED_MODULE_1__.Worker(entry.file, {
        workerData: data,
        ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
    });
}
/** The batches a worker reports, or the reason it ended without reporting. */
function workerResult(worker) {
    const done = new Promise((resolve, reject) => {
        let batches;
        worker.once("message", (message) => (batches = message));
        worker.once("error", reject);
        worker.once("exit", (code) => {
            if (batches)
                resolve(batches);
            else
                reject(new Error(`scan worker exited with code ${code} before reporting`));
        });
    });
    // Settled later (allSettled); a worker that fails before then is not an unhandled error.
    done.catch(() => undefined);
    return done;
}
function scanClaimedBatches(job, scan) {
    const counter = new Int32Array(job.counter);
    if (job.slot > 0)
        Atomics.store(counter, job.slot, 1);
    const scanned = [];
    for (;;) {
        const batch = Atomics.add(counter, 0, 1);
        const start = batch * SCAN_BATCH_SIZE;
        if (start >= job.paths.length)
            return scanned;
        scanned.push({ batch, result: scan(job.paths.slice(start, start + SCAN_BATCH_SIZE)) });
    }
}
/** Puts the batches back in path order, scanning here any that no thread returned. */
function inOrder(job, batches, scan) {
    const byNumber = new Map(batches.map((b) => [b.batch, b.result]));
    const result = { files: [], skipped: [] };
    for (let start = 0, batch = 0; start < job.paths.length; start += SCAN_BATCH_SIZE, batch++) {
        const part = byNumber.get(batch) ?? scan(job.paths.slice(start, start + SCAN_BATCH_SIZE));
        result.files.push(...part.files);
        result.skipped.push(...part.skipped);
    }
    return result;
}


/***/ }),

/***/ 8491:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   US: () => (/* binding */ forEachIdentifier),
/* harmony export */   UX: () => (/* binding */ identifiersIn),
/* harmony export */   a0: () => (/* binding */ splitIdentifier),
/* harmony export */   fd: () => (/* binding */ termsOf),
/* harmony export */   l6: () => (/* binding */ isStopWord)
/* harmony export */ });
/**
 * Identifier-aware tokenisation for ranking (token counts for budgets are the contract's
 * `estimateTokens`, one estimator for the Action and the worker).
 * Identifiers are split the way maintainers read them: `parseHTTPResponse_v2` is about
 * "parse", "http", "response"; the whole identifier is kept as a term of its own too.
 */
/** Words too common in issues and code to say anything about a file. */
const STOP_WORDS = new Set(("a an the and or not no nor but if then else when while for to of in on at by with " +
    "from into onto as is are was were be been being it its this that these those there " +
    "here i we you he she they me my our your their them us do does did done doing have " +
    "has had having can could should would will shall may might must so such than too very " +
    "just also only some any all each every other same own more most less least few many " +
    "much about above below after before again further once out over under up down off " +
    "between through during why how what which who whom where get got set use used using " +
    "like want need see seem seems work works working make makes made new old one two " +
    "first last way thing things issue bug problem expected actual behavior behaviour " +
    "result results example following follow code run running return returns true false " +
    "none null nil undefined self this def fn func function class var let const import " +
    "include require package public private protected static void int str string bool " +
    "value values case cases line lines file files version note please thanks e g i.e " +
    "eg ie etc vs via per lt gt amp quot nbsp http https www com org html md py js ts " +
    "rs go rb php java cpp hpp c h").split(/\s+/));
/** True when a lowercase term carries too little meaning to rank files by. */
function isStopWord(term) {
    return term.length < 2 || STOP_WORDS.has(term) || /^\d+$/.test(term);
}
const IDENTIFIER_RE = /[A-Za-z_$][A-Za-z0-9_$]*/g;
/** The kind of one UTF-16 unit for splitting: other (a separator), lower, upper or digit. */
const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
function kindOf(code) {
    if (code >= 97 && code <= 122)
        return LOWER;
    if (code >= 65 && code <= 90)
        return UPPER;
    if (code >= 48 && code <= 57)
        return DIGIT;
    return OTHER;
}
/**
 * Splits one identifier into lowercase sub-words: camelCase, PascalCase, snake_case,
 * kebab-case, acronyms (`HTTPServer` → http, server) and digits. A sub-word ends at any
 * character other than an ASCII letter or digit, between a lowercase letter or digit and
 * a capital, before the last capital of a run that a lowercase letter follows, and
 * between letters and digits. One pass over the characters: the ranking splits every
 * identifier of every file it reads, and regular expressions here cost more than the
 * rest of reading a large repository.
 */
function splitIdentifier(identifier) {
    const out = [];
    let start = -1;
    let previous = OTHER;
    for (let i = 0; i < identifier.length; i++) {
        const kind = kindOf(identifier.charCodeAt(i));
        if (kind === OTHER) {
            if (start >= 0)
                out.push(identifier.slice(start, i).toLowerCase());
            start = -1;
        }
        else if (start < 0) {
            start = i;
        }
        else if ((kind === UPPER && previous !== UPPER) ||
            (kind === UPPER && kindOf(identifier.charCodeAt(i + 1)) === LOWER) ||
            (kind === DIGIT) !== (previous === DIGIT)) {
            out.push(identifier.slice(start, i).toLowerCase());
            start = i;
        }
        previous = kind;
    }
    if (start >= 0)
        out.push(identifier.slice(start).toLowerCase());
    return out;
}
function isIdentifierStart(code) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36;
}
function isIdentifierPart(code) {
    return isIdentifierStart(code) || (code >= 48 && code <= 57);
}
/**
 * Calls `visit` with every identifier-like word of `text`, in order: the words
 * `identifiersIn` returns, without building the array or a match object per word. The
 * scan reads every file of the repository through this, so its cost per word counts.
 *
 * With `dataRunChars`, a word that starts that many characters or more into a run
 * without whitespace is data rather than text (a notebook's base64 images, an inlined
 * font or bundle): it is counted, not visited. Such words are nearly all distinct, so
 * looking each one up cost more than the rest of the scan on repositories of notebooks.
 * Returns how many words were counted without a visit.
 */
function forEachIdentifier(text, visit, dataRunChars = Infinity) {
    const length = text.length;
    let i = 0;
    // Where the current run without whitespace began (identifiers hold no whitespace, so
    // only the characters between them can end a run).
    let runStart = 0;
    let counted = 0;
    while (i < length) {
        const code = text.charCodeAt(i);
        if (!isIdentifierStart(code)) {
            if (code === 32 || code === 10 || code === 9 || code === 13)
                runStart = i + 1;
            i++;
            continue;
        }
        const start = i++;
        while (i < length && isIdentifierPart(text.charCodeAt(i)))
            i++;
        if (start - runStart >= dataRunChars)
            counted++;
        else
            visit(text.slice(start, i));
    }
    return counted;
}
/** Every identifier-like word in a text, in order, as written. */
function identifiersIn(text) {
    return text.match(IDENTIFIER_RE) ?? [];
}
/**
 * Lowercase search terms for a text: each identifier's sub-words plus the identifier
 * itself when it is compound, without stop words.
 */
function termsOf(text) {
    const out = [];
    for (const identifier of identifiersIn(text)) {
        const parts = splitIdentifier(identifier);
        for (const part of parts)
            if (!isStopWord(part))
                out.push(part);
        if (parts.length > 1) {
            const whole = identifier.toLowerCase();
            if (!isStopWord(whole))
                out.push(whole);
        }
    }
    return out;
}


/***/ }),

/***/ 7265:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CM: () => (/* binding */ planFilePaths),
/* harmony export */   F5: () => (/* binding */ stateLabelName),
/* harmony export */   dE: () => (/* binding */ stateLabels),
/* harmony export */   eY: () => (/* binding */ Trailer),
/* harmony export */   fv: () => (/* binding */ issueNumberFromBranch),
/* harmony export */   lZ: () => (/* binding */ PLAN_RECORDS_DIR),
/* harmony export */   pp: () => (/* binding */ issueBranchName)
/* harmony export */ });
/** The branch for an issue: `<prefix>issue-<n>` (prefix e.g. "ai-agent/"). */
function issueBranchName(prefix, issueNumber) {
    return `${prefix}issue-${issueNumber}`;
}
/** The issue number an agent branch encodes (`ai-agent/issue-12` → 12), if it is one. */
function issueNumberFromBranch(branch, prefix) {
    if (!branch.startsWith(prefix))
        return undefined;
    const match = /^issue-(\d+)$/.exec(branch.slice(prefix.length));
    return match ? Number(match[1]) : undefined;
}
/**
 * The folder of the agent's plan records. They reach the default branch with merged pull
 * requests, and are never context: the plan goes to the model as the plan itself.
 */
const PLAN_RECORDS_DIR = ".github/issue-agent/";
/** Where the plan lives on the branch: readable Markdown and the exact JSON the hash covers. */
function planFilePaths(issueNumber) {
    const dir = `${PLAN_RECORDS_DIR}issue-${issueNumber}`;
    return { markdown: `${dir}/plan.md`, json: `${dir}/plan.json` };
}
/** Commit trailers: which issue, which plan, who asked. */
const Trailer = {
    issue: "Issue",
    /** On the commit that records a plan. */
    planHash: "Plan-Hash",
    /** On the commit that applies a plan; a second approval finds it and stops. */
    appliedPlanHash: "Applied-Plan-Hash",
    approvedBy: "Approved-By",
    quickFixBy: "QuickFix-By",
};
const STATE_LABELS = {
    pending: { color: "fbca04", description: "issue-agent: a plan awaits review" },
    failed: {
        color: "d93f0b",
        description: "issue-agent: the last run failed (see the tracking comment)",
    },
    applied: { color: "0e8a16", description: "issue-agent: the approved plan was applied" },
};
/** The configured name of a state's label. */
function stateLabelName(settings, state) {
    switch (state) {
        case "pending":
            return settings.labelPending;
        case "failed":
            return settings.labelFailed;
        case "applied":
            return settings.labelApplied;
    }
}
/** Every state label as the repository gets it (created when missing). */
function stateLabels(settings) {
    return Object.keys(STATE_LABELS).map((state) => ({
        name: stateLabelName(settings, state),
        ...STATE_LABELS[state],
    }));
}


/***/ }),

/***/ 9077:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runEntry)
});

// EXTERNAL MODULE: ./.build/action/context/scan-pool.js
var scan_pool = __nccwpck_require__(5187);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: ./.build/action/liftoff-relaunch.js
/**
 * Runs this process again under V8's `--liftoff-only`, so tree-sitter's grammars (large
 * WebAssembly parse tables) stay on V8's baseline compiler.
 *
 * Why: on Node 24, the runners' Node, V8 tiers hot WebAssembly functions up to its
 * optimising compiler. For a grammar's parse function that compilation costs more than
 * it saves on one run's parsing: measured on the localization benchmark's base trees,
 * the context step is slower by a quarter and peaks 100–250 MB higher (redis: 440 MB
 * instead of 186 MB), with the same output. The flag cannot be set from inside a started
 * Node 24 (V8 freezes its flags once initialised; `v8.setFlagsFromString` is ignored),
 * and a runner starts `node24 dist/index.js` with no flags, so the entry starts itself
 * once more with the flag and passes its exit status on. Node startup (tens of
 * milliseconds) is the whole cost.
 *
 * The child inherits stdin, stdout, stderr and the environment, so workflow commands,
 * `GITHUB_OUTPUT` and piped input behave as if there were one process. The runner's
 * cancel signals go to this process only; they are passed to the child, whose own
 * handlers do the cleaning up (see `cancellation.ts`).
 */


const LIFTOFF_FLAG = "--liftoff-only";
/** Signals passed on to the child: a runner's cancel signals and a closed terminal. */
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
/**
 * Does `work` in a process that runs with the flag: this one when it already does,
 * otherwise a child started for it, whose exit code this process then leaves with. When
 * no child can be started, `work` runs here, only slower.
 */
async function runWithLiftoff(work) {
    if (process.execArgv.includes(LIFTOFF_FLAG)) {
        stopWithParent();
        return work();
    }
    const exitCode = await relaunchWithLiftoff();
    if (exitCode === undefined)
        return work();
    process.exitCode = exitCode;
}
/**
 * A child whose parent was killed outright (SIGKILL: no signal to pass on) would go on
 * alone; the closed IPC channel tells it, and it stops as if cancelled.
 */
function stopWithParent() {
    if (!process.channel)
        return;
    // The channel carries no messages and must not keep the process alive by itself.
    process.channel.unref();
    process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
/**
 * Starts this script again with the flag and resolves to the exit code to leave with
 * (128 + the signal's number when the child was killed by a signal), or to `undefined`
 * when the child could not be started.
 */
function relaunchWithLiftoff() {
    const [, script, ...args] = process.argv;
    if (script === undefined)
        return Promise.resolve(undefined);
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(process.execPath, [...process.execArgv, LIFTOFF_FLAG, script, ...args], {
            stdio: ["inherit", "inherit", "inherit", "ipc"],
        });
        let started = false;
        // The child may have exited already when a signal comes; nothing is lost then.
        const forward = (signal) => void child.kill(signal);
        for (const signal of FORWARDED_SIGNALS)
            process.on(signal, forward);
        const stopForwarding = () => {
            for (const signal of FORWARDED_SIGNALS)
                process.off(signal, forward);
        };
        child.once("spawn", () => {
            started = true;
        });
        child.once("error", () => {
            // After a start, an error is a failed kill; the exit event still follows.
            if (started)
                return;
            stopForwarding();
            resolve(undefined);
        });
        child.once("exit", (code, signal) => {
            stopForwarding();
            resolve(code ?? 128 + (signal ? external_node_os_.constants.signals[signal] : 0));
        });
    });
}

;// CONCATENATED MODULE: ./.build/action/entry.js
/**
 * What each program entry (the Action's `main.ts`, the CLI's) does around its work:
 * in a scan worker thread, serve the scan and nothing else; otherwise do the work in a
 * process started with --liftoff-only (`liftoff-relaunch.ts`), where the repository
 * scan may start worker threads on this same entry file (`context/scan-pool.ts`).
 */


async function runEntry(work) {
    if ((0,scan_pool/* serveScanIfWorker */.OG)())
        return;
    await runWithLiftoff(async () => {
        const script = process.argv[1];
        if (script !== undefined)
            (0,scan_pool/* enableScanWorkers */.OV)(script);
        await work();
    });
}


/***/ }),

/***/ 764:
/***/ ((__webpack_module__, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _entry_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9077);
// The Action's entry: everything happens in run(), which owns error handling. How the
// process runs it (a relaunch, scan workers) is in entry.ts; run.js is loaded only where
// it runs, so the first process and the workers stay small.

await (0,_entry_js__WEBPACK_IMPORTED_MODULE_0__/* .runEntry */ .C)(async () => {
    const { run } = await Promise.all(/* import() */[__nccwpck_require__.e(427), __nccwpck_require__.e(766)]).then(__nccwpck_require__.bind(__nccwpck_require__, 9766));
    await run();
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(764);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
