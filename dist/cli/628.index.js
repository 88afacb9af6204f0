export const id = 628;
export const ids = [628];
export const modules = {

/***/ 803:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cg: () => (/* binding */ checkPath),
/* harmony export */   D_: () => (/* binding */ DEFAULT_PROTECTED),
/* harmony export */   NP: () => (/* binding */ normalizeRepoPath),
/* harmony export */   Pi: () => (/* binding */ checkPathInTree),
/* harmony export */   zj: () => (/* binding */ DEFAULT_POLICY)
/* harmony export */ });
/* unused harmony export matchesGlob */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _protocol_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9811);



const DEFAULT_PROTECTED = [".github/workflows/**"];
const DEFAULT_POLICY = { protected: DEFAULT_PROTECTED, allow: [] };
/**
 * Normalises a repository-relative path as the model wrote it (backslashes, `./`, doubled
 * slashes) and refuses anything that could leave the repository: absolute paths, drive
 * letters, `~`, and any `..` segment (even one that would resolve inside: an edit has no
 * reason to spell its path that way).
 */
function normalizeRepoPath(raw) {
    if (raw.trim() === "")
        return { ok: false, message: "empty path" };
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point.
    if (/[\u0000-\u001f]/.test(raw)) {
        return { ok: false, message: `path ${JSON.stringify(raw)} contains control characters` };
    }
    const slashed = raw.replace(/\\/g, "/");
    if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed) || slashed.startsWith("~")) {
        return {
            ok: false,
            message: `path ${JSON.stringify(raw)} is absolute; give it relative to the repository root`,
        };
    }
    if (slashed.endsWith("/"))
        return { ok: false, message: `path ${JSON.stringify(raw)} names a directory` };
    const segments = slashed.split("/").filter((s) => s !== "" && s !== ".");
    if (segments.includes("..")) {
        return {
            ok: false,
            message: `path ${JSON.stringify(raw)} contains "..": paths must stay inside the repository`,
        };
    }
    if (segments.length === 0)
        return { ok: false, message: `path ${JSON.stringify(raw)} names the repository root` };
    return { ok: true, path: segments.join("/") };
}
/**
 * Checks a path against the policy, lexically: normalisation first, then `.git/` (always
 * refused: a write there could plant a hook), then the protected globs unless allowed.
 */
function checkPath(raw, policy = DEFAULT_POLICY) {
    const normal = normalizeRepoPath(raw);
    if (!normal.ok)
        return normal;
    return checkNormalized(normal.path, policy);
}
/**
 * {@link checkPath}, then the file system: no part of the path may be a symlink, whether
 * it points inside the repository, outside it, or nowhere (a dangling link would be
 * created through, into `.git/hooks/` or `.github/workflows/` say). The file itself must
 * not be a directory. Returns the normalised repository-relative path.
 */
