/**
 * Where `check-command` runs: code the model just wrote (tests import it), so it must not
 * reach what the Action holds. The Action's process has the GitHub token, the AMQP URL
 * and the signing key in its environment, `actions/checkout` may have left the token in
 * `.git/config`, and the runner's file commands (GITHUB_ENV, GITHUB_PATH, GITHUB_OUTPUT)
 * change later steps.
 *
 * The sandbox, on Linux when the Action is root or has passwordless sudo (GitHub-hosted
 * runners have it) and mount and PID namespaces work:
 * - a copy of the checked tree (after the edits), without `.git` and without untracked
 *   files whose names say they hold credentials, in a fresh directory owned by a dedicated
 *   system user ({@link SANDBOX_USER}, created with useradd when missing);
 * - run as that user (setpriv: no supplementary groups, no capabilities, no_new_privs, so
 *   no sudo), so the Action's files and processes are another user's;
 * - in new mount and PID namespaces: /proc shows only the check's own processes, and the
 *   checkout, the workspace, the runner's temp directory (file commands, event payload),
 *   the Action user's home (often world-readable, holding the runner's own credentials)
 *   and the runner's installation are covered by empty root-only tmpfs mounts; the file
 *   command paths themselves by /dev/null;
 * - with an environment built from scratch (PATH, locale, CI, a HOME and TMPDIR of its
 *   own), none of the runner's variables;
 * - under `timeout` as the namespace's init: when it exits, the kernel kills every process
 *   left in the namespace, so nothing outlives the check.
 * The network is not isolated: check commands install packages and reach service
 * containers. What the check can send is what it can read: the tree itself.
 *
 * Without root or sudo, or where namespaces are refused (many container jobs), there is
 * no sandbox: the check is refused unless the workflow opts in with
 * `check-command-unisolated: true` (./check-command.ts).
 */
import { spawn } from "node:child_process";
import { existsSync, realpathSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rm, rmdir } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { exclusionReason } from "../context/file-filters.js";

/** The unprivileged system user the check runs as. */
export const SANDBOX_USER = "issue-agent-check";

export type SandboxCapability =
  { ok: true; privileged: string[]; uid: number; gid: number } | { ok: false; reason: string };

interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: readonly string[], timeoutMs = 30_000): Promise<Exec> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (e) => resolve({ code: null, stdout, stderr: e.message }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The command prefix that runs as root: none when root, `sudo -n` when that works. */
async function privilegePrefix(): Promise<string[] | string> {
  if (process.getuid?.() === 0) return [];
  const sudo = await exec("sudo", ["-n", "true"], 15_000);
  if (sudo.code === 0) return ["sudo", "-n", "--"];
  return "the Action is not root and `sudo -n` is not allowed";
}

async function asRoot(prefix: readonly string[], args: readonly string[]): Promise<Exec> {
  const [file, ...rest] = [...prefix, ...args];
  return exec(file ?? "", rest);
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop()?.slice(0, 300) ?? "";
}

let detected: Promise<SandboxCapability> | undefined;

/**
 * Whether this runner can isolate the check, and how (once per process). Creates the
 * sandbox user when missing, then proves the whole chain once: namespaces, the switch to
 * that user and no_new_privs.
 */
export function detectSandbox(): Promise<SandboxCapability> {
  detected ??= probe();
  return detected;
}

async function probe(): Promise<SandboxCapability> {
  if (process.platform !== "linux")
    return { ok: false, reason: `${process.platform} is not Linux` };
  const prefix = await privilegePrefix();
  if (typeof prefix === "string") return { ok: false, reason: prefix };
  let id = await exec("id", ["-u", SANDBOX_USER]);
  if (id.code !== 0) {
    const add = await asRoot(prefix, [
      "useradd",
      "--system",
      "--user-group",
      "--no-create-home",
      "--home-dir",
      "/nonexistent",
      "--shell",
      "/usr/sbin/nologin",
      SANDBOX_USER,
    ]);
    id = await exec("id", ["-u", SANDBOX_USER]);
    if (id.code !== 0)
      return {
        ok: false,
        reason: `could not create the user ${SANDBOX_USER}: ${lastLine(add.stderr)}`,
      };
  }
  const gid = await exec("id", ["-g", SANDBOX_USER]);
  const uid = Number(id.stdout.trim());
  const group = Number(gid.stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(group) || uid === 0 || uid === process.getuid?.())
    return { ok: false, reason: `the user ${SANDBOX_USER} is not a separate unprivileged user` };
  const check = await asRoot(prefix, [
    ...NAMESPACES,
    ...dropTo(uid, group),
    "sh",
    "-c",
    `test "$(id -u)" = ${uid} && test "$$" = 1 && grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status`,
  ]);
  if (check.code !== 0)
    return {
      ok: false,
      reason: `mount and PID namespaces or setpriv are not available (${lastLine(check.stderr) || `exit ${check.code}`})`,
    };
  return { ok: true, privileged: prefix, uid, gid: group };
}

const NAMESPACES = [
  "unshare",
  "--mount",
  "--pid",
  "--fork",
  "--mount-proc",
  "--propagation",
  "private",
  "--",
];

function dropTo(uid: number, gid: number): string[] {
  return [
    "setpriv",
    `--reuid=${uid}`,
    `--regid=${gid}`,
    "--clear-groups",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--no-new-privs",
    "--",
  ];
}

/**
 * Run as root inside the new namespaces: cover the paths the check must not see, print
 * the ready marker (so a setup failure is told apart from a failing check), then become
 * the sandbox user under `timeout`. Arguments: uid gid dir seconds grace ndirs nfiles
 * dirs… files… then the environment assignments and the command for `env -i`.
 */
const WRAPPER = `set -eu
uid=$1 gid=$2 dir=$3 secs=$4 grace=$5 ndirs=$6 nfiles=$7
shift 7
while [ "$ndirs" -gt 0 ]; do
  mount -t tmpfs -o size=16k,mode=000,nosuid,nodev,noexec issue-agent-hidden "$1"
  ndirs=$((ndirs - 1)); shift
done
while [ "$nfiles" -gt 0 ]; do
  mount --bind /dev/null "$1"
  nfiles=$((nfiles - 1)); shift
done
cd "$dir"
echo issue-agent-sandbox-ready >&2
exec timeout --kill-after="$grace" "$secs" setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- env -i "$@"
`;

export const READY_MARKER = "issue-agent-sandbox-ready";

/** Folders and files the check must not see, that exist here. */
export function pathsToHide(
  checkout: string,
  env: NodeJS.ProcessEnv = process.env,
): { dirs: string[]; files: string[] } {
  const dirs = new Set<string>();
  const files = new Set<string>();
  const real = (p: string | undefined): string | undefined => {
    if (!p || !isAbsolute(p) || !existsSync(p)) return undefined;
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const addDir = (p: string | undefined) => {
    const r = real(p);
    if (r && statSync(r).isDirectory() && !SYSTEM_DIRS.has(r)) dirs.add(r);
  };
  addDir(checkout);
  for (const name of ["GITHUB_WORKSPACE", "RUNNER_WORKSPACE", "RUNNER_TEMP"]) addDir(env[name]);
  addDir(homedir());
  addDir(env.HOME);
  // The runner's installation (its .credentials, _diag logs and _work): the Action runs
  // on the runner's own node, <runner>/externals/node24/bin/node.
  const externals = process.execPath.lastIndexOf(`${sep}externals${sep}`);
  if (externals > 0) addDir(process.execPath.slice(0, externals));
  for (const name of FILE_COMMANDS) {
    const file = real(env[name]);
    if (file && statSync(file).isFile()) {
      files.add(file);
      addDir(dirname(file));
    }
  }
  // A folder inside another is covered with it (and could not be mounted over after it).
  const outer = [...dirs].filter((d) => ![...dirs].some((o) => o !== d && within(d, o)));
  return {
    dirs: outer.sort(),
    files: [...files].filter((f) => !outer.some((d) => within(f, d))).sort(),
  };
}

const FILE_COMMANDS = [
  "GITHUB_ENV",
  "GITHUB_PATH",
  "GITHUB_OUTPUT",
  "GITHUB_STATE",
  "GITHUB_STEP_SUMMARY",
  "GITHUB_EVENT_PATH",
];

/** Never covered: covering them would break the system, and they hold nothing of the run's. */
const SYSTEM_DIRS = new Set([
  "/",
  "/bin",
  "/dev",
  "/etc",
  "/lib",
  "/lib64",
  "/opt",
  "/proc",
  "/run",
  "/sbin",
  "/sys",
  "/tmp",
  "/usr",
  "/var",
  "/var/tmp",
  "/home",
  "/dev/shm",
]);

function within(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}

/** A parent for the sandbox's directory that no hidden folder covers, outside the tree. */
export function sandboxParent(hidden: readonly string[], root: string): string | undefined {
  for (const candidate of [tmpdir(), "/tmp", "/var/tmp", "/dev/shm"]) {
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (!hidden.some((dir) => within(real, dir)) && !within(real, root)) return real;
  }
  return undefined;
}

/** The checkout's real path; a system folder (`/tmp`, `/`) is no checkout to copy. */
function checkoutRoot(root: string): string {
  const real = realpathSync(root);
  if (SYSTEM_DIRS.has(real) || real === homedir())
    throw new Error(`refusing to copy ${real} for the check: it is not a repository checkout`);
  return real;
}

/** Lists tracked files with git; undefined when `root` is not a git checkout. */
export async function trackedFiles(root: string): Promise<Set<string> | undefined> {
  const out = await exec("git", ["-C", root, "ls-files", "-z"], 60_000);
  if (out.code !== 0) return undefined;
  return new Set(out.stdout.split("\0").filter(Boolean));
}

/**
 * Copies `root` to `dest` with `cp -a` (symbolic links stay links), then removes every
 * `.git` and each untracked file that file-filters calls secret (a tracked one is in the
 * repository anyway, and tests may need it).
 */
export async function copyTree(root: string, dest: string): Promise<void> {
  const cp = await exec("cp", ["-a", "--", `${root}/.`, dest], 10 * 60_000);
  if (cp.code !== 0)
    throw new Error(`could not copy the tree for the check: ${lastLine(cp.stderr)}`);
  const tracked = await trackedFiles(root);
  const prune = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(dest, path).split(sep).join("/");
      if (entry.name === ".git") {
        await rm(path, { recursive: true, force: true });
      } else if (entry.isDirectory()) {
        await prune(path);
      } else if (exclusionReason(rel) === "secret" && !tracked?.has(rel)) {
        await rm(path, { force: true });
      }
    }
  };
  await prune(dest);
}

