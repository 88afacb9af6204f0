/**
 * What never reaches the model: likely secrets, binaries, lock files, generated and
 * minified output, dependency folders, the agent's own plan records. Decided from the
 * path alone, so the same rules apply to the tree, the ranking and the excerpts.
 */
import { PLAN_RECORDS_DIR } from "../conventions.js";

/** Why a path is kept out of the context, or undefined when it may go in. */
export type ExclusionReason =
  "secret" | "binary" | "lock file" | "generated" | "dependency folder" | "the agent's plan record";

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

const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif bmp ico icns webp tif tiff psd svgz avif heic " +
    "mp3 mp4 m4a wav ogg flac avi mov mkv webm " +
    "zip gz tgz bz2 xz 7z rar tar jar war ear whl egg " +
    "exe dll so dylib a o obj lib bin class pyc pyo pyd wasm node " +
    "pdf doc docx xls xlsx ppt pptx odt " +
    "ttf otf woff woff2 eot " +
    "sqlite db mdb dat npy npz pkl pickle h5 hdf5 parquet onnx gguf pt pth ckpt"
  ).split(/\s+/),
);

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
export function packageManagerVendorDirs(paths: Iterable<string>): Set<string> {
  const all = new Set(paths);
  const dirs = new Set<string>();
  for (const path of all) {
    const slash = path.lastIndexOf("/");
    const dir = path.slice(0, slash + 1);
    const name = path.slice(slash + 1);
    if (name === "modules.txt" && (dir === "vendor/" || dir.endsWith("/vendor/"))) dirs.add(dir);
    if (name === "autoload.php" && all.has(`${dir}composer/installed.json`)) dirs.add(dir);
  }
  return dirs;
}

/** Whether `path` lies inside one of `dirs` (prefixes ending in "/"). */
export function isInsideAny(path: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.size === 0) return false;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    if (dirs.has(path.slice(0, i + 1))) return true;
  }
  return false;
}

/**
 * Classifies a repository-relative path (forward slashes). Returns the reason it must
 * stay out of the context, or undefined.
 */
export function exclusionReason(path: string): ExclusionReason | undefined {
  if (path.startsWith(PLAN_RECORDS_DIR)) return "the agent's plan record";
  const segments = path.split("/");
  const name = (segments[segments.length - 1] ?? "").toLowerCase();
  for (let i = 0; i < segments.length - 1; i++) {
    if (DEPENDENCY_DIRS.has(segments[i] ?? "")) return "dependency folder";
  }
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot + 1) : "";
  if (isSecretName(name, ext) || SECRET_PATHS.some((p) => p.test(path.toLowerCase())))
    return "secret";
  if (BINARY_EXTENSIONS.has(ext)) return "binary";
  if (LOCK_FILES.has(name)) return "lock file";
  if (
    /\.min\.(js|css|mjs)$/.test(name) ||
    /\.(js|css)\.map$/.test(name) ||
    /_pb2(_grpc)?\.py$/.test(name) ||
    /\.pb\.(go|cc|h)$/.test(name) ||
    /\.generated\.\w+$/.test(name) ||
    /\.g\.dart$/.test(name)
  ) {
    return "generated";
  }
  return undefined;
}

function isSecretName(name: string, ext: string): boolean {
  if (SECRET_NAMES.has(name)) return true;
  // `.env.local`, `.env.production`; `.env.example` and friends are documentation.
  if (name.startsWith(".env.")) return !/\.(example|sample|template|dist)$/.test(name);
  if (SECRET_EXTENSIONS.has(ext)) return true;
  return (
    /^id_(rsa|dsa|ecdsa|ed25519)/.test(name) ||
    /(^|[._-])secrets?\.(env|ya?ml|json|toml|properties|ini|conf)$/.test(name) ||
    // `credentials.tfrc.json`, `application_default_credentials.json`, `credentials.csv`
    // (a cloud console's download); not code that handles credentials (`credentials.py`).
    /(^|[._-])credentials(\.(json|ya?ml|toml|ini|conf|cfg|properties|xml|env|tfrc|bak|txt|csv))*$/.test(
      name,
    ) ||
    // A backup or CI copy of a credential file: `.netrc.ci`, `.git-credentials.bak`.
    /^(\.netrc|\.git-credentials|\.npmrc|\.pypirc|\.pgpass|\.htpasswd)\.[a-z0-9]+$/.test(name) ||
    // terraform.tfstate.backup, prod.tfvars.json, kubeconfig-prod, prod.kubeconfig.yaml
    (/\.(tfstate|tfvars)(\.[a-z0-9]+)*$/.test(name) &&
      !/\.(example|sample|template|dist)$/.test(name)) ||
    /(^|[._-])kubeconfig([._-]|$)/.test(name)
  );
}

/** True when the first bytes of a file look binary (a NUL byte, as git decides). */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8000);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}