async function checkPathInTree(root, raw, policy = DEFAULT_POLICY) {
    const lexical = checkPath(raw, policy);
    if (!lexical.ok)
        return lexical;
    const segments = lexical.path.split("/");
    let at = root;
    for (const [index, segment] of segments.entries()) {
        at = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(at, segment);
        const stat = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(at).catch(() => undefined);
        // Nothing below a missing segment can exist yet, let alone be a link.
        if (stat === undefined)
            break;
        if (stat.isSymbolicLink())
            return {
                ok: false,
                message: `path ${lexical.path} goes through the symlink ${segments.slice(0, index + 1).join("/")}; edits never write through links`,
            };
        if (index === segments.length - 1 && stat.isDirectory())
            return { ok: false, message: `path ${lexical.path} is a directory, not a file` };
    }
    return lexical;
}
/** Whether `path` matches `glob` (`**` any depth, `*` and `?` within a segment, `{a,b}`). */
function matchesGlob(path, glob) {
    return globToRegExp(glob).test(path);
}
function checkNormalized(path, policy) {
    // The contract's rule, whatever the spelling: `.GIT`, `.git.`, `GIT~1`...
    if ((0,_protocol_index_js__WEBPACK_IMPORTED_MODULE_2__/* .repoPathProblem */ .Js)(path) === "is inside .git/") {
        return { ok: false, message: `path ${path} is inside .git/, which edits never touch` };
    }
    const rule = policy.protected.find((g) => matchesGlob(path, g));
    if (rule !== undefined && !policy.allow.some((g) => matchesGlob(path, g))) {
        return {
            ok: false,
            message: `path ${path} is protected (matches "${rule}"); a maintainer must allow it explicitly`,
        };
    }
    return { ok: true, path };
}
const globCache = new Map();
function globToRegExp(glob) {
    const cached = globCache.get(glob);
    if (cached)
        return cached;
    // A trailing slash means "this directory and everything in it", as in .gitignore.
    const source = glob.endsWith("/") ? `${glob}**` : glob;
    let re = "";
    for (let i = 0; i < source.length; i++) {
        const c = source.charAt(i);
        if (c === "*" && source.charAt(i + 1) === "*") {
            const slashAfter = source.charAt(i + 2) === "/";
            // `**/` matches zero or more whole segments; a final `**` matches the rest.
            re += slashAfter ? "(?:[^/]+/)*" : ".*";
            i += slashAfter ? 2 : 1;
        }
        else if (c === "*") {
            re += "[^/]*";
        }
        else if (c === "?") {
            re += "[^/]";
        }
        else if (c === "{") {
            const close = source.indexOf("}", i);
            if (close === -1) {
                re += "\\{";
            }
            else {
                re += `(?:${source
                    .slice(i + 1, close)
                    .split(",")
                    .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, "\\$&"))
                    .join("|")})`;
                i = close;
            }
        }
        else {
            re += c.replace(/[.+^$()|[\]\\{}]/g, "\\$&");
        }
    }
    // Case-insensitive: on a case-insensitive checkout `.GitHub/Workflows/ci.yml` is the
    // protected file itself.
    const compiled = new RegExp(`^${re}$`, "i");
    globCache.set(glob, compiled);
    return compiled;
}


/***/ }),

/***/ 9168:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WJ: () => (/* binding */ INPUT_DEFAULTS),
/* harmony export */   Zo: () => (/* binding */ AUTO_CONTEXT_TOKENS)
/* harmony export */ });
/* unused harmony exports SettingsError, readSettings, weakSigningKey */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6921);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8532);
/* harmony import */ var _protocol_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9811);
/* harmony import */ var _context_list_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(867);
/* harmony import */ var _edits_path_policy_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(803);




/**
 * The Action's inputs, parsed once into a typed object. Every error names the input and
 * the expected format. The object holds the token and the signing key: never log it whole.
 */
const csv = zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().transform((value) => value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean));
/**
 * `context-tokens: auto`: a generous ranked context, which the worker fits to its model's
 * window (NUM_CTX), lowest-ranked files first. A number caps it on the Action's side.
 */