export interface SandboxRun {
  /** The directory the command starts in (the copy of the tree). */
  dir: string;
  /** The program and arguments to spawn. */
  argv: string[];
  /** Removes the copy; safe to call twice. */
  cleanup: () => Promise<void>;
}

/**
 * Prepares one sandboxed run of `command`: the copy, its ownership, and the argv that
 * enters the namespaces. `env` is the complete environment the command gets.
 */
export async function prepareSandbox(options: {
  capability: Extract<SandboxCapability, { ok: true }>;
  root: string;
  command: string;
  env: Record<string, string>;
  timeoutMs: number;
  killGraceMs: number;
}): Promise<SandboxRun> {
  const { capability } = options;
  const root = checkoutRoot(options.root);
  const hidden = pathsToHide(root);
  const parent = sandboxParent(hidden.dirs, root);
  if (!parent)
    throw new Error("no temporary folder outside the workspace and home for the check's copy");
  const base = await mkdtemp(join(parent, `${SANDBOX_USER}-`));
  const tree = join(base, "tree");
  const home = join(base, "home");
  const tmp = join(base, "tmp");
  const owned = [tree, home, tmp];
  let chowned = false;
  const cleanup = async (): Promise<void> => {
    if (chowned) {
      await asRoot(capability.privileged, ["rm", "-rf", "--one-file-system", "--", ...owned]);
    }
    await rm(base, { recursive: true, force: true }).catch(() => undefined);
    await rmdir(base).catch(() => undefined);
  };
  try {
    await chmod(base, 0o711);
    await mkdir(tree);
    await Promise.all([mkdir(home), mkdir(tmp)]);
    await copyTree(root, tree);
    chowned = true;
    const chown = await asRoot(capability.privileged, [
      "chown",
      "-R",
      "-h",
      "-P",
      `${capability.uid}:${capability.gid}`,
      "--",
      ...owned,
    ]);
    if (chown.code !== 0)
      throw new Error(`could not hand the copy to ${SANDBOX_USER}: ${lastLine(chown.stderr)}`);
    const env = {
      ...options.env,
      HOME: home,
      TMPDIR: tmp,
      USER: SANDBOX_USER,
      LOGNAME: SANDBOX_USER,
    };
    const seconds = (ms: number) => `${Math.max(ms, 1) / 1000}s`;
    const argv = [
      ...capability.privileged,
      ...NAMESPACES,
      "sh",
      "-c",
      WRAPPER,
      "issue-agent-sandbox",
      String(capability.uid),
      String(capability.gid),
      tree,
      seconds(options.timeoutMs),
      seconds(options.killGraceMs),
      String(hidden.dirs.length),
      String(hidden.files.length),
      ...hidden.dirs,
      ...hidden.files,
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      "bash",
      "-c",
      options.command,
    ];
    return { dir: tree, argv, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** A copy of the tree for an unisolated run (the opt-out): same view, no other protection. */
export async function prepareUnisolated(root: string): Promise<{
  dir: string;
  home: string;
  tmp: string;
  cleanup: () => Promise<void>;
}> {
  root = checkoutRoot(root);
  const parent = sandboxParent([], root);
  if (!parent) throw new Error("no temporary folder outside the tree for the check's copy");
  const base = await mkdtemp(join(parent, `${SANDBOX_USER}-`));
  const dir = join(base, "tree");
  const home = join(base, "home");
  const tmp = join(base, "tmp");
  await Promise.all([mkdir(dir), mkdir(home), mkdir(tmp)]);
  const cleanup = () => rm(base, { recursive: true, force: true }).catch(() => undefined);
  try {
    await copyTree(root, dir);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dir, home, tmp, cleanup };
}