const AUTO_CONTEXT_TOKENS = 48_000;
const positiveInt = (name, max) => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().transform((value, ctx) => {
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > max) {
        ctx.addIssue({
            code: "custom",
            message: `Invalid input '${name}': expected a whole number from 1 to ${max}, got '${value}'`,
        });
        return zod__WEBPACK_IMPORTED_MODULE_4__/* .NEVER */ .tm;
    }
    return Number(trimmed);
});
const bool = (name) => zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().transform((value, ctx) => {
    const v = value.trim().toLowerCase();
    if (["true", "yes", "1"].includes(v))
        return true;
    if (["false", "no", "0", ""].includes(v))
        return false;
    ctx.addIssue({
        code: "custom",
        message: `Invalid input '${name}': expected true or false, got '${value}'`,
    });
    return zod__WEBPACK_IMPORTED_MODULE_4__/* .NEVER */ .tm;
});
const SettingsSchema = zod__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    githubToken: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
        .min(1, "Invalid input 'github-token': it is empty; the default is the workflow's GITHUB_TOKEN"),
    amqpUrl: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP()
        .refine(_protocol_index_js__WEBPACK_IMPORTED_MODULE_0__/* .isBrokerUrlList */ .NM, `Invalid input 'amqp-url': expected ${_protocol_index_js__WEBPACK_IMPORTED_MODULE_0__/* .BROKER_URL_FORM */ .tE}`),
    signingKey: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    allowUnsigned: bool("allow-unsigned"),
    requestQueue: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1),
    timeoutMinutes: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().transform((value, ctx) => {
        // Minutes, fractions allowed (0.5 = 30 s), so short deadlines can be tried out.
        const minutes = Number(value.trim());
        // The worker refuses a request meant to live longer (a bound on replays).
        const most = _protocol_index_js__WEBPACK_IMPORTED_MODULE_0__/* .MAX_REQUEST_LIFETIME_MS */ .Md / 60_000;
        if (!/^\d+(\.\d+)?$/.test(value.trim()) || minutes <= 0 || minutes > most) {
            ctx.addIssue({
                code: "custom",
                message: `Invalid input 'timeout-minutes': expected a number of minutes above 0 and at most ${most}, got '${value}'`,
            });
            return zod__WEBPACK_IMPORTED_MODULE_4__/* .NEVER */ .tm;
        }
        return minutes;
    }),
    triggerLabel: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1, "Invalid input 'trigger-label': it is empty"),
    quickfixLabel: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    requireLabelOnOpen: bool("require-label-on-open"),
    allowedAssociations: csv,
    branchPrefix: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().refine(
    // Git refuses a ref with an empty part (`a//`), a part starting with '.', or `..`;
    // the prefix is followed by `issue-N`, so it may end with '/'.
    (v) => /^[A-Za-z0-9._/-]*$/.test(v) &&
        !v.includes("..") &&
        !/(^|\/)(\/|\.)/.test(v) &&
        !/\.lock(\/|$)/.test(v), "Invalid input 'branch-prefix': use letters, digits, '.', '_', '-' and '/', no empty part ('a//') and no part starting with '.'"),
    contextTokens: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().transform((value, ctx) => {
        if (value.trim().toLowerCase() === "auto")
            return AUTO_CONTEXT_TOKENS;
        const trimmed = value.trim();
        if (/^\d+$/.test(trimmed) && Number(trimmed) >= 1 && Number(trimmed) <= 1_000_000)
            return Number(trimmed);
        ctx.addIssue({
            code: "custom",
            message: `Invalid input 'context-tokens': expected auto or a whole number from 1 to 1000000, got '${value}'`,
        });
        return zod__WEBPACK_IMPORTED_MODULE_4__/* .NEVER */ .tm;
    }),
    model: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    labelPending: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1),
    labelFailed: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1),
    labelApplied: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1),
    protectedPaths: csv,
    checkCommand: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    checkCommandUnisolated: bool("check-command-unisolated"),
    checkTimeoutMinutes: positiveInt("check-timeout-minutes", 120),
    ignoreFile: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP(),
    botLogin: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().min(1, "Invalid input 'bot-login': it is empty"),
    issueNumber: zod__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().transform((value, ctx) => {
        if (value.trim() === "")
            return undefined;
        if (!/^\d+$/.test(value.trim()) || Number(value.trim()) < 1) {
            ctx.addIssue({
                code: "custom",
                message: `Invalid input 'issue-number': expected an issue number (1 or more), got '${value}'`,
            });
            return zod__WEBPACK_IMPORTED_MODULE_4__/* .NEVER */ .tm;
        }
        return Number(value.trim());
    }),
});
/**
 * Input names as declared in action.yml, with the defaults used when an input is absent.
 * Defaults that the code also needs outside the inputs (the queue, the ignore file, the
 * protected paths) are taken from where that code defines them, so there is one source;
 * test/action/settings.test.ts checks that every default here equals action.yml's.
 */
const INPUT_DEFAULTS = {
    "github-token": "",
    "amqp-url": "",
    "signing-key": "",
    "allow-unsigned": "false",
    "request-queue": _protocol_index_js__WEBPACK_IMPORTED_MODULE_0__/* .REQUEST_QUEUE */ .W3,
    "timeout-minutes": "20",
    "trigger-label": "ai-agent",
    "quickfix-label": "ai-quickfix",
    "require-label-on-open": "true",
    "allowed-associations": "OWNER,MEMBER,COLLABORATOR",
    "branch-prefix": "ai-agent/",
    "context-tokens": "auto",
    model: "",
    "label-pending": "plan-pending",
    "label-failed": "plan-failed",
    "label-applied": "plan-applied",
    "protected-paths": _edits_path_policy_js__WEBPACK_IMPORTED_MODULE_2__/* .DEFAULT_PROTECTED */ .D_.join(","),
    "check-command": "",
    "check-command-unisolated": "false",
    "check-timeout-minutes": "10",
    "ignore-file": _context_list_files_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_IGNORE_FILE */ .Ow,
    "bot-login": "github-actions[bot]",
    "issue-number": "",
};
/** Thrown for bad inputs; its message is shown as is. */
class SettingsError extends (/* unused pure expression or super */ null && (Error)) {
}
/** Reads and validates every input through `getInput` (core.getInput in the Action). */
function readSettings(getInput) {
    const raw = (name) => {
        const value = getInput(name);
        return value === "" ? (INPUT_DEFAULTS[name] ?? "") : value;
    };
    const parsed = SettingsSchema.safeParse({
        githubToken: raw("github-token"),
        amqpUrl: raw("amqp-url").trim(),
        signingKey: raw("signing-key"),
        allowUnsigned: raw("allow-unsigned"),
        requestQueue: raw("request-queue"),
        timeoutMinutes: raw("timeout-minutes"),
        triggerLabel: raw("trigger-label").trim(),
        quickfixLabel: raw("quickfix-label").trim(),
        requireLabelOnOpen: raw("require-label-on-open"),
        allowedAssociations: raw("allowed-associations").toUpperCase(),
        branchPrefix: raw("branch-prefix").trim(),
        contextTokens: raw("context-tokens"),
        model: raw("model").trim(),
        labelPending: raw("label-pending").trim(),
        labelFailed: raw("label-failed").trim(),
        labelApplied: raw("label-applied").trim(),
        protectedPaths: raw("protected-paths"),
        checkCommand: raw("check-command"),
        checkCommandUnisolated: raw("check-command-unisolated"),
        checkTimeoutMinutes: raw("check-timeout-minutes"),
        ignoreFile: raw("ignore-file").trim(),
        botLogin: raw("bot-login").trim(),
        issueNumber: raw("issue-number"),
    });
    if (!parsed.success) {
        throw new SettingsError(parsed.error.issues.map((issue) => issue.message).join("\n"));
    }
    // An empty key is most often a secret that is not set (GitHub passes ""): never read
    // that as "do not sign".
    if (parsed.data.signingKey.trim() === "" && !parsed.data.allowUnsigned)
        throw new SettingsError("Invalid input 'signing-key': it is empty (is the secret set?). Set it to the worker's SIGNING_KEY, or set allow-unsigned: true to run without signatures, letting anyone who can publish to the broker forge the worker's replies.");
    return parsed.data;
}
/**
 * Why `signing-key` cannot sign a request, if it cannot: too short to be a secret. Asked
 * when a request is about to be signed, not at start: an event the gate skips needs no key.
 */
function weakSigningKey(key) {
    const reason = weakKeyReason(key);
    return reason && `Invalid input 'signing-key': ${reason}, the same as the worker's SIGNING_KEY.`;
}


/***/ }),

/***/ 5628:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runContextCommand: () => (/* binding */ runContextCommand)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var _action_context_build_context_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7102);
/* harmony import */ var _action_settings_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9168);
/**
 * `issue-agent context`: ranks the files of a checkout for an issue, exactly as the
 * Action does, and prints why each file was chosen. With `--json` stdout carries only
 * `{"files":[{"path","score","reasons","lines","focus"}],"scan":{...}}` (`lines`: the line
 * ranges a plan request would send of the file, at the Action's default budget; `focus`:
 * the ranges among them where the evidence is, best first, which a worker with a small
 * window keeps first; `scan`: how many files were read, on how many threads); logs and
 * errors go to stderr.
 */




const USAGE = `Usage: issue-agent context --repo DIR (--title-file F | --title TEXT)
                         [--body-file F | --body TEXT] [--top K] [--json] [--ignore-file F]

Ranks the files of the checkout in DIR for the issue and prints the best K (default 10)
with the signals that chose them. --json prints
{"files":[{"path","score","reasons","lines","focus"}],"scan":{"files","threads","workerBatches"}},
where lines are the [start, end] ranges a plan request would send of each file, focus the
ranges among them where the issue's evidence is (best first), and scan says how the
checkout was read.
ISSUE_AGENT_SCAN_THREADS=N caps the threads that read it (default: one per core, at most 4).`;
/**
 * Runs the `context` subcommand. Returns the process exit code: 0 on success, 2 for
 * usage errors, 1 when the repository or an issue file cannot be read.
 */
async function runContextCommand(argv) {
    let values;
    try {
        ({ values } = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.parseArgs)({
            args: argv,
            options: {
                repo: { type: "string" },
                "title-file": { type: "string" },
                "body-file": { type: "string" },
                title: { type: "string" },
                body: { type: "string" },
                top: { type: "string", default: "10" },
                json: { type: "boolean", default: false },
                "ignore-file": { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: false,
        }));
    }
    catch (error) {
        process.stderr.write(`issue-agent context: ${error.message}\n\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (values.repo === undefined)
        return usageError("--repo is required");
    if (values.title === undefined && values["title-file"] === undefined) {
        return usageError("--title-file or --title is required");
    }
    const top = Number(values.top);
    if (!Number.isInteger(top) || top < 1 || top > 1000) {
        return usageError(`--top: expected a positive integer up to 1000, got '${values.top}'`);
    }
    let title;
    let body;
    try {
        title = values.title ?? (await readIssueFile(values["title-file"] ?? "", "title"));
        body =
            values.body ??
                (values["body-file"] === undefined ? "" : await readIssueFile(values["body-file"], "body"));
    }
    catch (error) {
        process.stderr.write(`issue-agent context: ${error.message}\n`);
        return 1;
    }
    if (!title.trim() && !body.trim())
        return usageError("the issue is empty: give its words with --title (and --body)");
    let ranking;
    let ranked;
    const ignoreFile = values["ignore-file"];
    const options = {
        repoDir: values.repo,
        title: title.trim(),
        body,
        ...(ignoreFile === undefined ? {} : { ignoreFile }),
    };
    try {
        // Ranked once, at least as deep as a plan request ranks, for the lines it would send.
        ranked = await (0,_action_context_build_context_js__WEBPACK_IMPORTED_MODULE_2__/* .rankRepository */ .t1)({ ...options, top: Math.max(top, 50) });
        ranking = ranked.ranking.slice(0, top);
    }
    catch (error) {
        process.stderr.write(`issue-agent context: ${error.message}\n`);
        return 1;
    }
    if (values.json) {
        const context = await (0,_action_context_build_context_js__WEBPACK_IMPORTED_MODULE_2__/* .assembleContext */ .uE)({ ...options, tokenBudget: _action_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .AUTO_CONTEXT_TOKENS */ .Zo }, ranked);
        const sent = new Map(context.files.map((f) => [f.path, f]));
        const ranges = (regions = []) => regions.map((r) => [r.startLine, r.endLine]);
        const files = ranking.map((file) => ({
            ...file,
            lines: ranges(sent.get(file.path)?.excerpts),
            focus: ranges(sent.get(file.path)?.focus),
        }));
        const scan = { files: ranked.paths.length, ...ranked.scan };
        process.stdout.write(`${JSON.stringify({ files, scan })}\n`);
    }
    else {
        process.stdout.write(formatTable(ranking));
    }
    return 0;
}
function usageError(message) {
    process.stderr.write(`issue-agent context: ${message}\n\n${USAGE}\n`);
    return 2;
}
async function readIssueFile(path, what) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(path, "utf8");
    }
    catch (error) {
        const code = error.code ?? "error";
        throw new Error(`cannot read the issue ${what} file '${path}' (${code})`, { cause: error });
    }
}
/** A readable table: rank, score, path, then the reasons indented below. */
function formatTable(ranking) {
    if (ranking.length === 0)
        return "No file matched the issue.\n";
    const width = String(ranking.length).length;
    const lines = [];
    ranking.forEach((file, i) => {
        lines.push(`${String(i + 1).padStart(width)}. ${file.score.toFixed(2).padStart(7)}  ${file.path}`);
        for (const reason of file.reasons)
            lines.push(`${" ".repeat(width + 11)}- ${reason}`);
    });
    return `${lines.join("\n")}\n`;
}


/***/ })

};
