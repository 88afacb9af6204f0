export const id = 766;
export const ids = [766];
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

/***/ 9766:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 10 modules
var core = __webpack_require__(7264);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
;// CONCATENATED MODULE: ./.build/action/cancellation.js
/**
 * A cancelled workflow run. GitHub cancels a job by sending the Action's process SIGINT,
 * then SIGTERM about 7.5 s later, then killing it: the first signal is the only warning,
 * and the run has those seconds to leave the issue in a state that says what happened.
 */
/** Thrown where a cancelled run stops; the pipeline's failure handler reports it. */
class RunCancelledError extends Error {
    signalName;
    published;
    constructor(signalName, 
    /** What the run had already finished when it stopped, for the tracking comment. */
    published = {}) {
        super(`the workflow run was cancelled (${signalName})`);
        this.signalName = signalName;
        this.published = published;
        this.name = "RunCancelledError";
    }
    get pullRequestUrl() {
        return this.published.pullRequestUrl;
    }
    get planHash() {
        return this.published.planHash;
    }
}
/**
 * The run's cancellation state: requested once, by the first signal. Steps check it at
 * their boundaries (`throwIfCancelled`) and long waits listen to `signal`, so a run stops
 * waiting at once but never stops half way through a GitHub write.
 */
class Cancellation {
    controller = new AbortController();
    /** Aborted (with a RunCancelledError as its reason) when the run is cancelled. */
    get signal() {
        return this.controller.signal;
    }
    get requested() {
        return this.controller.signal.aborted;
    }
    /** Requests cancellation; true only the first time (later signals change nothing). */
    cancel(signalName) {
        if (this.requested)
            return false;
        this.controller.abort(new RunCancelledError(signalName));
        return true;
    }
    /**
     * Throws a RunCancelledError once cancellation was requested, naming what the run had
     * already `published` (a pull request that stays open) so the comment can say so.
     */
    throwIfCancelled(published) {
        if (!this.requested)
            return;
        const reason = this.controller.signal.reason;
        throw published ? new RunCancelledError(reason.signalName, published) : reason;
    }
}
/** The signals a runner sends when a workflow run is cancelled, in the order it sends them. */
const CANCEL_SIGNALS = ["SIGINT", "SIGTERM"];
/**
 * Turns the runner's cancel signals into `cancellation`. The first one cancels; later ones
 * are only logged: exiting on the second would cut a GitHub write in half (a branch
 * without its pull request), and the runner kills the process anyway if the clean-up
 * overruns. Installing handlers also stops Node's default of exiting on the spot.
 * Returns a function that removes the handlers.
 */
function cancelOnSignals(cancellation, processLike, log) {
    const onSignal = (signalName) => {
        if (cancellation.cancel(signalName))
            log.first(`Received ${signalName}: the workflow run was cancelled. Stopping and cleaning up.`);
        else
            log.again(`Received ${signalName} again; still cleaning up, nothing else is started.`);
    };
    for (const name of CANCEL_SIGNALS)
        processLike.on(name, onSignal);
    return () => {
        for (const name of CANCEL_SIGNALS)
            processLike.off(name, onSignal);
    };
}

// EXTERNAL MODULE: ./.build/action/conventions.js
var conventions = __webpack_require__(7265);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./node_modules/bottleneck/lib/index.js
var lib = __webpack_require__(2203);
;// CONCATENATED MODULE: ./.build/action/github/octokit.js
/**
 * The one Octokit factory, plus what the rest of the Action needs to know about GitHub's
 * failures: the error texts GitHub sends (as named constants) and a translation of an
 * Octokit error into a message that says what to fix.
 */




/** Texts GitHub puts in error messages; matched case-insensitively as substrings. */
const GitHubErrorText = {
    resourceNotAccessible: "Resource not accessible by integration",
    actionsCannotCreatePullRequests: "GitHub Actions is not permitted to create or approve pull requests",
    badCredentials: "Bad credentials",
    secondaryRateLimit: "secondary rate limit",
    primaryRateLimit: "API rate limit exceeded",
    pullRequestExists: "A pull request already exists",
    noCommitsBetween: "No commits between",
    referenceExists: "Reference already exists",
    referenceMissing: "Reference does not exist",
    notFastForward: "Update is not a fast forward",
    labelMissing: "Label does not exist",
    alreadyExists: "already_exists",
    draftsUnsupported: "Draft pull requests are not supported",
    issueLocked: "issue is locked",
};
// Statuses that a retry cannot fix. 403 stays here: the throttling plugin handles the
// rate-limit kind of 403 on its own, and every other 403 is a permission problem.
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 451];
/**
 * Creates the Octokit client: `@actions/github`'s client with retry (5xx, network) and
 * throttling (secondary and primary rate limits, bounded retries) plugins.
 */
function createGitHubClient(settings) {
    const retries = settings.retries ?? 3;
    const rateLimitRetries = settings.rateLimitRetries ?? 2;
    const maxWait = settings.maxRateLimitWaitSeconds ?? 120;
    const unit = settings.retryUnitMs ?? 1000;
    const warn = settings.log?.warn ?? (() => undefined);
    const onLimit = (kind) => (retryAfter, options, _octokit, retryCount) => {
        const request = `${options.method ?? "?"} ${options.url ?? "?"}`;
        if (retryCount < rateLimitRetries && retryAfter <= maxWait) {
            warn(`GitHub ${kind} rate limit on ${request}; retrying after ${retryAfter} s`);
            return true;
        }
        warn(`GitHub ${kind} rate limit on ${request}; giving up after ${retryCount} retries`);
        return false;
    };
    const spacing = settings.writeSpacingMs;
    const groups = spacing === undefined
        ? {}
        : {
            write: new lib.Group({ maxConcurrent: 1, minTime: spacing }),
            notifications: new lib.Group({ maxConcurrent: 1, minTime: spacing }),
        };
    return (0,github/* getOctokit */.Q)(settings.token, {
        baseUrl: settings.baseUrl.replace(/\/+$/, ""),
        ...(settings.userAgent === undefined ? {} : { userAgent: settings.userAgent }),
        log: { debug: () => undefined, info: () => undefined, warn, error: warn },
        retry: { doNotRetry: DO_NOT_RETRY, retries, retryAfterBaseValue: unit },
        throttle: {
            onSecondaryRateLimit: onLimit("secondary"),
            onRateLimit: onLimit("primary"),
            retryAfterBaseValue: unit,
            fallbackSecondaryRateRetryAfter: 60,
            ...groups,
        },
    }, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
/** The HTTP status of an Octokit error, or undefined for anything else. */
function errorStatus(error) {
    const status = error?.status;
    return typeof status === "number" ? status : undefined;
}
/**
 * Everything GitHub said about a failure: the message plus each entry of `errors`
 * (where GitHub puts "A pull request already exists for …" and "already_exists").
 */
function errorText(error) {
    if (error === null || typeof error !== "object")
        return String(error);
    const parts = [];
    if (error instanceof Error)
        parts.push(error.message);
    const data = error.response?.data;
    if (data !== null && typeof data === "object") {
        const { message, errors } = data;
        if (typeof message === "string")
            parts.push(message);
        if (Array.isArray(errors)) {
            for (const entry of errors) {
                if (typeof entry === "string")
                    parts.push(entry);
                else if (entry !== null && typeof entry === "object") {
                    const { message: m, code } = entry;
                    if (typeof m === "string")
                        parts.push(m);
                    if (typeof code === "string")
                        parts.push(code);
                }
            }
        }
    }
    return parts.join("\n");
}
/** True when the error is an HTTP `status` whose text contains `text`. */
function isGitHubError(error, status, text) {
    if (errorStatus(error) !== status)
        return false;
    return text === undefined || errorText(error).toLowerCase().includes(text.toLowerCase());
}
/** The workflow permission a request needs, derived from its path. */
function requiredPermission(method, url) {
    const access = method.toUpperCase() === "GET" ? "read" : "write";
    const { pathname } = new URL(url, "https://api.github.invalid");
    if (/^\/repos\/[^/]+\/[^/]+\/pulls(\/|$)/.test(pathname))
        return `pull-requests: ${access}`;
    if (/^\/repos\/[^/]+\/[^/]+\/(issues|labels)(\/|$)/.test(pathname))
        return `issues: ${access}`;
    return `contents: ${access}`;
}
const PERMISSIONS_BLOCK = [
    "permissions:",
    "  contents: write",
    "  pull-requests: write",
    "  issues: write",
].join("\n");
/**
 * Turns a GitHub failure into a message that names the request and what to fix (missing
 * workflow permission, bad token, missing repository, rate limit). Anything else keeps
 * GitHub's own words.
 */
function describeGitHubError(error) {
    const status = errorStatus(error);
    const text = errorText(error);
    const lower = text.toLowerCase();
    const request = error?.request;
    const method = request?.method ?? "";
    const url = request?.url ?? "";
    const target = method !== ""
        ? `${method} ${new URL(url, "https://api.github.invalid").pathname}`
        : "GitHub request";
    const said = firstLine(text);
    if (status === undefined) {
        // Not an HTTP failure (our own checks, a network error): its message is the story.
        return error instanceof Error ? error.message : `${target} failed: ${said}`;
    }
    if (status === 401) {
        return `${target} failed (401 ${said}): the token is missing, expired or invalid. Check the 'github-token' input (the default is the workflow's GITHUB_TOKEN).`;
    }
    if ((status === 403 || status === 429) && lower.includes(GitHubErrorText.secondaryRateLimit)) {
        return `${target} failed: GitHub's secondary rate limit was hit and retries ran out. Retry the run later (re-run the job or re-apply the trigger label).`;
    }
    if ((status === 403 || status === 429) &&
        lower.includes(GitHubErrorText.primaryRateLimit.toLowerCase())) {
        return `${target} failed: the token's API rate limit is exhausted. Retry after the limit resets.`;
    }
    if (status === 403 &&
        lower.includes(GitHubErrorText.actionsCannotCreatePullRequests.toLowerCase())) {
        return `${target} failed (403): ${said}. Enable "Allow GitHub Actions to create and approve pull requests" in the repository (or organization) Settings → Actions → General, or pass a token with pull request access.`;
    }
    if (status === 403 && lower.includes(GitHubErrorText.issueLocked.toLowerCase())) {
        return `${target} failed (403 ${said}): the issue's conversation is locked, so the agent cannot comment on it. Unlock it (the issue's sidebar, "Unlock conversation") and run again.`;
    }
    if (status === 403) {
        const accepted = headerValue(error, "x-accepted-github-permissions");
        const needed = accepted === undefined
            ? requiredPermission(method || "POST", url)
            : (accepted.split(/[;,]/)[0]?.replace("=", ": ").replace("_", "-") ?? "");
        return `${target} failed (403 ${said}): the workflow token lacks \`${needed}\`. Grant it in the workflow file:\n${PERMISSIONS_BLOCK}`;
    }
    if (status === 404) {
        return `${target} failed (404): the repository, issue or object was not found, or the token has no access to it. Check the repository name and that the token can read it.`;
    }
    if (status === 422) {
        // Bare error codes ("custom", "invalid") add nothing to the messages beside them.
        const details = text
            .split("\n")
            .slice(1)
            .filter((l) => l.trim().length > 0 && !/^[a-z_]+$/.test(l.trim()));
        return `${target} was rejected (422): ${details.join("; ") || said}`;
    }
    if (status >= 500)
        return `${target} failed (${status}): GitHub had a server error and retries ran out. Retry the run later.`;
    return `${target} failed (${status}): ${said}`;
}
function firstLine(text) {
    const lines = text.split("\n").filter((l) => l.trim().length > 0);
    // Octokit's message repeats the body; GitHub's own message is more useful when present.
    return lines[1] ?? lines[0] ?? "unknown error";
}
function headerValue(error, name) {
    const headers = error?.response
        ?.headers;
    const value = headers?.[name];
    return typeof value === "string" ? value : undefined;
}

;// CONCATENATED MODULE: ./.build/action/github/permissions.js
/**
 * Who may drive the Action: a user's permission on the repository, read from
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission`.
 */

const ORDER = ["none", "read", "triage", "write", "maintain", "admin"];
/**
 * The user's role on the repository. `role_name` carries the fine-grained role
 * (maintain/triage); the legacy `permission` field folds them into write/read and is used
 * only when the role is a custom one. A user GitHub does not know has no access.
 */
async function getRepoPermission(client, target) {
    try {
        const { data } = await client.rest.repos.getCollaboratorPermissionLevel({
            owner: target.owner,
            repo: target.repo,
            username: target.username,
        });
        const role = data.role_name;
        if (ORDER.includes(role))
            return role;
        const legacy = data.permission;
        return ORDER.includes(legacy) ? legacy : "none";
    }
    catch (error) {
        if (errorStatus(error) === 404)
            return "none";
        throw error;
    }
}
/** True when `permission` is at least write (write, maintain or admin). */
function isWriteLevel(permission) {
    return ORDER.indexOf(permission) >= ORDER.indexOf("write");
}
/** Whether the user can push to the repository (admin, maintain or write). */
async function hasWriteAccess(client, target) {
    return isWriteLevel(await getRepoPermission(client, target));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./node_modules/amqplib/channel_api.js
var channel_api = __webpack_require__(3222);
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

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 7 modules
var schemas = __webpack_require__(2311);
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











;// CONCATENATED MODULE: ./.build/action/transport/work-client.js




/** The broker refused or could not be reached; the message names the host, never the password. */
class TransportError extends Error {
}
/**
 * The connection or channel went away under an operation: the broker's view of it is
 * unknown. Internal: submit() retries on the next connection, and what still escapes is
 * a TransportError to callers.
 */
class ConnectionLostError extends TransportError {
}
/** The broker refused the publish (nack); sent again until the deadline, then reported. */
class RefusedError extends TransportError {
}
/** No terminal reply before the deadline. */
class DeadlineError extends Error {
}
/** Pause before sending a request again after the connection dropped under it. */
const RESEND_PAUSE_MS = 200;
/** How long the reply queue survives without a consumer (the requester gone or cut off). */
const REPLY_QUEUE_IDLE_EXPIRY_MS = 15 * 60 * 1000;
/**
 * A classic queue lives on the node it was declared on: when that node dies its replies
 * are out of reach (a re-declare on another node is refused) until it returns. With a
 * cluster (several URLs) the reply queue is a quorum queue, replicated like the request
 * queue, so the client resumes on a surviving node with every reply it had not read.
 */
function replyQueueArguments(replicated) {
    const expires = { "x-expires": REPLY_QUEUE_IDLE_EXPIRY_MS };
    return replicated ? { ...expires, "x-queue-type": "quorum" } : expires;
}
/** Why a worker's refusal of this run's own request could not be verified: the keys differ. */
const KEY_MISMATCH = "its signature did not verify on the worker, and the worker's answer does not verify with this run's signing-key: the two keys differ. Set the Action's signing-key and the worker's SIGNING_KEY to the same secret";
/** The same, from a worker that signs nothing. */
const WORKER_UNSIGNED = "the worker's answer carries no signature, while this run signs its requests: the worker runs without SIGNING_KEY. Set the worker's SIGNING_KEY to the Action's signing-key";
/**
 * The requester's side of the protocol. A client (one Action run, one CLI call) owns one
 * durable reply queue, not Direct Reply-to, which drops replies whenever the requester
 * blinks: after a disconnect the client consumes the same queue again and nothing is
 * lost; the queue expires after REPLY_QUEUE_IDLE_EXPIRY_MS without a consumer. Requests
 * are published persistent on a confirm channel with `expiration` = time left, so a
 * request nobody picked up in time dies in the queue instead of being computed late.
 * Replies are matched by correlation id; a second terminal reply for a request (at-least-
 * once delivery) finds nothing waiting and is dropped, so each request resolves once.
 */
class WorkClient {
    connection;
    options;
    replicated;
    /** The durable queue this client's replies come to. */
    replyQueue = `${REPLY_QUEUE_PREFIX}${(0,external_node_crypto_.randomUUID)()}`;
    pending = new Map();
    channel;
    consuming = false;
    constructor(connection, options, 
    /** Several brokers listed: a cluster, where the reply queue must outlive its node. */
    replicated) {
        this.connection = connection;
        this.options = options;
        this.replicated = replicated;
        // After a reconnect the old channel is gone: consume the reply queue again at once
        // and ask again for the requests still waiting whose reply may have been lost with the
        // broker or sent while the reply queue was out of reach (see askAgain).
        connection.on("connect", () => {
            this.channel = undefined;
            if (this.consuming && this.pending.size > 0) {
                // Taken before the drop, and only those: the new channel is not consuming yet, so
                // a progress it brings (a worker took the request while this client was away)
                // cannot count. Such a reply waits in the durable queue; asking again for it would
                // only have another worker compute it a second time.
                const takenBeforeTheDrop = new Set([...this.pending].filter(([, waiting]) => waiting.taken).map(([requestId]) => requestId));
                this.replyChannel().then(async (channel) => {
                    this.options.log?.("reconnected to RabbitMQ; still waiting for the reply");
                    await this.askAgain(channel, takenBeforeTheDrop);
                }, (error) => this.options.log?.(`could not resume reply consumption: ${error.message}`));
            }
        });
    }
    /** Connects, failing fast with a readable message if the broker is unreachable. */
    static async connect(options) {
        const host = describeBrokers(options.amqpUrl);
        try {
            // amqp-url may list several nodes of a cluster: each reconnect tries the next one.
            const brokers = brokerRotation(options.amqpUrl, { initialDelay: 200, maxDelay: 5000 });
            const connection = await (0,channel_api/* connect */.N)(brokers.target, {
                // TCP_NODELAY: see the worker's connection; Nagle adds ~40 ms per confirm.
                noDelay: true,
                clientProperties: { connection_name: options.connectionName ?? "issue-agent-action" },
                recovery: {
                    initialDelay: 200,
                    maxDelay: 5000,
                    // Two retries of a lone broker; with several, two more than one round of them.
                    initialMaxRetries: brokers.size + 1,
                    maxRetries: Infinity,
                    calculateDelay: (attempt) => brokers.calculateDelay(attempt),
                },
            });
            connection.on("error", () => undefined);
            return new WorkClient(connection, options, brokers.size > 1);
        }
        catch (error) {
            const reason = error.message.replace(/\/\/[^@/]*@/g, "//***@");
            throw new TransportError(`cannot connect to RabbitMQ at ${host} (input 'amqp-url'): ${reason}. Check the host, port, credentials and that the runner can reach it.`, { cause: error });
        }
    }
    /** The confirm channel, with the reply queue declared and consumed on it. */
    replyChannel() {
        this.channel ??= (async () => {
            const channel = await this.connection.createConfirmChannel();
            channel.on("error", () => undefined);
            channel.on("close", () => {
                if (this.channel === current)
                    this.channel = undefined;
            });
            await channel.assertQueue(this.replyQueue, {
                durable: true,
                exclusive: false,
                autoDelete: false,
                arguments: replyQueueArguments(this.replicated),
            });
            await channel.consume(this.replyQueue, (message) => this.onReply(channel, message), {
                noAck: false,
            });
            this.consuming = true;
            return channel;
        })();
        const current = this.channel;
        current.catch(() => {
            if (this.channel === current)
                this.channel = undefined;
        });
        return current;
    }
    onReply(channel, message) {
        if (!message)
            return;
        channel.ack(message);
        const correlationId = message.properties.correlationId;
        const waiting = typeof correlationId === "string" ? this.pending.get(correlationId) : undefined;
        if (!waiting)
            return; // finished already, or not ours
        const parsed = parseReply(message.content);
        if (this.options.signingKey) {
            const header = message.properties.headers?.[SIGNATURE_HEADER];
            const key = this.options.signingKey;
            const verified = verifyBody(message.content, header, key, { binding: waiting.binding });
            const refusal = !verified.ok &&
                parsed.ok &&
                parsed.value.type === "error" &&
                parsed.value.code === "invalid_request" &&
                parsed.value.requestDigest === waiting.refusal.digest
                ? parsed.value
                : undefined;
            // Any age will do for a refusal of this very body (the digest binds it to this
            // request alone): one the worker sent while the clocks disagree is still its own.
            const genuine = refusal !== undefined &&
                verifyBody(message.content, header, key, {
                    binding: waiting.refusal.binding,
                    maxSkewMs: Infinity,
                    maxAgeMs: Infinity,
                }).ok;
            if (refusal && !genuine) {
                // This run's very body, refused by a worker whose answer this key does not verify.
                // Said now, in words of our own (the text is unverified), instead of waiting out
                // the deadline for an answer that cannot come.
                this.pending.delete(correlationId);
                const message = typeof header === "string" && header !== "" ? KEY_MISMATCH : WORKER_UNSIGNED;
                waiting.resolve({ ...refusal, message, retryable: false });
                return;
            }
            if (!verified.ok && !refusal) {
                this.options.log?.(`ignored a reply that failed signature verification: ${verified.reason}`);
                return;
            }
        }
        if (!parsed.ok) {
            this.options.log?.(`ignored an unreadable reply: ${parsed.reason}`);
            return;
        }
        if (parsed.value.requestId !== correlationId)
            return;
        if (isTerminal(parsed.value)) {
            this.pending.delete(correlationId);
            waiting.resolve(parsed.value);
        }
        else {
            waiting.taken = true;
            waiting.onProgress?.(parsed.value);
        }
    }
    /**
     * Publishes a request and resolves with its one terminal reply, or rejects with a
     * DeadlineError when `request.deadline` passes first.
     */
    async submit(input, submitOptions = {}) {
        const request = input;
        const queue = this.options.requestQueue ?? REQUEST_QUEUE;
        const timeLeft = request.deadline - Date.now();
        if (timeLeft <= 0)
            throw new DeadlineError("the deadline passed before the request was sent");
        if (this.pending.has(request.requestId))
            throw new Error(`request ${request.requestId} is already waiting`);
        const { signal } = submitOptions;
        signal?.throwIfAborted();
        const body = Buffer.from(JSON.stringify({ ...request, version: PROTOCOL_VERSION }));
        let timer;
        let stopWaiting;
        const done = new Promise((resolve, reject) => {
            const digest = requestDigest(body);
            this.pending.set(request.requestId, {
                binding: replyBinding(request.requestId, {
                    owner: request.repo.owner,
                    name: request.repo.name,
                    issue: request.issue.number,
                }),
                refusal: { digest, binding: replyBinding(request.requestId, { requestDigest: digest }) },
                resolve,
                reject,
                onProgress: submitOptions.onProgress,
            });
            timer = setTimeout(() => {
                this.pending.delete(request.requestId);
                reject(new DeadlineError("no answer from the worker before the deadline"));
            }, timeLeft);
            stopWaiting = () => {
                this.pending.delete(request.requestId);
                reject(signal?.reason instanceof Error ? signal.reason : new Error("request abandoned"));
            };
            signal?.addEventListener("abort", stopWaiting, { once: true });
        });
        // Awaited below once the request is out; until then a rejection must not go unhandled.
        done.catch(() => undefined);
        try {
            const published = {
                queue,
                body,
                deadline: request.deadline,
                idempotencyKey: request.idempotencyKey,
            };
            const sent = this.sendUntilConfirmed(request.requestId, published, signal).then((declared) => {
                const waiting = this.pending.get(request.requestId);
                if (waiting)
                    waiting.published = published;
                submitOptions.onQueued?.({ ahead: Math.max(0, declared.messageCount) });
            });
            sent.catch(() => undefined);
            // Sending waits for a connection while the broker is away; the deadline, a cancel,
            // or a reply to an earlier copy end the wait all the same.
            await Promise.race([sent, done]);
            return await done;
        }
        finally {
            clearTimeout(timer);
            if (stopWaiting)
                signal?.removeEventListener("abort", stopWaiting);
            this.pending.delete(request.requestId);
        }
    }
    /**
     * Declares the request queue and publishes the request until the broker confirms it.
     * A connection lost before the confirm (the node went away) leaves unknown whether the
     * request reached the queue, so it is sent again, same id, on the next connection (the
     * next node of a cluster) while the request is still waiting. Two copies queued cost at
     * most a second computation — a worker that answered the first answers the second from
     * memory — and the first terminal reply wins. A refusal (nack) is retried the same way until the deadline.
     */
    async sendUntilConfirmed(requestId, published, signal) {
        for (;;) {
            try {
                const declared = await this.declareRequestQueue(published.queue);
                // Cancelled while the queues were being declared: publish nothing.
                signal?.throwIfAborted();
                await this.publish(await this.replyChannel(), requestId, published);
                return declared;
            }
            catch (error) {
                const stillWaiting = this.pending.has(requestId) && Date.now() < published.deadline;
                const retryable = error instanceof ConnectionLostError || error instanceof RefusedError;
                if (!retryable || !stillWaiting)
                    throw error;
                this.options.log?.(error instanceof RefusedError
                    ? `RabbitMQ refused request ${requestId} for now; sending it again`
                    : `the connection to RabbitMQ dropped before it confirmed request ${requestId}; sending it again`);
                // Channels wait for the next connection; a pause keeps a connection that fails as
                // soon as it opens from turning this into a busy loop.
                await (0,promises_.setTimeout)(RESEND_PAUSE_MS);
            }
        }
    }
    /**
     * Declares the request queue as the worker does (idempotent), so a request sent before
     * any worker ever ran is kept rather than dropped as unroutable.
     */
    async declareRequestQueue(queue) {
        const channel = await this.replyChannel().catch((error) => {
            throw new ConnectionLostError("no channel", { cause: error });
        });
        return channel
            .assertQueue(queue, {
            durable: true,
            arguments: requestQueueArguments(queue, DEFAULT_DELIVERY_LIMIT),
        })
            .catch(async () => {
            // Declared with other arguments (another delivery limit, say): use it as it is.
            // (A lost connection shows here too: the probe then waits for the next one.)
            this.channel = undefined;
            const probe = await this.connection.createChannel();
            try {
                return await probe.checkQueue(queue);
            }
            catch (error) {
                throw new ConnectionLostError("could not declare the request queue", { cause: error });
            }
            finally {
                await probe.close().catch(() => undefined);
            }
        });
    }
    /**
     * Publishes a request persistent with `expiration` = time left, and waits for the
     * broker's confirm. Signed at each publish: a request asked again long after its first
     * publish must not look like a replay.
     */
    async publish(channel, requestId, { queue, body, deadline, idempotencyKey }) {
        const headers = {
            [HEADER_PROTOCOL_VERSION]: PROTOCOL_VERSION,
            [HEADER_DEADLINE]: deadline,
        };
        if (this.options.signingKey)
            headers[SIGNATURE_HEADER] = signBody(body, this.options.signingKey);
        await new Promise((resolve, reject) => {
            const onConfirm = (error) => {
                if (!error)
                    return resolve();
                const reason = error instanceof Error ? error.message : JSON.stringify(error);
                // amqplib reports a broker nack as "message nacked"; anything else is the
                // channel closing under the publish, which says nothing about the broker's view.
                // A nack is retried too: a quorum queue whose leader's node died can refuse
                // publishes for a while after a new leader is elected (docs/reliability.md).
                reject(reason === "message nacked"
                    ? new RefusedError(`RabbitMQ did not accept the request: ${reason}`)
                    : new ConnectionLostError(reason));
            };
            try {
                channel.sendToQueue(queue, body, {
                    persistent: true,
                    contentType: "application/json",
                    messageId: idempotencyKey,
                    correlationId: requestId,
                    replyTo: this.replyQueue,
                    expiration: String(Math.max(1, deadline - Date.now())),
                    timestamp: Date.now(),
                    headers,
                }, onConfirm);
            }
            catch (error) {
                // A channel already closed refuses the send synchronously.
                reject(new ConnectionLostError(error.message, { cause: error }));
            }
        });
    }
    /**
     * After a reconnect: publishes again, same id and body, every confirmed request still
     * waiting that a worker had taken (it reported progress). Its reply may be lost; the
     * worker that answered it, or is computing it, answers the copy from memory instead of
     * computing it again, and the first terminal reply wins. A request no worker has taken
     * yet is not asked again: the broker confirmed it into the replicated request queue,
     * where it still waits, and a second copy would only be computed a second time by
     * whichever worker does not remember the first (each remembers only its own answers).
     * One that fails to go out is asked again at the next reconnect. `taken` is the set of
     * requests a worker had reported on before the connection dropped.
     */
    async askAgain(channel, taken) {
        let asked = 0;
        for (const [requestId, waiting] of this.pending) {
            if (!waiting.published || !taken.has(requestId) || waiting.published.deadline <= Date.now())
                continue;
            try {
                await this.publish(channel, requestId, waiting.published);
                asked += 1;
            }
            catch (error) {
                this.options.log?.(`could not ask again for ${requestId}: ${error.message}`);
            }
        }
        if (asked > 0)
            this.options.log?.(`asked again for ${asked} request(s) still waiting`);
    }
    /**
     * Deletes the reply queue and closes the connection. A worker checks the queue before
     * and while it computes: once it is gone, requests still queued or in hand are dropped.
     */
    async close() {
        for (const [id, waiting] of this.pending) {
            this.pending.delete(id);
            waiting.reject(new TransportError("the client was closed while waiting"));
        }
        const channel = await this.channel?.catch(() => undefined);
        if (channel) {
            await channel.deleteQueue(this.replyQueue).catch(() => undefined);
            await channel.close().catch(() => undefined);
        }
        await this.connection.close().catch(() => undefined);
    }
}
/** A fresh request id. */
function newRequestId() {
    return (0,external_node_crypto_.randomUUID)();
}

;// CONCATENATED MODULE: ./.build/action/failure.js


/**
 * A failure the user can act on: `reason` says what went wrong in plain words, `retry`
 * how to try again. Shown in the tracking comment, the job summary and the step error.
 */
class ActionFailure extends Error {
    reason;
    retry;
    constructor(reason, retry, options) {
        super(reason, options);
        this.reason = reason;
        this.retry = retry;
        this.name = "ActionFailure";
        this.relabel = options?.relabel ?? true;
        this.comment = options?.comment ?? true;
    }
    /** Whether the issue gets the failure label (not when there was nothing to fail). */
    relabel;
    /** Whether the tracking comment can show it (not when this token's comments are the failure). */
    comment;
}
/**
 * How to run the failed stage again: a failed plan is retried with `/plan`; a failed
 * approval with `/approve` (the plan is still there; planning again would replace it).
 */
function retryCommand(stage) {
    return stage === "code"
        ? "comment `/approve` on the issue to try applying the plan again"
        : "comment `/plan` on the issue to try again";
}
/**
 * How to start a cancelled run again, by any of the triggers that started it: the
 * workflow's re-run button, the stage's command, or (for a plan) the trigger label.
 */
function rerunAdvice(stage, triggerLabel) {
    return stage === "code"
        ? "re-run the workflow, or comment `/approve` on the issue (the plan is unchanged)."
        : `re-run the workflow, comment \`/plan\` on the issue, or remove and re-add the \`${triggerLabel}\` label.`;
}
/** The clause as a sentence of its own. */
function sentence(clause) {
    return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}
/** Explains a worker's error reply to a maintainer. */
function failureFromWorker(reply, timeoutMinutes, stage) {
    const again = sentence(retryCommand(stage));
    const thenAgain = `Then ${retryCommand(stage)}.`;
    switch (reply.code) {
        case "deadline_exceeded":
            return new ActionFailure(`The request waited or ran past its ${timeoutMinutes}-minute deadline (${reply.message}).`, `${again} If this repeats, add workers or raise \`timeout-minutes\`.`);
        case "model_not_found":
            return new ActionFailure(`The backend does not have the model: ${reply.message}`, `Ask whoever runs the backend to pull the model, or set the \`model\` input to one it has. ${thenAgain}`);
        case "model_unavailable":
            return new ActionFailure(
            // The worker's message starts "the model server failed after N attempts": said once.
            /^the model server failed/i.test(reply.message)
                ? sentence(reply.message.replace(/[.\s]+$/, ""))
                : `The model server failed: ${reply.message}`, `${again} If it keeps failing, ask whoever runs the backend to check its model server (its logs, memory, the model's size).`);
        case "context_overflow":
            return new ActionFailure(`The request does not fit the model's context window: ${reply.message}`, 
            // A long issue body is cut to fit; what cannot be cut is the maintainer's notes
            // and, for code, the approved plan. The model server may also count more tokens
            // than the worker estimated (CJK text, emoji): a smaller context then helps.
            `Shorten the notes given with the command, lower \`context-tokens\`, or raise the worker's NUM_CTX. ${thenAgain}`);
        case "invalid_model_output":
            return new ActionFailure(`The model did not produce a usable answer: ${reply.message}`, `${again} A larger model or a clearer issue usually helps.`);
        case "invalid_request":
            return new ActionFailure(`The worker refused the request: ${reply.message}`, "Check that the `signing-key` input matches the worker's SIGNING_KEY and that the Action and worker versions match.");
        case "internal":
            return new ActionFailure(`The worker failed: ${reply.message}`, again);
    }
}
/** Turns anything thrown during `stage` into a failure a maintainer can act on. */
function toFailure(error, timeoutMinutes, stage) {
    if (error instanceof ActionFailure)
        return error;
    const again = sentence(retryCommand(stage));
    if (error instanceof DeadlineError) {
        return new ActionFailure(`No worker answered within ${timeoutMinutes} minutes.`, `Check that the backend is running and consuming the queue (e.g. \`kubectl -n ai-agent get pods\`). ${again}`, { cause: error });
    }
    const message = errorStatus(error) !== undefined
        ? describeGitHubError(error)
        : error instanceof Error
            ? error.message
            : String(error);
    return new ActionFailure(message, `Fix the cause above, then ${retryCommand(stage)} (or re-run the workflow).`, { cause: error });
}

// EXTERNAL MODULE: ./node_modules/markdown-it/dist/markdown-it.mjs + 12 modules
var markdown_it = __webpack_require__(5251);
;// CONCATENATED MODULE: ./.build/action/github/markdown-blocks.js
/**
 * How a Markdown renderer reads a text's lines, from a CommonMark parser (markdown-it,
 * GitHub's Markdown less a few extensions) rather than from line patterns: which lines
 * are code, which render as nothing, and whether a fence is left open over whatever
 * follows the text. Patterns drifted from the renderer where the specification is subtle
 * (a fence a list item ends, a closing fence followed by a no-break space, a link
 * definition whose label spans two lines); a parser agrees with it by construction.
 */

// Tables as GitHub has them, and raw HTML on, as GitHub allows it: an HTML block is a
// block of its own there too.
const parser = new markdown_it/* default */.A("default", { html: true });
/** Block quote and list item markers at the start of a line. */
const CONTAINER_MARKERS = /^(?:[ \t]*(?:>|[*+-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*/;
/** A line appended to find out whether the text leaves a fence open over what follows. */
const PROBE = "issue-agent-end-of-text";
/** Reads `text` as a renderer does, line by line. */
function markdownLines(text) {
    const lines = text.split("\n");
    const count = lines.length;
    const tokens = parser.parse(`${text}\n\n${PROBE}\n`, {});
    const code = new Array(count).fill(false);
    const shown = new Array(count).fill(false);
    let openFenceCloser = null;
    const probeLine = count + 1;
    for (const token of tokens) {
        if (!token.block || token.map === null || token.nesting === -1)
            continue;
        const [start, end] = token.map;
        const isCode = token.type === "fence" || token.type === "code_block";
        // Leaf blocks render something; containers (lists, quotes) only hold them.
        const isLeaf = token.nesting === 0 || /^(paragraph|heading|table)_open$/.test(token.type);
        if (!isCode && !isLeaf)
            continue;
        for (let line = start; line < Math.min(end, count); line++) {
            shown[line] = true;
            if (isCode)
                code[line] = true;
        }
        if (token.type === "fence" && start < count && end > probeLine) {
            // The probe was swallowed: a fence is open at the end. A line at the left margin
            // ends every list item and quote, so only a top-level fence reaches the probe, and
            // a closing fence there needs no indentation.
            openFenceCloser = token.markup;
        }
    }
    const hidden = lines.map((line, i) => {
        if (shown[i])
            return false;
        // What is left after the quote and list markers: nothing (an empty quote line), or a
        // footnote, both of which are not hidden text.
        const content = line.replace(CONTAINER_MARKERS, "");
        return content.trim() !== "" && !content.startsWith("[^");
    });
    return { code, hidden, openFenceCloser };
}

;// CONCATENATED MODULE: ./.build/action/github/markdown-safety.js
/**
 * Making untrusted text (issue bodies, model output, error messages quoting either) safe
 * to read and safe to post: hidden content is removed before anything reads it, and
 * whatever the bot posts notifies nobody and cannot break the surrounding Markdown.
 */

// Characters that render as nothing (or reorder text) and so can hide instructions from a
// human reviewer while a model still reads them: zero-width and joiner characters, bidi
// embeddings/overrides/isolates, word joiner and invisible operators, BOM, soft hyphen,
// Mongolian vowel separator, Hangul fillers (rendered as blank space), the Unicode
// "tag" block and the supplementary variation selectors, which can each carry a hidden
// byte. The emoji variation selector U+FE0F stays: it only changes how an emoji looks.
// The rule warns about combining characters inside classes; matching them alone is the point.
const INVISIBLE = 
// eslint-disable-next-line no-misleading-character-class
/[\u00AD\u115F\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]|\u1160|[\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;
// C0/C1 controls other than tab, newline and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/**
 * Removes what a reader of the rendered issue cannot see: HTML comments (an unterminated
 * one hides everything after it, so that goes too), invisible and bidi-control
 * characters, stray control characters, and link reference definitions outside code
 * (`[//]: # (…)`, `[x]: <> "…"`: Markdown renders them as nothing).
 */
function stripHiddenContent(text) {
    let current = text;
    // Removing one comment (or an invisible character inside "<!-\u200B-") can assemble
    // another from the pieces around it, so repeat until nothing changes.
    for (;;) {
        const next = removeLinkDefinitions(stripHiddenCharacters(current));
        if (next === current)
            return next;
        current = next;
    }
}
/** {@link stripHiddenContent} within a line of text, Markdown structure aside. */
function stripHiddenCharacters(text) {
    return text
        .replace(/<!--[\s\S]*?(?:-->|$)/g, "")
        .replace(INVISIBLE, "")
        .replace(CONTROL, "");
}
/**
 * Drops the lines of link reference definitions: Markdown renders them as nothing, so a
 * reader never sees what they say. Fenced code is left as it is.
 */
function removeLinkDefinitions(text) {
    const { hidden } = markdownLines(text);
    return hidden.includes(true)
        ? text
            .split("\n")
            .filter((_, i) => !hidden[i])
            .join("\n")
        : text;
}
// A GitHub mention: @user, @org/team. Not preceded by a word character, so e-mail
// addresses (a@b.example) are left alone as GitHub leaves them; after a slash
// (`docs/@alice`) or a backtick that opens no code span GitHub does mention, so those count.
// The preceding character is looked at, not consumed: in `@a-@b` the first name takes the
// hyphen, and a consumed boundary would leave `@b` live.
const MENTION = /(?<!\w)@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?)/g;
// A closing keyword and what it closes: `Fixes #1`, `closes: octo/app#7`, `resolved
// https://github.com/o/r/issues/3`. In a pull request body (or a commit that reaches the
// default branch) GitHub closes those issues on merge.
const CLOSING_REFERENCE = /\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)(\s*:?\s+)((?:[\w.-]+\/[\w.-]+)?#\d+|https?:\/\/\S+\/(?:issues|pull)\/\d+)/gi;
/**
 * Stops `@user` and `@org/team` from notifying anyone: a zero-width space (written as the
 * HTML entity, so the posted source stays visible) goes between `@` and the name. GitHub
 * renders it as plain text. Code spans and fenced blocks, where GitHub never notifies and
 * where an entity would show literally, are left untouched.
 */
function neutralizeMentions(text) {
    return mapOutsideCode(text, (prose) => escapeReferences(prose).replace(MENTION, "@&#8203;$1"));
}
// A character reference (`&#64;`, `&commat;`, `&#x23;`) is a character once rendered,
// and GitHub finds mentions and closing keywords in the rendered text: `&#64;team`
// notifies the team. Its `&` is escaped, so the reference shows as written; the few that
// render as harmless characters, and those this module writes itself, are kept.
const REFERENCE = /&(?=#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9]{1,31};)(?!(?:amp|lt|gt|quot|apos|#8203|#33);)/g;
function escapeReferences(prose) {
    return prose.replace(REFERENCE, "&amp;");
}
/**
 * Untrusted text (from the model or an issue author) prepared for anything the Action
 * posts — comments, pull request bodies, job summaries: hidden content removed, and
 * outside code nothing that acts on GitHub or escapes the text: mentions notify nobody,
 * closing keywords close nothing, images embed nothing, raw HTML is shown as text.
 */
function sanitizeForPost(text) {
    return mapOutsideCode(stripHiddenContent(text), (prose) => escapeReferences(prose)
        .replace(MENTION, "@&#8203;$1")
        .replace(CLOSING_REFERENCE, (_m, keyword, gap, ref) => `${keyword.charAt(0)}&#8203;${keyword.slice(1)}${gap}${ref}`)
        .replace(/!\[/g, "&#33;[")
        .replace(/<(?=[A-Za-z/!?])/g, "&lt;"));
}
/**
 * Untrusted text for a commit message (plain text, not Markdown): one line, hidden
 * content removed, and closing keywords and mentions broken by a zero-width space, so a
 * merge closes nothing and the log notifies nobody.
 */
function sanitizeForCommit(text) {
    return stripHiddenContent(text)
        .replace(CLOSING_REFERENCE, (_m, keyword, gap, ref) => `${keyword.charAt(0)}\u200B${keyword.slice(1)}${gap}${ref}`)
        .replace(MENTION, "@\u200B$1");
}
/**
 * `text` as one inline code span, whatever backticks it holds: the fence is longer than
 * any run inside, so a path like ``a`b`` cannot close it early and spill Markdown.
 */
function codeSpan(text) {
    const line = stripHiddenCharacters(text).replace(/\r?\n|\r/g, " ");
    const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    const pad = /^[` ]|[` ]$/.test(line) ? " " : "";
    return `${fence}${pad}${line}${pad}${fence}`;
}
/** {@link codeSpan} for a table cell: its pipes escaped, as GFM tables need even in code. */
function codeCell(text) {
    return codeSpan(text).replace(/\|/g, "\\|");
}
/**
 * Applies `transform` to the parts of Markdown outside code blocks and code spans, the
 * blocks as a CommonMark parser finds them. Where GitHub could read a span otherwise (one
 * a line break or a table cell may end early), its text is transformed too: inside real
 * code that only shows an entity, but prose taken for code would act.
 */
function mapOutsideCode(text, transform) {
    const lines = text.split("\n");
    const { code } = markdownLines(text);
    const out = [];
    let prose = [];
    const flush = () => {
        if (prose.length > 0)
            out.push(mapOutsideSpans(prose.join("\n"), transform));
        prose = [];
    };
    lines.forEach((line, i) => {
        if (!code[i] && line.trim() !== "") {
            prose.push(line);
            return;
        }
        // A blank line ends the paragraph: no code span reaches past it.
        flush();
        out.push(line);
    });
    flush();
    // Untrusted text never leaves a fence open over what is written after it. Asked of the
    // result: what the transform changed (raw HTML shown as text) may have opened one.
    const result = out.join("\n");
    const closer = markdownLines(result).openFenceCloser;
    return closer === null ? result : `${result}\n${closer}`;
}
function mapOutsideSpans(text, transform) {
    let result = "";
    let index = 0;
    let from = 0;
    while (from < text.length) {
        const open = text.indexOf("`", from);
        if (open === -1)
            break;
        // A backslash-escaped backtick is a literal one, not the start of a span.
        let slashes = 0;
        while (text[open - 1 - slashes] === "\\")
            slashes += 1;
        if (slashes % 2 === 1) {
            from = open + 1;
            continue;
        }
        let run = 1;
        while (text[open + run] === "`")
            run += 1;
        const ticks = "`".repeat(run);
        // A code span closes at the next backtick run of exactly the same length.
        let close = text.indexOf(ticks, open + run);
        while (close !== -1 && (text[close + run] === "`" || text[close - 1] === "`")) {
            close = text.indexOf(ticks, close + 1);
        }
        if (close === -1) {
            from = open + run;
            continue;
        }
        const content = text.slice(open + run, close);
        // Across lines a list item or heading may end the span first; in a table a pipe
        // splits the cell inside it. Either way its text may render as prose.
        const unsure = content.includes("\n") || /(^|[^\\])\|/.test(content);
        result +=
            transform(text.slice(index, open)) + ticks + (unsure ? transform(content) : content) + ticks;
        index = close + run;
        from = index;
    }
    return result + transform(text.slice(index));
}

;// CONCATENATED MODULE: ./.build/action/github/tracking-comment-render.js
/**
 * The tracking comment's text: a pure rendering of the run's state, and the reverse
 * (reading back the machine line the `/approve` flow needs). No I/O here.
 */

/** Marks the one tracking comment per issue; found again by this exact line. */
const TRACKING_MARKER = "<!-- issue-agent:tracking -->";
const STATE_PREFIX = "<!-- issue-agent:state ";
/** True for states that end a run (always written, never coalesced away). */
function tracking_comment_render_isTerminal(phase) {
    return phase.kind === "done" || phase.kind === "failed" || phase.kind === "cancelled";
}
/** Renders the comment body for a state. */
function renderTrackingComment(view) {
    const stage = view.stage ?? "plan";
    const record = {
        stage,
        phase: view.phase.kind,
        planHash: view.planHash !== undefined && isSafeHash(view.planHash) ? view.planHash : null,
    };
    const lines = [
        TRACKING_MARKER,
        `${STATE_PREFIX}${JSON.stringify(record)} -->`,
        `### issue-agent: ${stage === "plan" ? "implementation plan" : "code changes"}`,
        "",
        `**Status:** ${statusLine(view.phase, stage)}`,
    ];
    const details = detailLines(view.phase);
    if (details.length > 0)
        lines.push("", ...details);
    if (record.planHash !== null)
        lines.push("", `**Plan hash:** \`${record.planHash}\``);
    if (view.approveCommand !== undefined &&
        stage === "plan" &&
        view.phase.kind === "done" &&
        record.planHash !== null) {
        lines.push("", `To turn this plan into code, a maintainer with write access comments \`${view.approveCommand}\` ` +
            "on this issue. The approval applies to the plan hash above; if the plan on the branch " +
            "has been changed since, the approval is refused.");
    }
    if (view.runUrl !== undefined)
        lines.push("", `<sub>[Workflow run](${view.runUrl})</sub>`);
    return `${lines.join("\n")}\n`;
}
/** Reads the machine line of a tracking comment; null when `body` is not one. */
function parseTrackingComment(body) {
    if (!body.startsWith(TRACKING_MARKER))
        return null;
    const line = body.split("\n").find((l) => l.startsWith(STATE_PREFIX) && l.endsWith(" -->"));
    if (line === undefined)
        return null;
    try {
        const parsed = JSON.parse(line.slice(STATE_PREFIX.length, -" -->".length));
        const stages = ["plan", "code"];
        const phases = ["queued", "running", "done", "failed", "cancelled"];
        if (!stages.includes(parsed.stage))
            return null;
        if (!phases.includes(parsed.phase))
            return null;
        const hash = typeof parsed.planHash === "string" && isSafeHash(parsed.planHash) ? parsed.planHash : null;
        return {
            stage: parsed.stage,
            phase: parsed.phase,
            planHash: hash,
        };
    }
    catch {
        return null;
    }
}
function statusLine(phase, stage) {
    const work = stage === "plan" ? "plan" : "code changes";
    switch (phase.kind) {
        case "queued": {
            const parts = [];
            if (phase.position !== undefined)
                parts.push(`position ${phase.position} in the queue`);
            if (phase.waitSeconds !== undefined)
                parts.push(`about ${formatDuration(phase.waitSeconds)} to wait`);
            return `queued${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
        }
        case "running": {
            const parts = [];
            if (phase.model !== undefined)
                parts.push(`model \`${inlineCode(phase.model)}\``);
            if (phase.tokens !== undefined)
                parts.push(`${phase.tokens.toLocaleString("en-US")} tokens so far`);
            return `writing the ${work}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
        }
        case "done":
            return stage === "plan"
                ? `plan ready in ${phase.pullRequestUrl}`
                : `changes pushed to ${phase.pullRequestUrl}`;
        case "failed":
            // The plan stays in its pull request, which the failed code step leaves as it was.
            return phase.pullRequestUrl === undefined
                ? `failed`
                : `failed; the plan is still in ${phase.pullRequestUrl}`;
        case "cancelled":
            return `cancelled`;
    }
}
function detailLines(phase) {
    switch (phase.kind) {
        case "queued":
            return [];
        case "running":
        case "done":
            return phase.detail === undefined ? [] : [sanitizeForPost(phase.detail)];
        case "failed": {
            // Sanitised as it is placed: the reason keeps its lines (fenced check output stays
            // a block), and its first line follows the label.
            const lines = [sanitizeForPost(`**Reason:** ${phase.reason}`)];
            lines.push("", `**To retry:** ${phase.retry === undefined ? "re-run the workflow, or remove and re-add the trigger label." : sanitizeForPost(phase.retry)}`);
            return lines;
        }
        case "cancelled":
            return [
                sanitizeForPost(phase.detail),
                "",
                `**To run it again:** ${sanitizeForPost(phase.rerun)}`,
            ];
    }
}
function formatDuration(seconds) {
    if (seconds < 90)
        return `${Math.max(1, Math.round(seconds))} s`;
    if (seconds < 90 * 60)
        return `${Math.round(seconds / 60)} min`;
    return `${Math.round(seconds / 3600)} h`;
}
// A model name goes inside a code span; backticks and newlines would break out of it.
function inlineCode(text) {
    return text.replace(/[`\r\n]/g, "").slice(0, 200);
}
// The hash is embedded in an HTML comment and a code span: allow only "algo:hex" shapes.
function isSafeHash(hash) {
    return /^(?:[a-z0-9-]+:)?[0-9a-f]{8,128}$/.test(hash);
}

;// CONCATENATED MODULE: ./.build/action/github/tracking-comment.js
/**
 * The one tracking comment per issue: found again by its hidden marker (and its author,
 * so nobody can plant a look-alike), created when missing, edited in place. Progress
 * updates are coalesced so a chatty run cannot trip GitHub's secondary rate limit:
 * at most one write per interval, terminal states always written, identical bodies never.
 */



const realScheduler = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle),
};
/**
 * Finds the issue's tracking comment: the oldest comment that starts with the marker and
 * was written by the expected author. Null when there is none.
 */
async function findTrackingComment(client, target) {
    const comments = await client.paginate(client.rest.issues.listComments, {
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        per_page: 100,
    });
    for (const comment of comments) {
        const body = comment.body ?? "";
        if (!body.startsWith(TRACKING_MARKER))
            continue;
        if (comment.user?.login.toLowerCase() !== target.authorLogin.toLowerCase())
            continue;
        return { id: comment.id, url: comment.html_url, body, record: parseTrackingComment(body) };
    }
    return null;
}
/**
 * Creates the tracking comment or edits it in place so that it shows `view`. Skips the
 * write when the body would not change. Returns the comment.
 */
async function upsertTrackingComment(client, target, view, known) {
    const body = renderTrackingComment(view);
    const existing = known === undefined ? await findTrackingComment(client, target) : known;
    if (existing !== null) {
        if (existing.body === body)
            return existing;
        try {
            const { data } = await client.rest.issues.updateComment({
                owner: target.owner,
                repo: target.repo,
                comment_id: existing.id,
                body,
            });
            return { id: data.id, url: data.html_url, body: data.body ?? body };
        }
        catch (error) {
            // Deleted under us (by a maintainer, say): fall through and post a fresh one.
            if (errorStatus(error) !== 404)
                throw error;
        }
    }
    return createOnce(client, target, body);
}
/**
 * Creates the comment without blind retries: a 5xx or a dropped connection can come after
 * GitHub stored the comment, and retrying would post a second one. Look first, then try
 * once more only if it really is not there.
 */
async function createOnce(client, target, body) {
    const create = async () => {
        const { data } = await client.rest.issues.createComment({
            owner: target.owner,
            repo: target.repo,
            issue_number: target.issueNumber,
            body,
            request: { retries: 0 },
        });
        await refuseOtherAuthor(client, target, data);
        return { id: data.id, url: data.html_url, body: data.body ?? body };
    };
    try {
        return await create();
    }
    catch (error) {
        if (error instanceof ActionFailure)
            throw error;
        const status = errorStatus(error);
        if (status !== undefined && status < 500)
            throw error;
        const stored = await findTrackingComment(client, target);
        if (stored !== null)
            return stored;
        return create();
    }
}
/**
 * The comment just posted must be found again by its author (`bot-login`): a token of
 * another identity (a GitHub App token posts as `<slug>[bot]`) would leave every run
 * posting a new tracking comment and `/approve` finding no plan. Removed, and said at once.
 */
async function refuseOtherAuthor(client, target, posted) {
    const author = posted.user?.login;
    if (author === undefined || author.toLowerCase() === target.authorLogin.toLowerCase())
        return;
    await client.rest.issues
        .deleteComment({ owner: target.owner, repo: target.repo, comment_id: posted.id })
        .catch(() => undefined);
    throw new ActionFailure(`The github-token posts as ${author}, but bot-login is ${target.authorLogin}: the tracking comment could never be found again (each run would post another, and /approve would find no plan).`, `Set the Action's bot-login input to '${author}'.`, 
    // A failure comment would be posted, and removed, as the same wrong author.
    { comment: false });
}
/**
 * A run's handle on its tracking comment. `update()` may be called as often as progress
 * arrives; GitHub sees at most one edit per interval, the latest state wins, terminal
 * states go out at once, and `flush()` writes whatever is still pending.
 */
class TrackingComment {
    client;
    target;
    minInterval;
    scheduler;
    onError;
    comment;
    lastWriteAt = Number.NEGATIVE_INFINITY;
    pending = null;
    timer = null;
    chain = Promise.resolve();
    writes = 0;
    constructor(client, target, options = {}) {
        this.client = client;
        this.target = target;
        this.minInterval = options.minIntervalMs ?? 10_000;
        this.scheduler = options.scheduler ?? realScheduler;
        this.onError = options.onError ?? (() => undefined);
    }
    /** The comment's URL once it exists. */
    get url() {
        return this.comment?.url ?? undefined;
    }
    /** The comment's id once it exists. */
    get id() {
        return this.comment?.id ?? undefined;
    }
    /** How many times this handle has written to GitHub (creates and edits). */
    get writeCount() {
        return this.writes;
    }
    /**
     * Shows `view`. Terminal states and the first write go out now (the returned promise
     * settles after the write); others are written now if the interval has passed, or
     * deferred until it has (the returned promise settles at once).
     */
    update(view) {
        this.pending = view;
        const due = this.scheduler.now() - this.lastWriteAt >= this.minInterval;
        if (tracking_comment_render_isTerminal(view.phase) || due) {
            this.cancelTimer();
            return this.writePending();
        }
        if (this.timer === null) {
            const wait = this.minInterval - (this.scheduler.now() - this.lastWriteAt);
            this.timer = this.scheduler.setTimeout(() => {
                this.timer = null;
                this.writePending().catch(this.onError);
            }, wait);
        }
        return Promise.resolve();
    }
    /**
     * Drops a deferred progress update that has not been written yet: once the final reply
     * is in, a "running" state written afterwards would only be a stale extra edit.
     */
    discardPending() {
        this.cancelTimer();
        this.pending = null;
    }
    /** Writes any deferred state now and waits for all writes to finish. */
    async flush() {
        this.cancelTimer();
        await this.writePending();
    }
    cancelTimer() {
        if (this.timer !== null) {
            this.scheduler.clearTimeout(this.timer);
            this.timer = null;
        }
    }
    // Writes are serialised: an edit never overtakes an earlier one, so the newest state
    // is always the one left on GitHub.
    writePending() {
        const next = this.chain.then(async () => {
            const view = this.pending;
            if (view === null)
                return;
            this.pending = null;
            const body = renderTrackingComment(view);
            if (this.comment === undefined) {
                this.comment = await findTrackingComment(this.client, this.target);
            }
            if (this.comment !== null && this.comment.body === body)
                return;
            try {
                this.comment = await upsertTrackingComment(this.client, this.target, view, this.comment);
            }
            catch (error) {
                // Keep the state so a later update or flush tries again.
                this.pending ??= view;
                throw error;
            }
            this.writes += 1;
            this.lastWriteAt = this.scheduler.now();
        });
        this.chain = next.catch(() => undefined);
        return next;
    }
}

;// CONCATENATED MODULE: ./.build/action/event/trigger-gate.js
/**
 * Decides from the workflow event whether this run should act, and how. Pure: it reads
 * the event payload and the settings, nothing else, so every rule is unit-tested.
 * admit.ts adds the rules that need GitHub (the pull request behind a command, the
 * commenter's permission).
 */

const COMMAND = /^\/(plan|approve|quickfix)\b[ \t]*(.*)$/;
/** Bots are recognised by account type or the `[bot]` login suffix GitHub Apps get. */
function isBot(user) {
    return user?.type === "Bot" || Boolean(user?.login?.endsWith("[bot]"));
}
/** Parses a slash command on the comment's first line; the following lines are guidance. */
function parseCommand(body) {
    const [first = "", ...rest] = body.replace(/\r\n/g, "\n").trim().split("\n");
    const match = COMMAND.exec(first.trim());
    if (!match)
        return undefined;
    const guidance = [match[2] ?? "", ...rest].join("\n").trim();
    return { command: match[1], guidance };
}
function labelNames(issue) {
    return (issue?.labels ?? []).map((label) => typeof label === "string" ? label : (label.name ?? ""));
}
function decide(eventName, payload, settings, headRef) {
    const skip = (reason) => ({ run: false, reason });
    const sender = payload.sender;
    if (isBot(sender))
        return skip(`the event was sent by a bot (${sender?.login ?? "unknown"})`);
    const actor = sender?.login ?? "unknown";
    const allowed = (association) => settings.allowedAssociations.includes((association ?? "NONE").toUpperCase());
    switch (eventName) {
        case "workflow_dispatch": {
            const fromInputs = payload.inputs?.["issue-number"] ?? payload.inputs?.issue_number ?? payload.inputs?.issue;
            const number = settings.issueNumber ??
                (fromInputs !== undefined &&
                    /^\d+$/.test(typeof fromInputs === "number" || typeof fromInputs === "string"
                        ? String(fromInputs)
                        : "")
                    ? Number(fromInputs)
                    : undefined);
            if (!number)
                return skip("workflow_dispatch needs the issue number (input 'issue-number')");
            return runOnIssue("plan", number, actor);
        }
        case "issues": {
            const issue = payload.issue;
            if (!issue?.number)
                return skip("the event has no issue");
            if (issue.pull_request)
                return skip("the event is on a pull request");
            if (payload.action === "labeled") {
                // Labelling needs triage access, so the labeller is trusted whoever wrote the issue;
                // except the issue's own author, whose labels may come from an issue template
                // (GitHub applies them whoever files the issue): judged like an opened issue.
                const label = payload.label?.name ?? "";
                const byAuthor = sender?.login !== undefined && sender.login === issue.user?.login;
                if (byAuthor && !allowed(issue.author_association))
                    return skip(`the label was added by the issue's author, whose association ${issue.author_association ?? "NONE"} is not in allowed-associations (${settings.allowedAssociations.join(", ")}); an issue template's labels come this way`);
                if (label === settings.triggerLabel)
                    return runOnIssue("plan", issue.number, actor);
                if (settings.quickfixLabel && label === settings.quickfixLabel)
                    return runOnIssue("quickfix", issue.number, actor);
                return skip(`label '${label}' is not the trigger label '${settings.triggerLabel}'`);
            }
            if (payload.action === "opened" || payload.action === "reopened") {
                if (!allowed(issue.author_association))
                    return skip(`the issue author's association ${issue.author_association ?? "NONE"} is not in allowed-associations (${settings.allowedAssociations.join(", ")})`);
                const labels = labelNames(issue);
                // An issue filed with a label (picked in the form, or set by a template) also sends
                // a `labeled` event for it; that event starts the run, or the issue would be
                // planned (or fixed) twice.
                const carried = [settings.triggerLabel, settings.quickfixLabel].find((name) => name && labels.includes(name));
                if (payload.action === "opened" && carried)
                    return skip(`the new issue carries the label '${carried}': the labeled event GitHub sends with it starts the run (the workflow must listen to issues: labeled)`);
                if (settings.quickfixLabel && labels.includes(settings.quickfixLabel))
                    return runOnIssue("quickfix", issue.number, actor);
                if (settings.requireLabelOnOpen && !labels.includes(settings.triggerLabel))
                    return skip(`the new issue does not carry the trigger label '${settings.triggerLabel}'`);
                return runOnIssue("plan", issue.number, actor);
            }
            return skip(`issues.${payload.action ?? "unknown"} events are not handled`);
        }
        case "issue_comment": {
            if (payload.action !== "created")
                return skip(`comment ${payload.action ?? "event"}: only new comments count, never edits`);
            const comment = payload.comment;
            const issue = payload.issue;
            if (!comment?.body || !issue?.number || comment.id === undefined)
                return skip("the event has no comment");
            if (isBot(comment.user))
                return skip("the comment was written by a bot");
            const command = parseCommand(comment.body);
            if (!command)
                return skip("the comment holds no /plan, /approve or /quickfix command");
            if (!allowed(comment.author_association))
                return skip(`the commenter's association ${comment.author_association ?? "NONE"} is not in allowed-associations (${settings.allowedAssociations.join(", ")})`);
            const onPullRequest = Boolean(issue.pull_request);
            let number = issue.number;
            if (onPullRequest) {
                if (command.command !== "approve")
                    return skip(`/${command.command} on a pull request is not handled; comment on the issue`);
                const fromBranch = headRef
                    ? (0,conventions/* issueNumberFromBranch */.fv)(headRef, settings.branchPrefix)
                    : undefined;
                if (!fromBranch)
                    return skip("/approve on a pull request that is not an issue-agent branch");
                number = fromBranch;
            }
            return {
                run: true,
                mode: command.command,
                issueNumber: number,
                guidance: command.guidance || undefined,
                actor: comment.user?.login ?? actor,
                command: { commentId: comment.id, thread: issue.number },
                onPullRequest,
            };
        }
        case "pull_request":
        case "pull_request_target":
            return skip("pull request events are not handled");
        default:
            return skip(`event '${eventName}' is not handled`);
    }
}
/** A run started from the issue itself (a label, a new issue, a dispatch), not a comment. */
function runOnIssue(mode, issueNumber, actor) {
    return { run: true, mode, issueNumber, actor, onPullRequest: false };
}

;// CONCATENATED MODULE: ./.build/action/event/admit.js
/**
 * The gate, whole: whether this event may start a run, of which kind, and whether the
 * person who caused it may have it. The event's own rules are in trigger-gate.ts (pure);
 * the rules that need GitHub are here:
 *
 * - every path that can lead to a push needs write access, checked through the API, of
 *   the person who caused the event: `/approve`, `/quickfix`, the QuickFix label, and a
 *   new plan (by comment, label or dispatch) that would replace one awaiting approval;
 * - an `/approve` applies only to the plan that was current when it was written: a plan
 *   made after the comment (someone re-planned meanwhile) is not approved by it.
 */





async function admit(eventName, payload, settings, github) {
    const decision = decide(eventName, payload, settings, await agentBranchOf(eventName, payload, github));
    if (!decision.run)
        return { kind: "skip", reason: decision.reason };
    const { mode, actor } = decision;
    const thread = decision.command?.thread ?? decision.issueNumber;
    const refuse = (reason) => ({ kind: "refuse", mode, actor, thread, reason });
    const pending = mode === "quickfix"
        ? undefined
        : await pendingPlanHash(github, decision.issueNumber, settings.botLogin);
    const replacesPending = mode === "plan" && pending !== undefined;
    if (mode !== "plan" || replacesPending) {
        const allowed = await hasWriteAccess(github.client, {
            owner: github.owner,
            repo: github.repo,
            username: actor,
        });
        if (!allowed)
            return refuse(replacesPending
                ? `@${actor} asked for a new plan, but a plan awaits approval and only people with write access to the repository may replace it. The plan is unchanged.`
                : `@${actor} asked for ${mode === "approve" ? "`/approve`" : "QuickFix"}, but only people with write access to the repository may have code committed. The plan is unchanged and still awaits a maintainer's \`/approve\`.`);
    }
    if (mode === "approve" && pending !== undefined) {
        const written = Date.parse(payload.comment?.created_at ?? "");
        const planned = await planMadeAt(github, (0,conventions/* issueBranchName */.pp)(settings.branchPrefix, decision.issueNumber), pending);
        if (Number.isNaN(written) || planned === undefined || written < planned)
            return refuse(`This \`/approve\` was written ${Number.isNaN(written) ? "at an unknown time" : `at ${new Date(written).toISOString()}`}, before the plan now on the branch was made${planned === undefined ? "" : ` (${new Date(planned).toISOString()})`}: it approved an earlier plan, so nothing was applied. Review the current plan and comment \`/approve\` again.`);
    }
    return {
        kind: "run",
        mode,
        issueNumber: decision.issueNumber,
        actor,
        guidance: decision.guidance,
    };
}
/**
 * For `/approve` written on a pull request: its head branch, which names the issue. Only
 * this repository's branches count (a fork can name its branch like ours).
 */
async function agentBranchOf(eventName, payload, github) {
    if (eventName !== "issue_comment" ||
        payload.action !== "created" ||
        !payload.issue?.pull_request ||
        !payload.issue.number ||
        parseCommand(payload.comment?.body ?? "")?.command !== "approve")
        return undefined;
    const pr = await github.client.rest.pulls.get({
        owner: github.owner,
        repo: github.repo,
        pull_number: payload.issue.number,
    });
    return pr.data.head.repo?.full_name === `${github.owner}/${github.repo}`
        ? pr.data.head.ref
        : undefined;
}
/** The hash of the plan awaiting approval on the issue, as the Action's own comment records it. */
async function pendingPlanHash(github, issueNumber, botLogin) {
    const tracking = await findTrackingComment(github.client, {
        owner: github.owner,
        repo: github.repo,
        issueNumber,
        authorLogin: botLogin,
    });
    const record = tracking?.record;
    // A plan is awaiting approval once published, and stays so through failed or refused
    // code runs (they keep its hash); an applied plan awaits nothing.
    if (!record?.planHash)
        return undefined;
    if (record.stage === "code" && record.phase === "done")
        return undefined;
    return record.planHash;
}
/**
 * When the plan with `hash` was committed to `branch` (the newest such commit among the
 * last 50), in epoch ms; undefined when it cannot be found.
 */
async function planMadeAt(github, branch, hash) {
    const repo = { owner: github.owner, repo: github.repo };
    let sha;
    try {
        sha = (await github.client.rest.git.getRef({ ...repo, ref: `heads/${branch}` })).data.object
            .sha;
    }
    catch (error) {
        if (errorStatus(error) === 404)
            return undefined;
        throw error;
    }
    for (let i = 0; i < 50 && sha; i++) {
        const { data, } = await github.client.rest.git.getCommit({ ...repo, commit_sha: sha });
        if (data.message.includes(`${conventions/* Trailer */.eY.planHash}: ${hash}`))
            return Date.parse(data.committer.date);
        sha = data.parents[0]?.sha;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./.build/action/log-text.js
/**
 * Text for the run's log that cannot act on the runner. The runner reads a log line that
 * starts with `::` (after any leading space) as a workflow command — `::add-mask::` hides
 * words from the rest of the log, `::error::` posts an annotation, `::stop-commands::`
 * switches commands off — and the older `##[command]` form anywhere in a line. The log
 * carries untrusted text: repository file names, the issue, the worker's messages, the
 * output of a check running model-written code. Such text goes between a
 * `::stop-commands::<token>` line and `::<token>::`, with a token it cannot know.
 */

const COMMAND_LIKE = /(^|\n)[^\S\n]*::|##\[/;
/** `message` as it is when nothing in it looks like a command, fenced off when something does. */
function inertLogText(message) {
    if (!COMMAND_LIKE.test(message))
        return message;
    const token = `issue-agent-${(0,external_node_crypto_.randomUUID)()}`;
    return `::stop-commands::${token}\n${message}\n::${token}::`;
}

// EXTERNAL MODULE: ./.build/action/context/scan-pool.js
var scan_pool = __webpack_require__(5187);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./.build/action/context/file-filters.js
var file_filters = __webpack_require__(7485);
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./.build/action/edits/sandbox.js
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






/** The unprivileged system user the check runs as. */
const SANDBOX_USER = "issue-agent-check";
function exec(file, args, timeoutMs = 30_000) {
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(file, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c.toString()));
        child.stderr.on("data", (c) => (stderr += c.toString()));
        child.on("error", (e) => resolve({ code: null, stdout, stderr: e.message }));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
/** The command prefix that runs as root: none when root, `sudo -n` when that works. */
async function privilegePrefix() {
    if (process.getuid?.() === 0)
        return [];
    const sudo = await exec("sudo", ["-n", "true"], 15_000);
    if (sudo.code === 0)
        return ["sudo", "-n", "--"];
    return "the Action is not root and `sudo -n` is not allowed";
}
async function asRoot(prefix, args) {
    const [file, ...rest] = [...prefix, ...args];
    return exec(file ?? "", rest);
}
function lastLine(text) {
    return text.trim().split("\n").pop()?.slice(0, 300) ?? "";
}
let detected;
/**
 * Whether this runner can isolate the check, and how (once per process). Creates the
 * sandbox user when missing, then proves the whole chain once: namespaces, the switch to
 * that user and no_new_privs.
 */
function detectSandbox() {
    detected ??= probe();
    return detected;
}
async function probe() {
    if (process.platform !== "linux")
        return { ok: false, reason: `${process.platform} is not Linux` };
    const prefix = await privilegePrefix();
    if (typeof prefix === "string")
        return { ok: false, reason: prefix };
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
function dropTo(uid, gid) {
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
const READY_MARKER = "issue-agent-sandbox-ready";
/** Folders and files the check must not see, that exist here. */
function pathsToHide(checkout, env = process.env) {
    const dirs = new Set();
    const files = new Set();
    const real = (p) => {
        if (!p || !(0,external_node_path_.isAbsolute)(p) || !(0,external_node_fs_.existsSync)(p))
            return undefined;
        try {
            return (0,external_node_fs_.realpathSync)(p);
        }
        catch {
            return undefined;
        }
    };
    const addDir = (p) => {
        const r = real(p);
        if (r && (0,external_node_fs_.statSync)(r).isDirectory() && !SYSTEM_DIRS.has(r))
            dirs.add(r);
    };
    addDir(checkout);
    for (const name of ["GITHUB_WORKSPACE", "RUNNER_WORKSPACE", "RUNNER_TEMP"])
        addDir(env[name]);
    addDir((0,external_node_os_.homedir)());
    addDir(env.HOME);
    // The runner's installation (its .credentials, _diag logs and _work): the Action runs
    // on the runner's own node, <runner>/externals/node24/bin/node.
    const externals = process.execPath.lastIndexOf(`${external_node_path_.sep}externals${external_node_path_.sep}`);
    if (externals > 0)
        addDir(process.execPath.slice(0, externals));
    for (const name of FILE_COMMANDS) {
        const file = real(env[name]);
        if (file && (0,external_node_fs_.statSync)(file).isFile()) {
            files.add(file);
            addDir((0,external_node_path_.dirname)(file));
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
function within(path, dir) {
    const r = (0,external_node_path_.relative)(dir, path);
    return r === "" || (!r.startsWith("..") && !(0,external_node_path_.isAbsolute)(r));
}
/** A parent for the sandbox's directory that no hidden folder covers, outside the tree. */
function sandboxParent(hidden, root) {
    for (const candidate of [(0,external_node_os_.tmpdir)(), "/tmp", "/var/tmp", "/dev/shm"]) {
        if (!(0,external_node_fs_.existsSync)(candidate))
            continue;
        const real = (0,external_node_fs_.realpathSync)(candidate);
        if (!hidden.some((dir) => within(real, dir)) && !within(real, root))
            return real;
    }
    return undefined;
}
/** The checkout's real path; a system folder (`/tmp`, `/`) is no checkout to copy. */
function checkoutRoot(root) {
    const real = (0,external_node_fs_.realpathSync)(root);
    if (SYSTEM_DIRS.has(real) || real === (0,external_node_os_.homedir)())
        throw new Error(`refusing to copy ${real} for the check: it is not a repository checkout`);
    return real;
}
/** Lists tracked files with git; undefined when `root` is not a git checkout. */
async function trackedFiles(root) {
    const out = await exec("git", ["-C", root, "ls-files", "-z"], 60_000);
    if (out.code !== 0)
        return undefined;
    return new Set(out.stdout.split("\0").filter(Boolean));
}
/**
 * Copies `root` to `dest` with `cp -a` (symbolic links stay links), then removes every
 * `.git` and each untracked file that file-filters calls secret (a tracked one is in the
 * repository anyway, and tests may need it).
 */
async function copyTree(root, dest) {
    const cp = await exec("cp", ["-a", "--", `${root}/.`, dest], 10 * 60_000);
    if (cp.code !== 0)
        throw new Error(`could not copy the tree for the check: ${lastLine(cp.stderr)}`);
    const tracked = await trackedFiles(root);
    const prune = async (dir) => {
        for (const entry of await (0,external_node_fs_promises_.readdir)(dir, { withFileTypes: true })) {
            const path = (0,external_node_path_.join)(dir, entry.name);
            const rel = (0,external_node_path_.relative)(dest, path).split(external_node_path_.sep).join("/");
            if (entry.name === ".git") {
                await (0,external_node_fs_promises_.rm)(path, { recursive: true, force: true });
            }
            else if (entry.isDirectory()) {
                await prune(path);
            }
            else if ((0,file_filters/* exclusionReason */.VL)(rel) === "secret" && !tracked?.has(rel)) {
                await (0,external_node_fs_promises_.rm)(path, { force: true });
            }
        }
    };
    await prune(dest);
}
/**
 * Prepares one sandboxed run of `command`: the copy, its ownership, and the argv that
 * enters the namespaces. `env` is the complete environment the command gets.
 */
async function prepareSandbox(options) {
    const { capability } = options;
    const root = checkoutRoot(options.root);
    const hidden = pathsToHide(root);
    const parent = sandboxParent(hidden.dirs, root);
    if (!parent)
        throw new Error("no temporary folder outside the workspace and home for the check's copy");
    const base = await (0,external_node_fs_promises_.mkdtemp)((0,external_node_path_.join)(parent, `${SANDBOX_USER}-`));
    const tree = (0,external_node_path_.join)(base, "tree");
    const home = (0,external_node_path_.join)(base, "home");
    const tmp = (0,external_node_path_.join)(base, "tmp");
    const owned = [tree, home, tmp];
    let chowned = false;
    const cleanup = async () => {
        if (chowned) {
            await asRoot(capability.privileged, ["rm", "-rf", "--one-file-system", "--", ...owned]);
        }
        await (0,external_node_fs_promises_.rm)(base, { recursive: true, force: true }).catch(() => undefined);
        await (0,external_node_fs_promises_.rmdir)(base).catch(() => undefined);
    };
    try {
        await (0,external_node_fs_promises_.chmod)(base, 0o711);
        await (0,external_node_fs_promises_.mkdir)(tree);
        await Promise.all([(0,external_node_fs_promises_.mkdir)(home), (0,external_node_fs_promises_.mkdir)(tmp)]);
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
        const seconds = (ms) => `${Math.max(ms, 1) / 1000}s`;
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
    }
    catch (error) {
        await cleanup();
        throw error;
    }
}
/** A copy of the tree for an unisolated run (the opt-out): same view, no other protection. */
async function prepareUnisolated(root) {
    root = checkoutRoot(root);
    const parent = sandboxParent([], root);
    if (!parent)
        throw new Error("no temporary folder outside the tree for the check's copy");
    const base = await (0,external_node_fs_promises_.mkdtemp)((0,external_node_path_.join)(parent, `${SANDBOX_USER}-`));
    const dir = (0,external_node_path_.join)(base, "tree");
    const home = (0,external_node_path_.join)(base, "home");
    const tmp = (0,external_node_path_.join)(base, "tmp");
    await Promise.all([(0,external_node_fs_promises_.mkdir)(dir), (0,external_node_fs_promises_.mkdir)(home), (0,external_node_fs_promises_.mkdir)(tmp)]);
    const cleanup = () => (0,external_node_fs_promises_.rm)(base, { recursive: true, force: true }).catch(() => undefined);
    try {
        await copyTree(root, dir);
    }
    catch (error) {
        await cleanup();
        throw error;
    }
    return { dir, home, tmp, cleanup };
}

;// CONCATENATED MODULE: ./.build/action/edits/check-command.js








const DEFAULT_MAX_OUTPUT = 64 * 1024;
/**
 * Whether `check-command` may run on this runner: isolated where a sandbox can be had,
 * or unisolated by the workflow's explicit opt-in; otherwise an {@link ActionFailure}
 * saying how to fix it. Asked before the model is (so a run that could never check its
 * edits fails at once, not after the model's time is spent) and again before running.
 */
async function ensureCheckCanRun(options) {
    const capability = await (options.sandbox ?? detectSandbox)();
    refuseUnisolated(capability, options.unisolated);
    return capability;
}
function refuseUnisolated(capability, unisolated) {
    if (capability.ok || unisolated)
        return;
    throw new ActionFailure(`\`check-command\` was not run: this runner cannot run it isolated from the Action's credentials (${capability.reason}). It runs code the model wrote, which could otherwise read the GitHub token, the AMQP URL and the signing key, write GITHUB_ENV and push.`, "Run the job on a Linux runner where the Action is root or has passwordless sudo and mount and PID namespaces work (GitHub-hosted Ubuntu runners do), remove `check-command`, or set `check-command-unisolated: true` to run it without isolation (see docs/security.md).");
}
/**
 * Runs the maintainer's check command (linter, tests) with `bash -c` on a copy of the
 * edited tree. The command runs code the model just wrote, so it runs in the sandbox of
 * ./sandbox.ts: another user, its own namespaces, no credentials in reach. Where the
 * runner cannot provide that, the check is refused with an {@link ActionFailure} naming
 * the `check-command-unisolated` input, unless that input is set; then it runs as the
 * Action's user, still with a clean environment and redacted output, and a warning says
 * so on every run. Its output is bounded and redacted (secret patterns and this run's own
 * secrets) before anything reads it.
 */
async function runCheckCommand(options) {
    const capability = await ensureCheckCanRun({
        unisolated: options.unisolated ?? false,
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    });
    const env = checkEnvironment(options.env ?? process.env);
    const grace = options.killGraceMs ?? 5000;
    const secrets = [...knownSecrets(process.env), ...(await trackedFileSecrets(options.cwd))];
    if (capability.ok) {
        const run = await prepareSandbox({
            capability,
            root: options.cwd,
            command: options.command,
            env,
            timeoutMs: options.timeoutMs,
            killGraceMs: grace,
        });
        try {
            const [file, ...args] = run.argv;
            // Started from "/": the copy belongs to the sandbox user, and the wrapper enters it.
            return await execute(options, file ?? "", args, "/", process.env, "sandbox", secrets, {
                marker: READY_MARKER,
                // The sandbox's own `timeout` ends the command; this is only a backstop.
                backstopMs: options.timeoutMs + grace + 15_000,
            });
        }
        finally {
            await run.cleanup();
        }
    }
    (options.warn ?? core/* warning */.$e)(`check-command runs WITHOUT isolation (check-command-unisolated: true): ${capability.reason}. Model-written code it runs can read this job's credentials and files; only its environment is cleaned and its output redacted.`, capability.reason);
    const copy = await prepareUnisolated(options.cwd);
    try {
        const unisolatedEnv = { ...env, HOME: copy.home, TMPDIR: copy.tmp };
        return await execute(options, "bash", ["-c", options.command], copy.dir, unisolatedEnv, "unisolated", secrets, {
            backstopMs: options.timeoutMs,
        });
    }
    finally {
        await copy.cleanup();
    }
}
function execute(options, file, args, cwd, env, isolation, secrets, control) {
    const started = Date.now();
    const output = new BoundedOutput(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
    const grace = options.killGraceMs ?? 5000;
    // Until the sandbox says it is ready, stderr is the sandbox's own (a setup error).
    let setup = control.marker === undefined ? undefined : "";
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(file, args, {
            cwd,
            env,
            detached: true,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let timedOut = false;
        let killTimer;
        const killGroup = (signal) => {
            try {
                if (child.pid !== undefined)
                    process.kill(-child.pid, signal);
            }
            catch {
                // The group is gone, or is another user's (the sandbox's timeout handles it).
            }
        };
        const timer = setTimeout(() => {
            timedOut = true;
            killGroup("SIGTERM");
            killTimer = setTimeout(() => killGroup("SIGKILL"), grace);
        }, control.backstopMs);
        child.stdout.on("data", (chunk) => output.push(chunk));
        child.stderr.on("data", (chunk) => {
            if (setup === undefined)
                return output.push(chunk);
            setup += chunk.toString("utf8");
            const at = setup.indexOf(`${control.marker}\n`);
            if (at < 0)
                return;
            const rest = setup.slice(at + (control.marker?.length ?? 0) + 1);
            setup = undefined;
            if (rest)
                output.push(Buffer.from(rest));
        });
        child.on("error", (error) => {
            clearTimeout(timer);
            reject(new Error(`could not start check command: ${error.message}`, { cause: error }));
        });
        child.on("close", (exitCode, signal) => {
            clearTimeout(timer);
            if (killTimer)
                clearTimeout(killTimer);
            // Children that ignored SIGTERM but left the pipes must not outlive the check.
            if (timedOut)
                killGroup("SIGKILL");
            if (setup !== undefined) {
                reject(new Error(`the check command's sandbox could not be set up: ${redact(setup, secrets).trim().slice(-500) || `exit ${exitCode}`}`));
                return;
            }
            const durationMs = Date.now() - started;
            // `timeout` exits 124 (137 after SIGKILL) when the limit ran out.
            if (isolation === "sandbox" &&
                (exitCode === 124 || exitCode === 137) &&
                durationMs >= options.timeoutMs)
                timedOut = true;
            const text = redact(output.text(), secrets);
            resolve({
                ok: !timedOut && exitCode === 0,
                exitCode,
                signal,
                timedOut,
                output: timedOut
                    ? `${text}\n[check command timed out after ${options.timeoutMs} ms]`
                    : text,
                omittedBytes: output.omitted,
                durationMs,
                isolation,
            });
        });
    });
}
/**
 * The output with secret patterns and `secrets` replaced, these also where they are
 * printed in base64 or hex (code the model wrote could encode what it can read).
 */
function redact(text, secrets) {
    return redactSecrets(text, { literals: secrets, encoded: secrets }).text;
}
/**
 * The secrets held by the secret-named files git tracks in `root` (a fixture key, an
 * `.env.test`): the check's copy keeps them, as tests may read them, so code the model
 * wrote could print them. Each line of what the rules find in them counts.
 */
async function trackedFileSecrets(root) {
    const out = new Set();
    for (const path of (await trackedFiles(root)) ?? []) {
        if ((0,file_filters/* exclusionReason */.VL)(path) !== "secret")
            continue;
        const text = await (0,external_node_fs_promises_.readFile)((0,external_node_path_.join)(root, path), "utf8").catch(() => "");
        if (text.length > MAX_SECRET_FILE_CHARS)
            continue;
        for (const secret of secretLinesIn(text, path))
            out.add(secret);
    }
    return [...out];
}
/** A secret-named file larger than this is data, not a credential: not read. */
const MAX_SECRET_FILE_CHARS = 1_000_000;
/** Names of variables that carry credentials or the Action's own inputs (the token among them). */
const SECRET_NAME = /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|AUTH|_KEY$/i;
/** Variables a check may need that carry nothing of the run's: tools, locale, CI mode. */
const PASSED = /^(PATH|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|CI|JAVA_HOME(_[A-Z0-9_]+)?|GOROOT|DOTNET_ROOT|ANDROID_HOME|ANDROID_SDK_ROOT)$/;
/**
 * The check command's environment, built from an allowlist rather than by removing what
 * looks secret: no `GITHUB_*` (file-command paths, the workspace), no `ACTIONS_*`
 * (runtime and OIDC tokens), no `INPUT_*` (the token, the AMQP URL, the signing key),
 * nothing the workflow set for other steps. HOME and TMPDIR are set to the check's own.
 */
function checkEnvironment(env) {
    const out = {};
    for (const [name, value] of Object.entries(env)) {
        if (value !== undefined && PASSED.test(name) && !SECRET_NAME.test(name))
            out[name] = value;
    }
    out.PATH ??= "/usr/local/bin:/usr/bin:/bin";
    out.LANG ??= "C.UTF-8";
    return out;
}
/** Input and variable names whose values are this run's secrets. */
const SECRET_VALUE_NAME = /TOKEN|SECRET|PASSW|CREDENTIAL|KEY|AUTH|AMQP|_URL$/i;
/**
 * This run's own secrets as literal strings, for redaction wherever they appear: the
 * token (and the base64 `x-access-token:` form git's extraheader carries), the AMQP URL
 * and its password, the signing key, the runner's tokens, any secret-named variable.
 */
function knownSecrets(env) {
    const out = new Set();
    for (const [name, value] of Object.entries(env)) {
        if (!value || value.length < 8)
            continue;
        const input = name.startsWith("INPUT_");
        if (!SECRET_VALUE_NAME.test(name) || (!input && /_URL$/i.test(name) && !/@/.test(value)))
            continue;
        out.add(value);
        if (/TOKEN/i.test(name)) {
            out.add(Buffer.from(`x-access-token:${value}`).toString("base64"));
            out.add(Buffer.from(`x-access-token:${value}`).toString("base64").replace(/=+$/, ""));
        }
        const url = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value);
        if (url?.[1] && url[1].length >= 6) {
            out.add(url[1]);
            try {
                out.add(decodeURIComponent(url[1]));
            }
            catch {
                // Not percent-encoded.
            }
        }
    }
    return [...out];
}
/**
 * Keeps the first and last `limit / 2` bytes of a stream, counting what it drops. Around
 * an elision the partial lines are dropped too, so that no secret is cut in a way its
 * pattern no longer matches.
 */
class BoundedOutput {
    limit;
    head = [];
    headBytes = 0;
    tail = [];
    tailBytes = 0;
    omitted = 0;
    constructor(limit) {
        this.limit = limit;
    }
    push(chunk) {
        const half = Math.floor(this.limit / 2);
        if (this.headBytes < half) {
            const take = chunk.subarray(0, half - this.headBytes);
            this.head.push(take);
            this.headBytes += take.length;
            chunk = chunk.subarray(take.length);
        }
        if (chunk.length === 0)
            return;
        this.tail.push(chunk);
        this.tailBytes += chunk.length;
        const keep = this.limit - half;
        while (this.tailBytes > keep) {
            const first = this.tail[0];
            if (first === undefined)
                break;
            const excess = this.tailBytes - keep;
            if (first.length <= excess) {
                this.tail.shift();
                this.tailBytes -= first.length;
                this.omitted += first.length;
            }
            else {
                this.tail[0] = first.subarray(excess);
                this.tailBytes -= excess;
                this.omitted += excess;
            }
        }
    }
    text() {
        const head = Buffer.concat(this.head).toString("utf8");
        const tail = Buffer.concat(this.tail).toString("utf8");
        if (this.omitted === 0)
            return head + tail;
        const headCut = head.lastIndexOf("\n");
        const tailCut = tail.indexOf("\n");
        const keptHead = headCut >= 0 ? head.slice(0, headCut) : "";
        const keptTail = tailCut >= 0 ? tail.slice(tailCut + 1) : "";
        const dropped = this.omitted +
            Buffer.byteLength(head.slice(keptHead.length)) +
            Buffer.byteLength(tail.slice(0, tail.length - keptTail.length));
        return `${keptHead}\n[… ${dropped} bytes omitted …]\n${keptTail}`;
    }
}

;// CONCATENATED MODULE: ./.build/action/github/branch.js
/**
 * The issue's working branch, written through the Git Data API (blobs, tree on a base
 * tree, commit, ref) so no checkout or push credentials are needed. Idempotent: writing
 * the same files again makes no commit, and a branch created concurrently by another run
 * is reconciled with, never duplicated.
 */



/** The branch was not where `expectedHead` said: someone else committed first. */
class BranchMovedError extends Error {
    branch;
    head;
    constructor(branch, head) {
        super(`branch ${branch} moved to ${head ?? "(deleted)"} while this run worked`);
        this.branch = branch;
        this.head = head;
        this.name = "BranchMovedError";
    }
}
/**
 * A commit message with trailers, formatted as git expects: subject and body, a blank
 * line, then one "Key: value" per line. Trailer values are kept to one line.
 */
function formatCommitMessage(message, trailers = []) {
    const text = message.replace(/\s+$/, "");
    if (trailers.length === 0)
        return `${text}\n`;
    const lines = trailers.map(([key, value]) => {
        if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(key))
            throw new Error(`invalid trailer key '${key}'`);
        return `${key}: ${value.replace(/\s*\n\s*/g, " ").trim()}`;
    });
    return `${text}\n\n${lines.join("\n")}\n`;
}
/**
 * `text` cut to at most `max` characters at a word boundary, with "…" where it was cut;
 * only a single word longer than half the limit is cut inside. Counts code points, so
 * no surrogate pair is split.
 */
function shortenAtWord(text, max) {
    const chars = Array.from(text);
    if (chars.length <= max)
        return text;
    const cut = chars.slice(0, max - 1).join("");
    const space = cut.lastIndexOf(" ");
    return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
/**
 * A commit subject from untrusted text (the model's summary, an issue title): its first
 * line, spaces collapsed, at most `max` characters, closing keywords and mentions broken
 * (see sanitizeForCommit).
 */
function commitSubject(text, max = 72) {
    const line = (sanitizeForCommit(text).trim().split(/\r?\n/, 1)[0] ?? "")
        .replace(/\s+/g, " ")
        .trim();
    return shortenAtWord(line, max);
}
/** The git blob id of `content`, computed locally (sha1 over "blob <size>\0<bytes>"). */
function gitBlobSha(content) {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    return (0,external_node_crypto_.createHash)("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
// A concurrent writer can win the race a couple of times in a row; more means something
// else is wrong.
const MAX_ATTEMPTS = 4;
/**
 * Creates or reuses `branch` and commits `files` (and `deletions`) onto it. Makes no
 * commit when the branch head already has exactly this content. When another run creates
 * the branch or moves it between our read and our write, re-reads it and tries again on
 * top of it.
 */
async function commitToBranch(client, request) {
    const { owner, repo, branch } = request;
    for (let attempt = 1;; attempt += 1) {
        const current = await readBranch(client, owner, repo, branch);
        if (request.expectedHead !== undefined && current !== request.expectedHead)
            throw new BranchMovedError(branch, current);
        const parentSha = current ?? request.baseSha;
        const { data: parent } = await client.rest.git.getCommit({
            owner,
            repo,
            commit_sha: parentSha,
        });
        const changes = await pendingChanges(client, request, parent.tree.sha);
        try {
            if (changes === null) {
                // Nothing to write. Still make sure the branch exists.
                if (current === null)
                    await createRef(client, request, parentSha);
                return { branch, headSha: parentSha, commitSha: null, createdBranch: current === null };
            }
            const { data: tree } = await client.rest.git.createTree({
                owner,
                repo,
                base_tree: parent.tree.sha,
                tree: changes,
            });
            if (tree.sha === parent.tree.sha) {
                if (current === null)
                    await createRef(client, request, parentSha);
                return { branch, headSha: parentSha, commitSha: null, createdBranch: current === null };
            }
            const { data: commit } = await client.rest.git.createCommit({
                owner,
                repo,
                message: formatCommitMessage(request.message, request.trailers),
                tree: tree.sha,
                parents: [parentSha],
                ...(request.author === undefined ? {} : { author: request.author }),
            });
            if (current === null) {
                await createRef(client, request, commit.sha);
            }
            else {
                await client.rest.git.updateRef({
                    owner,
                    repo,
                    ref: `heads/${branch}`,
                    sha: commit.sha,
                    force: false,
                });
            }
            return {
                branch,
                headSha: commit.sha,
                commitSha: commit.sha,
                createdBranch: current === null,
            };
        }
        catch (error) {
            const raced = isGitHubError(error, 422, GitHubErrorText.referenceExists) ||
                isGitHubError(error, 422, GitHubErrorText.notFastForward);
            if (!raced || attempt >= MAX_ATTEMPTS)
                throw error;
            if (request.expectedHead !== undefined)
                throw new BranchMovedError(branch, await readBranch(client, owner, repo, branch));
            // Another run got there first: re-read the branch and build on what it wrote.
        }
    }
}
async function readBranch(client, owner, repo, branch) {
    try {
        const { data } = await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
        return data.object.sha;
    }
    catch (error) {
        if (isGitHubError(error, 404))
            return null;
        throw error;
    }
}
/**
 * Creates the branch at `sha`, without blind retries: a 5xx or a dropped connection can
 * come after GitHub made the branch, and a retry would then be told "Reference already
 * exists", as if another run had made it (and this run would not remove a branch it
 * made when its pull request cannot be opened). So look first: at `sha`, it is ours;
 * otherwise ask once more.
 */
async function createRef(client, request, sha) {
    const create = () => client.rest.git.createRef({
        owner: request.owner,
        repo: request.repo,
        ref: `refs/heads/${request.branch}`,
        sha,
        request: { retries: 0 },
    });
    try {
        await create();
    }
    catch (error) {
        const status = errorStatus(error);
        if (status !== undefined && status < 500)
            throw error;
        if ((await readBranch(client, request.owner, request.repo, request.branch)) === sha)
            return;
        // Absent: made now. Elsewhere: "already exists", and commitToBranch builds on it.
        await create();
    }
}
/**
 * The tree entries that would change the parent's tree, with blobs uploaded; null when
 * nothing would change. Comparing locally computed blob ids against the parent's tree
 * means a re-run uploads nothing at all.
 */
async function pendingChanges(client, request, parentTree) {
    const { owner, repo } = request;
    const { data: listing } = await client.rest.git.getTree({
        owner,
        repo,
        tree_sha: parentTree,
        recursive: "1",
    });
    // A truncated listing cannot prove absence; then write everything and let the tree
    // comparison decide.
    const known = new Map();
    for (const entry of listing.tree) {
        if (entry.type === "blob" && entry.path !== undefined && entry.sha !== undefined) {
            known.set(entry.path, { sha: entry.sha, mode: entry.mode ?? "100644" });
        }
    }
    const complete = !listing.truncated;
    const items = [];
    for (const file of request.files) {
        const path = normalisePath(file.path);
        const existing = known.get(path);
        const mode = file.mode ?? (existing?.mode === "100755" ? "100755" : "100644");
        const sha = gitBlobSha(file.content);
        if (complete && existing?.sha === sha && existing.mode === mode)
            continue;
        if (typeof file.content === "string") {
            // Text goes inline in the tree: one write fewer per file than a blob upload, and
            // writes are what GitHub's secondary rate limits count.
            items.push({ path, mode, type: "blob", content: file.content });
            continue;
        }
        const { data: blob } = await client.rest.git.createBlob({
            owner,
            repo,
            content: Buffer.from(file.content).toString("base64"),
            encoding: "base64",
        });
        items.push({ path, mode, type: "blob", sha: blob.sha });
    }
    for (const raw of request.deletions ?? []) {
        const path = normalisePath(raw);
        if (complete && !known.has(path))
            continue;
        items.push({ path, mode: "100644", type: "blob", sha: null });
    }
    return items.length === 0 ? null : items;
}
function normalisePath(path) {
    const clean = path.replace(/\\/g, "/").replace(/^\/+/, "");
    if (clean === "" || clean.split("/").some((s) => s === "" || s === "." || s === "..")) {
        throw new Error(`invalid repository path '${path}'`);
    }
    return clean;
}

;// CONCATENATED MODULE: ./.build/action/code-context/quoted-code.js
/** Lines around the best-matching line that the follow-up shows. */
const BEFORE = 15;
const AFTER = 30;
/** `files` with the places the failed hunks' search texts resemble moved to the front. */
function withQuotedCode(files, edits, failures) {
    return files.map((file) => {
        const quoted = [];
        for (const failure of failures) {
            if (failure.path !== file.path || failure.hunk === undefined)
                continue;
            // A failure names its hunk within its edit; with several edits of one file, each
            // one's hunk of that number may be the one that failed.
            const hunk = failure.hunk;
            const searches = edits.edits
                .filter((e) => e.path === file.path)
                .map((e) => e.hunks[hunk - 1]?.search)
                .filter((s) => s !== undefined);
            for (const search of searches) {
                const line = bestMatchLine(file.content, search);
                if (line === undefined)
                    continue;
                const lines = file.content.split("\n").length;
                quoted.push({
                    startLine: Math.max(1, line - BEFORE),
                    endLine: Math.min(lines, line + AFTER),
                });
            }
        }
        if (quoted.length === 0)
            return file;
        return { ...file, regions: [...quoted, ...(file.regions ?? [])].slice(0, 200) };
    });
}
/**
 * The 1-based line of `content` where the quote's lines, compared without surrounding
 * whitespace, agree most; undefined when no line agrees at all.
 */
function bestMatchLine(content, search) {
    const fileLines = content.split("\n").map((l) => l.trim());
    const wanted = search
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l.length >= 4);
    if (wanted.length === 0)
        return undefined;
    const wantedSet = new Set(wanted);
    // Score each line by how many quoted lines appear within the quote's span after it.
    const span = search.split("\n").length + 5;
    const hits = fileLines.map((l) => (wantedSet.has(l) ? 1 : 0));
    let best = 0;
    let bestEnd = -1;
    let window = 0;
    for (let i = 0; i < hits.length; i++) {
        window += hits[i] ?? 0;
        if (i >= span)
            window -= hits[i - span] ?? 0;
        if (window > best) {
            best = window;
            bestEnd = i;
        }
    }
    if (bestEnd < 0)
        return undefined;
    // The first agreeing line of the best window.
    for (let j = Math.max(0, bestEnd - span + 1); j <= bestEnd; j++)
        if (hits[j])
            return j + 1;
    return bestEnd + 1;
}

;// CONCATENATED MODULE: ./.build/action/edits/hunk-match.js
/**
 * Applies one search/replace hunk to `text`. The ladder: exact substring; the same after
 * converting the hunk's line endings to the file's; then whole-line matching that
 * tolerates trailing whitespace, a uniform indentation shift (the replacement is
 * re-indented by the same shift) and differing blank lines. Never picks between two
 * candidates: ambiguity at any level is a refusal naming the lines.
 */
function applyHunk(text, hunk) {
    // A byte order mark is not part of the first line: matched with it, a loose match would
    // take it for indentation and copy it onto new lines, where it is an invalid character.
    if (!text.startsWith(BOM))
        return applyHunkToText(text, hunk);
    const outcome = applyHunkToText(text.slice(BOM.length), hunk);
    return outcome.ok ? { ...outcome, text: BOM + outcome.text } : outcome;
}
const BOM = "\uFEFF";
function applyHunkToText(text, hunk) {
    if (hunk.search.trim() === "") {
        return {
            ok: false,
            reason: "empty-search",
            message: "search text is empty or only whitespace; anchor the change on existing lines",
        };
    }
    const eol = dominantEol(text);
    // An exact match gets the file's line endings in its replacement (a CRLF file must not
    // gain LF lines), unless the search itself mixes endings: then the file does too, and
    // the replacement is taken as written.
    const replace = mixedEol(hunk.search) ? hunk.replace : withEol(hunk.replace, eol);
    // A substring found inside a line's indentation (the model wrote the line indented too
    // little) places the replacement's first line right and its later lines too shallow:
    // the line-based levels below re-indent them all, so they are asked first.
    let insideIndentation;
    const exact = substringMatch(text, hunk.search, replace, "exact");
    if (exact && !startsInsideIndentation(text, hunk.search, hunk.replace))
        return exact;
    insideIndentation = exact;
    const search = withEol(hunk.search, eol);
    if (search !== hunk.search && !insideIndentation) {
        const converted = substringMatch(text, search, withEol(hunk.replace, eol), "line-endings");
        if (converted && !startsInsideIndentation(text, search, hunk.replace))
            return converted;
        insideIndentation = converted;
    }
    const file = splitLines(text);
    const searchLines = splitLines(normalizeEol(hunk.search)).body;
    const replaceLines = splitLines(normalizeEol(hunk.replace)).body;
    trimTrailingEmpty(searchLines);
    trimTrailingEmpty(replaceLines);
    // Blank lines at the search's edges are matched loosely: the core is located without
    // them, then they are consumed only where the file has them (see withBlankEdges).
    const allSearch = [...searchLines];
    const { lead, trail } = trimBlankEdges(searchLines);
    const levels = [
        ["trailing-whitespace", matchTrailing],
        ["indentation", matchIndented],
        ["blank-lines", matchSkippingBlanks],
    ];
    for (const [level, matcher] of levels) {
        const found = findAll(file.body, searchLines, matcher);
        if (found.length > 1)
            return ambiguous(found.map((m) => m.start + 1));
        const only = found[0];
        if (only) {
            const edged = withBlankEdges(file.body, only, allSearch, replaceLines, lead, trail);
            const replacement = buildReplacement(file, edged.match, edged.search, edged.replace, level);
            const finalEol = endsWithEol(hunk.replace) === endsWithEol(hunk.search)
                ? undefined
                : endsWithEol(hunk.replace)
                    ? eol
                    : "";
            return {
                ok: true,
                text: splice(file, edged.match, replacement, eol, finalEol),
                level,
                line: only.start + 1,
            };
        }
    }
    return (insideIndentation ?? {
        ok: false,
        reason: "not-found",
        message: notFoundMessage(file.body, searchLines),
    });
}
/**
 * Whether a substring match begins after nothing but whitespace on its line, and not at
 * the line's start, while the replacement spans several lines.
 */
function startsInsideIndentation(text, search, replace) {
    if (!/\n./.test(normalizeEol(replace).trimEnd()))
        return false;
    const found = occurrences(text, search);
    const at = found[0];
    if (at === undefined || found.length !== 1)
        return false;
    const lineStart = text.lastIndexOf("\n", at - 1) + 1;
    return at > lineStart && text.slice(lineStart, at).trim() === "";
}
/**
 * Widens a core match over the blank lines the search had at its edges, as far as the
 * file has blank lines there, so a hunk that deletes a blank line deletes it. Edge lines
 * the file lacks are dropped from the replacement's edges as well, so blank lines a model
 * wrapped around both sides do not multiply.
 */
function withBlankEdges(file, core, search, replace, lead, trail) {
    let above = 0;
    while (above < lead && (file[core.start - above - 1] ?? "x").trim() === "")
        above++;
    let below = 0;
    while (below < trail && (file[core.end + below] ?? "x").trim() === "")
        below++;
    const match = {
        start: core.start - above,
        end: core.end + below,
        shift: core.shift,
        map: [
            ...Array.from({ length: above }, (_, k) => core.start - above + k),
            ...core.map,
            ...Array.from({ length: below }, (_, k) => core.end + k),
        ],
    };
    return {
        match,
        search: search.slice(lead - above, search.length - (trail - below)),
        replace: dropBlankEdges(replace, lead - above, trail - below),
    };
}
/** Every start index of `needle` in `haystack`, overlapping ones included. */
function occurrences(haystack, needle) {
    const found = [];
    if (needle === "")
        return found;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
        found.push(at);
    }
    return found;
}
function substringMatch(text, search, replace, level) {
    const at = occurrences(text, search);
    if (at.length > 1)
        return ambiguous(at.map((i) => lineOf(text, i)));
    const first = at[0];
    if (first === undefined)
        return undefined;
    return {
        ok: true,
        text: text.slice(0, first) + replace + text.slice(first + search.length),
        level,
        line: lineOf(text, first),
    };
}
function ambiguous(lines) {
    const shown = lines.slice(0, 5);
    const list = shown.length === 2
        ? `${shown[0]} and ${shown[1]}`
        : `${shown.join(", ")}${lines.length > shown.length ? ", …" : ""}`;
    return {
        ok: false,
        reason: "ambiguous",
        message: `search text matches ${lines.length} places (lines ${list}); add surrounding lines to make it unique`,
    };
}
function findAll(file, search, matcher) {
    const found = [];
    const firstKey = search.find((l) => l.trim() !== "")?.trim();
    for (let at = 0; at < file.length; at++) {
        // Cheap filter: a window starts on a line whose text equals the first search line
        // (blank edge lines were dropped from the search, so that line is not blank).
        if (file[at]?.trim() !== firstKey)
            continue;
        const m = matcher(file, search, at);
        if (m && !found.some((f) => f.start === m.start))
            found.push(m);
    }
    return found;
}
function matchTrailing(file, search, at) {
    if (at + search.length > file.length)
        return undefined;
    const map = [];
    for (let j = 0; j < search.length; j++) {
        if ((file[at + j] ?? "").trimEnd() !== (search[j] ?? "").trimEnd())
            return undefined;
        map.push(at + j);
    }
    return { start: at, end: at + search.length, map, shift: { kind: "none" } };
}
function matchIndented(file, search, at) {
    if (at + search.length > file.length)
        return undefined;
    const map = [];
    let shift;
    for (let j = 0; j < search.length; j++) {
        const f = file[at + j] ?? "";
        const s = search[j] ?? "";
        map.push(at + j);
        if (s.trim() === "" && f.trim() === "")
            continue;
        const lineShift = shiftBetween(f, s);
        if (lineShift === undefined)
            return undefined;
        shift ??= lineShift;
        if (!sameShift(shift, lineShift))
            return undefined;
    }
    if (shift === undefined || shift.kind === "none")
        return undefined;
    return { start: at, end: at + search.length, map, shift };
}
function matchSkippingBlanks(file, search, at) {
    const wanted = search.map((s, j) => ({ s, j })).filter(({ s }) => s.trim() !== "");
    const map = search.map(() => -1);
    let shift;
    let i = at;
    for (const { s, j } of wanted) {
        while (i < file.length && (file[i] ?? "").trim() === "") {
            // Leading blank lines belong before the window, not in it.
            if (i === at)
                return undefined;
            i++;
        }
        const f = file[i];
        if (f === undefined)
            return undefined;
        const lineShift = shiftBetween(f, s);
        if (lineShift === undefined)
            return undefined;
        shift ??= lineShift;
        if (!sameShift(shift, lineShift))
            return undefined;
        map[j] = i;
        i++;
    }
    if (shift === undefined)
        return undefined;
    return { start: at, end: i, map, shift };
}
/** How `fileLine`'s indentation relates to `searchLine`'s, if their text is otherwise equal. */
function shiftBetween(fileLine, searchLine) {
    const f = fileLine.trimEnd();
    const s = searchLine.trimEnd();
    const fIndent = f.length - f.trimStart().length;
    const sIndent = s.length - s.trimStart().length;
    if (f.slice(fIndent) !== s.slice(sIndent))
        return undefined;
    const fPrefix = f.slice(0, fIndent);
    const sPrefix = s.slice(0, sIndent);
    if (fPrefix === sPrefix)
        return { kind: "none" };
    if (fPrefix.endsWith(sPrefix))
        return { kind: "add", prefix: fPrefix.slice(0, fIndent - sIndent) };
    if (sPrefix.endsWith(fPrefix))
        return { kind: "remove", prefix: sPrefix.slice(0, sIndent - fIndent) };
    return undefined;
}
function sameShift(a, b) {
    if (a.kind === "none" || b.kind === "none")
        return a.kind === b.kind;
    return a.kind === b.kind && a.prefix === b.prefix;
}
function reindent(line, shift) {
    if (line.trim() === "" || shift.kind === "none")
        return line;
    if (shift.kind === "add")
        return shift.prefix + line;
    if (line.startsWith(shift.prefix))
        return line.slice(shift.prefix.length);
    // A replacement line indented less than the hunk's base cannot lose the whole shift;
    // flush left is the closest reading of the model's intent.
    return line.trimStart();
}
/**
 * The replacement lines for a line-based match. Lines the replacement shares with the
 * search at its start and end are context: they keep the file's exact text. The others are
 * re-indented by the match's shift, and lose trailing whitespace when the search showed the
 * model's trailing whitespace is unreliable.
 */
function buildReplacement(file, match, search, replace, level) {
    // Context is a line the model copied unchanged into both sides, judged on the exact
    // text: a line re-indented on purpose (wrapped in a new block) or a blank line that lost
    // its whitespace is a changed line, not context.
    const slip = trailingSlip(file, match, search);
    const newLine = (r) => {
        const shifted = reindent(r, match.shift);
        if (slip === undefined && level !== "blank-lines")
            return shifted;
        // A model that added the same trailing whitespace to every line it copied added it
        // to its new lines too: take off exactly that, keeping whitespace the code really has.
        if (slip !== undefined && slip !== "" && shifted.endsWith(slip)) {
            return shifted.slice(0, -slip.length);
        }
        return shifted.trimEnd();
    };
    const out = replace.map((r) => ({ text: newLine(r) }));
    let head = 0;
    while (head < replace.length && head < search.length && replace[head] === search[head]) {
        const fi = match.map[head];
        if (fi !== undefined && fi >= 0)
            out[head] = { text: file.body[fi] ?? "", eol: file.eol[fi] };
        head++;
    }
    for (let k = 1; k <= Math.min(replace.length - head, search.length - head); k++) {
        const r = replace[replace.length - k] ?? "";
        const s = search[search.length - k] ?? "";
        if (r !== s)
            break;
        const fi = match.map[search.length - k];
        if (fi !== undefined && fi >= 0) {
            out[replace.length - k] = { text: file.body[fi] ?? "", eol: file.eol[fi] };
        }
    }
    return out;
}
/**
 * The trailing whitespace the search carries beyond the file's lines: `undefined` when
 * the search's line ends agree with the file, the common suffix when every differing line
 * gained the same one, or "" when they differ in no single way.
 */
function trailingSlip(file, match, search) {
    let suffix;
    let consistent = true;
    search.forEach((s, j) => {
        const fi = match.map[j];
        const f = fi !== undefined && fi >= 0 ? file.body[fi] : undefined;
        if (f === undefined)
            return;
        const fEnd = f.slice(f.trimEnd().length);
        const sEnd = s.slice(s.trimEnd().length);
        if (fEnd === sEnd)
            return;
        const gained = sEnd.startsWith(fEnd) ? sEnd.slice(fEnd.length) : undefined;
        if (gained === undefined || (suffix !== undefined && suffix !== gained))
            consistent = false;
        suffix ??= gained;
    });
    if (suffix === undefined && consistent)
        return undefined;
    return consistent ? suffix : "";
}
function endsWithEol(text) {
    return text.endsWith("\n");
}
/**
 * Replaces the matched lines. `finalEol` applies when the match reaches the end of the
 * file and the hunk adds or removes the final newline (search and replace disagree on it).
 */
function splice(file, match, replacement, eol, finalEol) {
    const before = file.body.slice(0, match.start).map((l, i) => l + (file.eol[i] ?? ""));
    const after = file.body.slice(match.end).map((l, i) => l + (file.eol[match.end + i] ?? ""));
    // The region's last terminator ("" when it reached the end of a file without a final
    // newline) ends the replacement, so the file's ending is unchanged.
    const atEnd = match.end === file.body.length;
    const lastEol = atEnd && finalEol !== undefined ? finalEol : (file.eol[match.end - 1] ?? eol);
    const middle = replacement.map((l, i) => l.text + (i === replacement.length - 1 ? lastEol : (l.eol ?? eol)));
    return [...before, ...middle, ...after].join("");
}
function notFoundMessage(file, search) {
    const wanted = search.filter((l) => l.trim() !== "");
    if (wanted.length === 0)
        return "search text not found";
    let best = { at: -1, score: 0 };
    const last = Math.max(0, file.length - wanted.length);
    for (let at = 0; at <= last && at < file.length; at++) {
        let score = 0;
        for (let j = 0; j < wanted.length; j++) {
            if ((file[at + j] ?? "").trim() === (wanted[j] ?? "").trim())
                score++;
        }
        if (score > best.score)
            best = { at, score };
    }
    if (best.at < 0) {
        const first = wanted[0] ?? "";
        const near = mostSimilarLine(file, first);
        const hint = near ? `; the most similar line is ${near.line + 1}: ${quote(near.text)}` : "";
        return `search text not found; no line of it occurs in the file (first line: ${quote(first)})${hint}`;
    }
    const end = Math.min(best.at + wanted.length, file.length);
    let differs = "";
    for (let j = 0; j < wanted.length; j++) {
        const got = file[best.at + j];
        if (got === undefined) {
            differs = ` at line ${best.at + j + 1}: expected ${quote(wanted[j] ?? "")}, found the end of the file`;
            break;
        }
        if (got.trim() !== (wanted[j] ?? "").trim()) {
            differs = ` at line ${best.at + j + 1}: expected ${quote(wanted[j] ?? "")}, found ${quote(got)}`;
            break;
        }
    }
    return `search text not found; closest region lines ${best.at + 1}–${end} (${best.score} of ${wanted.length} lines equal) differs${differs}`;
}
/** The file line sharing the longest prefix plus suffix with `target`, if at least half of it. */
function mostSimilarLine(file, target) {
    const t = target.trim();
    let best;
    file.forEach((raw, line) => {
        const f = raw.trim();
        if (f === "")
            return;
        let prefix = 0;
        while (prefix < f.length && prefix < t.length && f[prefix] === t[prefix])
            prefix++;
        let suffix = 0;
        while (suffix < f.length - prefix &&
            suffix < t.length - prefix &&
            f[f.length - 1 - suffix] === t[t.length - 1 - suffix]) {
            suffix++;
        }
        const score = (prefix + suffix) / Math.max(f.length, t.length);
        if (score >= 0.5 && (best === undefined || score > best.score))
            best = { line, text: raw, score };
    });
    return best;
}
function quote(line) {
    const t = line.trim();
    return JSON.stringify(t.length > 100 ? `${t.slice(0, 99)}…` : t);
}
function lineOf(text, index) {
    let line = 1;
    for (let at = text.indexOf("\n"); at !== -1 && at < index; at = text.indexOf("\n", at + 1))
        line++;
    return line;
}
function dominantEol(text) {
    const crlf = occurrences(text, "\r\n").length;
    const lf = occurrences(text, "\n").length - crlf;
    return crlf > lf ? "\r\n" : "\n";
}
function mixedEol(text) {
    const crlf = occurrences(text, "\r\n").length;
    return crlf > 0 && occurrences(text, "\n").length > crlf;
}
function normalizeEol(text) {
    return text.replace(/\r\n/g, "\n");
}
function withEol(text, eol) {
    const lf = normalizeEol(text);
    return eol === "\n" ? lf : lf.replace(/\n/g, eol);
}
function splitLines(text) {
    const body = [];
    const eol = [];
    const re = /\r?\n/g;
    let from = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        body.push(text.slice(from, m.index));
        eol.push(m[0]);
        from = m.index + m[0].length;
    }
    if (from < text.length) {
        body.push(text.slice(from));
        eol.push("");
    }
    return { body, eol };
}
function trimTrailingEmpty(lines) {
    while (lines.length > 0 && lines[lines.length - 1] === "")
        lines.pop();
}
function trimBlankEdges(lines) {
    let lead = 0;
    while (lines.length > 0 && (lines[0] ?? "x").trim() === "") {
        lines.shift();
        lead++;
    }
    let trail = 0;
    while (lines.length > 0 && (lines[lines.length - 1] ?? "x").trim() === "") {
        lines.pop();
        trail++;
    }
    return { lead, trail };
}
function dropBlankEdges(lines, lead, trail) {
    const out = [...lines];
    for (let k = 0; k < lead && out.length > 0 && (out[0] ?? "x").trim() === ""; k++)
        out.shift();
    for (let k = 0; k < trail && out.length > 0 && (out[out.length - 1] ?? "x").trim() === ""; k++) {
        out.pop();
    }
    return out;
}

;// CONCATENATED MODULE: ./.build/action/edits/utf8-text.js
/**
 * Reading a file that an edit may rewrite. Edits work on text and are written back as
 * UTF-8, so a file in another encoding (Latin-1, Windows-1252, Shift JIS...) would come
 * back with every byte that is not valid UTF-8 replaced by U+FFFD: such a file is
 * refused, never edited, and the model is not asked to edit it.
 */

class NotUtf8Error extends Error {
    constructor() {
        super("not UTF-8 text: writing an edit would replace every byte that is not valid UTF-8; change it by hand, or convert the file to UTF-8 first");
    }
}
/** Strict, and keeps a byte order mark: the bytes written back are the bytes read. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** The file's text; `undefined` when it does not exist; NotUtf8Error when it is not UTF-8. */
async function readUtf8File(file) {
    let bytes;
    try {
        bytes = await (0,external_node_fs_promises_.readFile)(file);
    }
    catch (error) {
        if (error.code === "ENOENT")
            return undefined;
        throw error;
    }
    try {
        return UTF8.decode(bytes);
    }
    catch {
        throw new NotUtf8Error();
    }
}

;// CONCATENATED MODULE: ./.build/action/edits/path-policy.js



const DEFAULT_PROTECTED = [".github/workflows/**"];
const path_policy_DEFAULT_POLICY = { protected: DEFAULT_PROTECTED, allow: [] };
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
function checkPath(raw, policy = path_policy_DEFAULT_POLICY) {
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
async function path_policy_checkPathInTree(root, raw, policy = path_policy_DEFAULT_POLICY) {
    const lexical = checkPath(raw, policy);
    if (!lexical.ok)
        return lexical;
    const segments = lexical.path.split("/");
    let at = root;
    for (const [index, segment] of segments.entries()) {
        at = (0,external_node_path_.join)(at, segment);
        const stat = await (0,external_node_fs_promises_.lstat)(at).catch(() => undefined);
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
    if (repoPathProblem(path) === "is inside .git/") {
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

;// CONCATENATED MODULE: ./.build/action/edits/apply-edits.js





/** The scope of a plan's file list. */
function planScope(files) {
    const scope = new Map();
    for (const file of files) {
        const normal = normalizeRepoPath(file.path);
        if (normal.ok)
            scope.set(normal.path, file.change);
    }
    return scope;
}
/**
 * Applies edits to file texts obtained through `read`, in memory. Every edit is attempted
 * so that one answer lists every problem; the result is `ok` only when all succeeded.
 * Several edits of the same path apply in order, each to the previous one's output.
 */
async function applyEdits(edits, read, options = {}) {
    const policy = options.policy ?? path_policy_DEFAULT_POLICY;
    const check = options.checkPath ?? ((raw) => Promise.resolve(checkPath(raw, policy)));
    const state = new Map();
    const failures = [];
    for (const edit of edits) {
        const checked = await check(edit.path);
        if (!checked.ok) {
            failures.push({ path: edit.path, message: `${edit.path}: ${checked.message}` });
            continue;
        }
        const path = checked.path;
        const planned = options.scope?.get(path);
        if (options.scope !== undefined && planned !== edit.change) {
            failures.push({
                path,
                message: planned === undefined
                    ? `${path}: not among the plan's files; edits may only touch ${[...options.scope.keys()].join(", ") || "nothing"}`
                    : `${path}: the plan says to ${planned} this file, not to ${edit.change} it`,
            });
            continue;
        }
        let entry = state.get(path);
        if (entry === undefined) {
            let before;
            try {
                before = await read(path);
            }
            catch (error) {
                if (!(error instanceof NotUtf8Error))
                    throw error;
                failures.push(fail(path, error.message));
                continue;
            }
            if (before !== undefined && options.shown !== undefined && !options.shown.has(path)) {
                failures.push(fail(path, "kept from the model like any context file (secret, ignored, binary or in a dependency folder)"));
                continue;
            }
            entry = { path, change: edit.change, before, after: before, hunks: [] };
            state.set(path, entry);
        }
        failures.push(...applyOne(entry, edit, path));
    }
    const changes = [...state.values()].map(settleChange);
    return { ok: failures.length === 0, changes, failures };
}
/** An in-memory {@link ReadFile} over a path → text map. */
function memoryReader(files) {
    const map = files instanceof Map ? files : new Map(Object.entries(files));
    return (path) => Promise.resolve(map.get(path));
}
/**
 * Applies edits to the working tree at `root`: paths are checked through symlinks, and
 * files are written (created, replaced, deleted) only when every edit applied, so a
 * refused set leaves the tree untouched.
 */
async function applyEditsToTree(root, edits, options = {}) {
    const policy = options.policy ?? DEFAULT_POLICY;
    const result = await applyEdits(edits, treeReader(root), {
        policy,
        checkPath: (raw) => checkPathInTree(root, raw, policy),
    });
    if (!result.ok)
        return result;
    await writeChanges(root, result.changes);
    return result;
}
/** A {@link ReadFile} over the working tree at `root` (paths already checked). */
function treeReader(root) {
    return (path) => readUtf8File((0,external_node_path_.join)(root, path));
}
/** Writes settled changes into the tree at `root`. */
async function writeChanges(root, changes) {
    for (const change of changes) {
        const target = (0,external_node_path_.join)(root, change.path);
        if (change.after === undefined) {
            if (change.before !== undefined)
                await (0,external_node_fs_promises_.rm)(target, { force: true });
        }
        else if (change.after !== change.before) {
            await (0,external_node_fs_promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
            await (0,external_node_fs_promises_.writeFile)(target, change.after, "utf8");
        }
    }
}
function applyOne(entry, edit, path) {
    const exists = entry.after !== undefined;
    switch (edit.change) {
        case "create":
            if (exists) {
                return [
                    fail(path, `create of an existing file; send "modify" with search/replace hunks instead`),
                ];
            }
            if (edit.content === undefined)
                return [fail(path, `create without "content"; give the whole new file`)];
            entry.after = edit.content;
            return [];
        case "delete":
            if (!exists)
                return [fail(path, "delete of a file that does not exist")];
            entry.after = undefined;
            return [];
        case "modify":
            return modify(entry, edit, path);
    }
}
function modify(entry, edit, path) {
    if (entry.after === undefined) {
        return [
            fail(path, `modify of a file that does not exist; send "create" with the whole content instead`),
        ];
    }
    if (edit.hunks.length === 0)
        return [fail(path, "modify without hunks; nothing to change")];
    if (entry.after.includes("\u0000"))
        return [fail(path, "modify of a binary file is not supported")];
    const failures = [];
    let text = entry.after;
    edit.hunks.forEach((hunk, i) => {
        const outcome = applyHunk(text, hunk);
        if (outcome.ok) {
            text = outcome.text;
            entry.hunks.push({ index: entry.hunks.length, level: outcome.level, line: outcome.line });
        }
        else {
            failures.push({
                path,
                hunk: i + 1,
                message: `hunk ${i + 1} of ${path}: ${outcome.message}`,
            });
        }
    });
    entry.after = text;
    return failures;
}
/** The net change of a path after all its edits (a create then delete is no change). */
function settleChange(entry) {
    const change = entry.before === undefined ? "create" : entry.after === undefined ? "delete" : "modify";
    return { ...entry, change };
}
function fail(path, message) {
    return { path, message: `${path}: ${message}` };
}

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

// EXTERNAL MODULE: ./.build/action/parsing/tree-sitter-runtime.cjs
var tree_sitter_runtime = __webpack_require__(8171);
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
        loading = initRuntime().then(async () => tree_sitter_runtime.Language.load(await (0,external_node_fs_promises_.readFile)(wasmPath(language))));
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





;// CONCATENATED MODULE: ./.build/action/edits/syntax-gate.js

const SHOWN_PER_FILE = 5;
/**
 * Parses every changed file in a language with a bundled grammar and fails those whose
 * new text has ERROR or MISSING nodes that the original did not have. Errors already in
 * the original (grammars lag behind languages) are tolerated: they are matched by kind and
 * text, not position, since the edit moves lines. Other files pass with a note.
 */
async function syntaxGate(inputs) {
    const files = [];
    for (const input of inputs)
        files.push(await checkFile(input));
    const failures = files.flatMap((f) => {
        const lines = f.newErrors
            .slice(0, SHOWN_PER_FILE)
            .map((e) => `${f.path}:${e.line}:${e.column}: ${describe(e)}`);
        if (f.newErrors.length > SHOWN_PER_FILE) {
            lines.push(`${f.path}: ${f.newErrors.length - SHOWN_PER_FILE} more syntax errors`);
        }
        return lines;
    });
    return { ok: files.every((f) => f.status !== "failed"), files, failures };
}
async function checkFile(input) {
    const { path, before, after } = input;
    if (after === undefined)
        return { path, status: "skipped", newErrors: [], note: "deleted" };
    if (/\.json$/i.test(path))
        return checkJson(path, before, after);
    const declared = languageForPath(path);
    if (declared === undefined) {
        return {
            path,
            status: "skipped",
            newErrors: [],
            note: `not syntax-checked (${describeType(path)})`,
        };
    }
    let original;
    let changed;
    try {
        original = before === undefined ? undefined : await parseSource(path, before);
        // Parse the new text with the grammar chosen for the old one (matters for `.h`).
        changed =
            original === undefined
                ? await parseSource(path, after)
                : await parseAs(path, after, original.language);
        if (changed === undefined)
            return { path, status: "skipped", newErrors: [], note: "not syntax-checked" };
        const language = changed.language;
        if (!changed.hasErrors)
            return { path, status: "passed", language, newErrors: [] };
        const introduced = subtract(changed.errors(), original?.errors() ?? []);
        if (introduced.length === 0) {
            return {
                path,
                status: "passed",
                language,
                newErrors: [],
                note: "syntax errors already present in the original were left as they were",
            };
        }
        return { path, status: "failed", language, newErrors: introduced };
    }
    finally {
        original?.dispose();
        changed?.dispose();
    }
}
/**
 * A `.json` file must stay JSON: a manifest or a lock file a trailing comma breaks fails
 * every install after it. A file that was not strict JSON before (a `tsconfig.json` with
 * comments) is not held to it.
 */
function checkJson(path, before, after) {
    const problem = (text) => {
        try {
            JSON.parse(text.replace(/^\uFEFF/, ""));
            return undefined;
        }
        catch (error) {
            return error instanceof Error ? error.message : String(error);
        }
    };
    if (before !== undefined && problem(before) !== undefined)
        return { path, status: "skipped", newErrors: [], note: "not strict JSON before the change" };
    const message = problem(after);
    if (message === undefined)
        return { path, status: "passed", newErrors: [], note: "JSON" };
    // Node gives the offset ("at position 81"), newer versions the line and column as well.
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const upTo = after
        .replace(/^\uFEFF/, "")
        .slice(0, offset)
        .split("\n");
    return {
        path,
        status: "failed",
        newErrors: [
            {
                line: upTo.length,
                column: (upTo[upTo.length - 1]?.length ?? 0) + 1,
                kind: "ERROR",
                snippet: message.replace(/\s*\(line \d+ column \d+\)$/, ""),
            },
        ],
    };
}
/** The sites of `after` beyond those of `before`, counted per (kind, snippet). */
function subtract(after, before) {
    const budget = new Map();
    for (const e of before)
        budget.set(key(e), (budget.get(key(e)) ?? 0) + 1);
    return after.filter((e) => {
        const left = budget.get(key(e)) ?? 0;
        if (left > 0) {
            budget.set(key(e), left - 1);
            return false;
        }
        return true;
    });
}
function key(e) {
    return `${e.kind}\u0000${e.snippet}`;
}
function describe(e) {
    return e.kind === "MISSING"
        ? `syntax error: ${e.snippet}`
        : `syntax error near ${JSON.stringify(e.snippet)}`;
}
function describeType(path) {
    const base = path.slice(path.lastIndexOf("/") + 1);
    const dot = base.lastIndexOf(".");
    return dot > 0
        ? `.${base.slice(dot + 1)} files have no parser here`
        : "no parser for this file type";
}

;// CONCATENATED MODULE: ./.build/action/edits/apply-and-check.js






/**
 * The whole acting step for one edit set against the checkout at `root`: apply in memory
 * (paths checked through symlinks), syntax-check every changed file, write the files, run
 * the optional check command, and restore the files if the command fails. The tree is
 * changed only when everything passed, so a failure leaves nothing to commit.
 */
async function applyAndCheck(root, edits, options = {}) {
    const policy = options.policy ?? path_policy_DEFAULT_POLICY;
    const apply = await applyEdits(edits, treeReader(root), {
        policy,
        ...(options.scope ? { scope: options.scope } : {}),
        ...(options.shown ? { shown: options.shown } : {}),
        checkPath: (raw) => path_policy_checkPathInTree(root, raw, policy),
    });
    if (!apply.ok)
        return { ok: false, failedAt: "apply", apply, written: [] };
    const syntax = await syntaxGate(apply.changes);
    if (!syntax.ok)
        return { ok: false, failedAt: "syntax", apply, syntax, written: [] };
    // A file the edits delete comes back with its mode if the check fails (a script
    // restored without its executable bit would leave the tree changed after all).
    const deletedModes = await modesOf(root, apply.changes.filter((c) => c.after === undefined && c.before !== undefined));
    await writeChanges(root, apply.changes);
    const command = options.checkCommand?.trim();
    if (!command)
        return { ok: true, apply, syntax, written: apply.changes };
    let check;
    try {
        check = await runCheckCommand({
            command,
            cwd: root,
            timeoutMs: options.checkTimeoutMs ?? 10 * 60 * 1000,
            ...(options.checkEnv ? { env: options.checkEnv } : {}),
            unisolated: options.checkUnisolated ?? false,
            ...(options.checkWarn ? { warn: options.checkWarn } : {}),
        });
    }
    catch (error) {
        // Refused (no sandbox) or could not start: nothing was checked, so nothing stays.
        await restore(root, apply.changes, deletedModes);
        throw error;
    }
    if (check.ok)
        return { ok: true, apply, syntax, check, written: apply.changes };
    await restore(root, apply.changes, deletedModes);
    return { ok: false, failedAt: "check", apply, syntax, check, written: [] };
}
/** Puts the tree back as it was before `changes`, modes of deleted files included. */
async function restore(root, changes, deletedModes) {
    await writeChanges(root, changes.map(reverse));
    for (const [path, mode] of deletedModes)
        await (0,external_node_fs_promises_.chmod)((0,external_node_path_.join)(root, path), mode);
}
async function modesOf(root, changes) {
    const modes = new Map();
    for (const change of changes)
        modes.set(change.path, (await (0,external_node_fs_promises_.stat)((0,external_node_path_.join)(root, change.path))).mode);
    return modes;
}
function reverse(change) {
    return { ...change, before: change.after, after: change.before };
}

;// CONCATENATED MODULE: ./.build/action/edits/repair-answer.js

function repairedEditSet(first, firstResult, repair) {
    const key = (path) => {
        const normal = normalizeRepoPath(path);
        return normal.ok ? normal.path : path;
    };
    const answered = new Set(repair.edits.map((edit) => key(edit.path)));
    // What failed in the first round is what the repair was asked to redo.
    const failed = new Set([
        ...firstResult.apply.failures.map((failure) => key(failure.path)),
        ...(firstResult.syntax?.files ?? [])
            .filter((file) => file.status === "failed")
            .map((file) => key(file.path)),
    ]);
    const carried = first.edits.filter((edit) => !answered.has(key(edit.path)) && !failed.has(key(edit.path)));
    return {
        edits: { ...repair, edits: [...carried, ...repair.edits] },
        kept: [...new Set(carried.map((edit) => key(edit.path)))],
    };
}

;// CONCATENATED MODULE: ./.build/action/edits/failure-report.js


const DEFAULT_LIMIT = 6000;
const OUTPUT_LINES = 60;
/**
 * Explains why an edit set was refused, in plain text that serves both the repair round
 * (fed back to the model with its previous answer) and the tracking comment. Bounded to
 * `limit` characters: the first problems matter most, and a model's context is finite.
 * Every message here can quote repository files (a hunk that did not match shows the
 * closest real line, a syntax error its snippet, the check its output), and the report
 * goes to the model, the log and the public comment, so the whole report is redacted
 * once, here: by rule, against this run's own secrets, and against the secrets found in
 * each file the edits read, which a quote may show cut short or escaped. Returns "" when
 * the result is ok.
 */
function failureReport(result, limit = DEFAULT_LIMIT) {
    if (result.ok)
        return "";
    const parts = [];
    switch (result.failedAt) {
        case "apply":
            parts.push("The edits could not be applied. Each search text must match the current file exactly once:", ...result.apply.failures.map((f) => `- ${f.message}`));
            break;
        case "syntax":
            parts.push("The edited files have syntax errors that the originals did not have:", ...(result.syntax?.failures ?? []).map((line) => `- ${line}`));
            break;
        case "check": {
            const check = result.check;
            const how = check?.timedOut
                ? "did not finish in time"
                : `failed (exit code ${check?.exitCode ?? "none"}${check?.signal ? `, signal ${check.signal}` : ""})`;
            const output = (check?.output ?? "").split("\n").slice(-OUTPUT_LINES).join("\n").trimEnd();
            parts.push(`The check command ${how}. The end of its output:`, "```", output, "```");
            break;
        }
        case undefined:
            parts.push("The edits were refused.");
            break;
    }
    const literals = [
        ...knownSecrets(process.env),
        ...result.apply.changes.flatMap((c) => c.before === undefined ? [] : secretLiteralsIn(c.before, c.path)),
    ];
    const redacted = redactSecrets(parts.join("\n"), { literals });
    const note = redacted.redacted
        ? `\n${REDACTED} stands for a secret that is never shown; search texts must not include lines that hold one.`
        : "";
    return failure_report_clip(redacted.text + note, limit);
}
function failure_report_clip(text, limit) {
    if (text.length <= limit)
        return text;
    const cut = text.lastIndexOf("\n", limit - 40);
    const kept = text.slice(0, cut > 0 ? cut : limit - 40);
    // Close an open code fence so the rest of a Markdown comment still renders.
    const fence = (kept.match(/^```/gm) ?? []).length % 2 === 1 ? "\n```" : "";
    return `${kept}${fence}\n[… ${text.length - kept.length} more characters]`;
}

;// CONCATENATED MODULE: ./.build/action/context/changelog.js
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
        const text = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(repoDir, path), "utf8");
        return text.split("\n", lines).join("\n");
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./.build/action/context/definitions.js
var definitions = __webpack_require__(6711);
// EXTERNAL MODULE: ./.build/action/context/tokens.js
var tokens = __webpack_require__(8491);
;// CONCATENATED MODULE: ./.build/action/context/excerpts.js
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
    for (const definition of (0,definitions/* findDefinitions */.C)(text)) {
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
            for (const part of (0,tokens/* splitIdentifier */.a0)(word)) {
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
        parsed = await parseSource(path, text);
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
    const evidence = lineEvidence(text, query);
    if (evidence.hits.length === 0)
        return [];
    const blocks = text.length <= maxParsedChars ? await fileBlocks(path, text) : undefined;
    const regions = regionsAround(evidence, blocks?.definitions);
    return blocks ? codeBeforeDocs(regions, docSpans(blocks.docs)) : regions;
}

;// CONCATENATED MODULE: ./.build/action/context/import-header.js
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

;// CONCATENATED MODULE: ./.build/action/context/issue-signals.js
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
        const path = issue_signals_normalisePath(match[0]);
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
        if (name.length < 3 || (0,tokens/* isStopWord */.l6)(name.toLowerCase()))
            return;
        identifiers.set(name, (identifiers.get(name) ?? 0) + weight);
    };
    for (const name of (0,tokens/* identifiersIn */.UX)(title))
        if (looksLikeCode(name, title))
            addIdentifier(name, 3);
    for (const name of (0,tokens/* identifiersIn */.UX)(body))
        if (looksLikeCode(name, body))
            addIdentifier(name, 1);
    // A span that is just a name (`refine()`, `Matrix.col_insert`) is the issue pointing at
    // code; inside longer spans only what reads as code counts (output and banners do not).
    for (const span of spans) {
        const bare = /^\s*[A-Za-z_$][\w$.:]*(\(\))?\s*$/.test(span);
        for (const name of (0,tokens/* identifiersIn */.UX)(span)) {
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
    for (const term of (0,tokens/* termsOf */.fd)(title))
        terms.set(term, (terms.get(term) ?? 0) + 2);
    // A link's words are an address (a site, a slug, a commit), not the reporter's: the
    // paths it names were read above.
    for (const term of (0,tokens/* termsOf */.fd)(body.replace(URL_RE, " ")))
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
            if ((0,tokens/* isStopWord */.l6)(a.toLowerCase()) || (0,tokens/* isStopWord */.l6)(b.toLowerCase()))
                continue;
            phrases.set(`${a}${b}`.toLowerCase(), `${a} ${b}`);
        }
    }
    return phrases;
}
/** `./a/b.py`, `a\\b.py`, `b/a/b.py` (diff prefix) → `a/b.py`. */
function issue_signals_normalisePath(raw) {
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
    if ((0,tokens/* splitIdentifier */.a0)(name).length > 1 && /\d/.test(name) && /[A-Za-z]{3}/.test(name))
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
        const normalised = issue_signals_normalisePath(path.trim());
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

;// CONCATENATED MODULE: ./.build/action/code-context/focus.js
/**
 * Where in a file the code step should look: the regions the issue and the approved plan
 * point at (definitions of the names they use, lines their stack traces and steps name,
 * lines holding their error messages and words), each widened to its enclosing function
 * or class, best first; and an outline of every definition with its line number, so that
 * a model shown only part of a large file still knows what the rest holds.
 *
 * The regions are the same ranked excerpts the plan's context uses (excerpts.ts), asked
 * with the plan's words added to the issue's: what the plan names is what gets changed.
 * A changelog's first regions are where its next entry goes (changelog.ts).
 */






/**
 * Regions per file, best first; the worker shows as many as its window holds. A region
 * whose documentation comes after all code (doc-blocks.ts) counts once per part.
 */
const MAX_FOCUS_REGIONS = 120;
/** Outline entries per file (a definition each); longer outlines keep the top-level ones. */
const MAX_OUTLINE_ENTRIES = 1500;
const MAX_OUTLINE_TEXT = 160;
function codeQuery(issue, plan) {
    const planText = [
        ...plan.steps.map((step) => `${step.title}\n${step.detail}`),
        ...plan.files.map((file) => `${file.path}: ${file.reason}`),
    ].join("\n\n");
    const planLines = new Map();
    for (const step of plan.steps) {
        const lines = linesNamed(`${step.title}\n${step.detail}`);
        if (lines.length === 0)
            continue;
        for (const path of step.files)
            planLines.set(path, [...(planLines.get(path) ?? []), ...lines]);
    }
    return {
        issue: readIssueSignals(issue.title, issue.body),
        plan: readIssueSignals(plan.summary, planText),
        planLines,
    };
}
/** "line 120", "lines 120-130", "L120", "file.py:120". */
function linesNamed(text) {
    const out = [];
    for (const m of text.matchAll(/\b(?:lines?\s+|L)(\d{1,6})(?:\s*[-–]\s*(\d{1,6}))?\b/gi)) {
        out.push(Number(m[1]));
        if (m[2] !== undefined)
            out.push(Number(m[2]));
    }
    for (const m of text.matchAll(/\.[A-Za-z]{1,6}:(\d{1,6})\b/g))
        out.push(Number(m[1]));
    return out;
}
/** The focus regions and the outline of one file the plan changes. */
async function fileFocus(path, text, query) {
    const name = path.split("/").pop() ?? path;
    const frameLines = [
        ...query.issue.frames
            .filter((frame) => frame.line !== undefined && frame.path.split("/").pop() === name)
            .map((frame) => frame.line ?? 0),
        ...(query.planLines.get(path) ?? []),
    ];
    const terms = new Map(query.issue.terms);
    for (const [term, weight] of query.plan.terms)
        terms.set(term, (terms.get(term) ?? 0) + weight);
    const excerptQuery = {
        terms,
        identifiers: new Set([...query.issue.identifiers.keys(), ...query.plan.identifiers.keys()]),
        messages: [...query.issue.messages, ...query.plan.messages],
        frameLines,
    };
    // Parsed whatever its size: the code step must show whole functions of the files it
    // changes, and waits on a model that takes far longer than the parse.
    const matched = (await fileRegions(path, text, excerptQuery)).map(({ startLine, endLine }) => ({
        startLine,
        endLine,
    }));
    // The file's imports right after its best region: a change that calls something new
    // adds an import there, and the model can only quote lines it was shown.
    const header = importHeader(text.split("\n"));
    const withImports = withImportHeader(matched, header && { startLine: header.startLine, endLine: header.endLine });
    // A changelog is changed where its entries are added, which no word of the issue names.
    const regions = [...(isChangelogPath(path) ? entryRegions(text) : []), ...withImports];
    return {
        regions: regions.slice(0, Math.min(MAX_FOCUS_REGIONS, MAX_SOURCE_FOCUS)),
        outline: outlineOf(path, text),
    };
}
/** Every definition's first line with its line number, in file order. */
function outlineOf(path, text) {
    const lineStarts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1))
        lineStarts.push(i + 1);
    const lineOf = (offset) => {
        let lo = 0;
        let hi = lineStarts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if ((lineStarts[mid] ?? 0) <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    };
    const seen = new Set();
    let entries = [];
    for (const definition of (0,definitions/* findDefinitions */.C)(text, path)) {
        const row = lineOf(definition.offset);
        if (seen.has(row))
            continue;
        seen.add(row);
        const start = lineStarts[row] ?? 0;
        const end = text.indexOf("\n", start);
        const line = text.slice(start, end < 0 ? undefined : end).replace(/\s+$/, "");
        entries.push({
            line: row + 1,
            text: line.slice(0, MAX_OUTLINE_TEXT),
            topLevel: definition.topLevel,
        });
    }
    entries.sort((a, b) => a.line - b.line);
    if (entries.length > MAX_OUTLINE_ENTRIES) {
        const top = entries.filter((e) => e.topLevel);
        entries = top.length <= MAX_OUTLINE_ENTRIES ? top : top.slice(0, MAX_OUTLINE_ENTRIES);
    }
    return entries.map(({ line, text: signature }) => ({ line, text: signature }));
}

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

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./node_modules/ignore/index.js
var ignore = __webpack_require__(298);
;// CONCATENATED MODULE: ./.build/action/context/list-files.js
/**
 * The repository's file list: what git tracks when the directory is a work tree, a
 * walk that honours .gitignore files otherwise. Symlinks are never followed (a link
 * could point anywhere on the runner), and a project ignore file in gitignore syntax
 * removes more.
 */








const execFileAsync = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
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
    const vendored = (0,file_filters/* packageManagerVendorDirs */.Q3)(raw.map((entry) => entry.path));
    const paths = [];
    const excluded = [];
    for (const entry of raw) {
        if ((0,file_filters/* isInsideAny */.jX)(entry.path, vendored)) {
            excluded.push({ path: entry.path, reason: "dependency folder" });
            continue;
        }
        if (entry.symlink) {
            excluded.push({ path: entry.path, reason: "symlink (not followed)" });
            continue;
        }
        // A message carries no longer path (a generated fixture nested deep enough); such a
        // file is left out, never the whole context.
        if (entry.path.length > MAX_PATH_CHARS) {
            excluded.push({ path: entry.path, reason: "path too long" });
            continue;
        }
        if (projectIgnore?.ignores(entry.path)) {
            excluded.push({ path: entry.path, reason: "listed in the ignore file" });
            continue;
        }
        const reason = (0,file_filters/* exclusionReason */.VL)(entry.path);
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
            const stat = await (0,external_node_fs_promises_.lstat)((0,external_node_path_.join)(repoDir, path)).catch(() => undefined);
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
    if (!(0,external_node_fs_.existsSync)(file))
        return undefined;
    return ignore().add((0,external_node_fs_.readFileSync)(file, "utf8"));
}
/**
 * The project's ignore file, read only where it really lies inside the repository: a
 * symlink (or `../` in the setting) pointing elsewhere on the runner is refused rather
 * than read or skipped, since skipping it would send the files it was written to keep
 * out. A link to another file of the repository is read through.
 */
function loadProjectIgnoreFile(repoDir, name) {
    const file = (0,external_node_path_.resolve)(repoDir, name);
    if (!(0,external_node_fs_.lstatSync)(file, { throwIfNoEntry: false })) {
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
    if (!isWithin((0,external_node_fs_.realpathSync)(repoDir), real)) {
        throw new Error(`The ignore file ${JSON.stringify(name)} resolves outside the repository (${isWithin((0,external_node_path_.resolve)(repoDir), file) ? "a symlink pointing out of it" : "a path outside it"}). Make it a regular file inside the repository, or set ignore-file to one.`);
    }
    if (!(0,external_node_fs_.statSync)(real).isFile()) {
        throw new Error(`The ignore file ${JSON.stringify(name)} is not a regular file. Make it a file in gitignore syntax, or set ignore-file to one.`);
    }
    return loadIgnoreFile(real);
}
/** Whether `path` lies strictly inside the folder `root` (both absolute). */
function isWithin(root, path) {
    const inside = (0,external_node_path_.relative)(root, path);
    return inside !== "" && inside !== ".." && !inside.startsWith(`..${external_node_path_.sep}`) && !(0,external_node_path_.isAbsolute)(inside);
}
function realpathOrUndefined(file) {
    try {
        return (0,external_node_fs_.realpathSync)(file);
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
        const absolute = relativeDir === "" ? repoDir : (0,external_node_path_.join)(repoDir, relativeDir);
        const entries = (0,external_node_fs_.readdirSync)(absolute, { withFileTypes: true });
        // Read .gitignore only where the listing shows one (no stat per directory).
        const hasGitignore = entries.some((entry) => entry.name === ".gitignore" && entry.isFile());
        const gitignore = hasGitignore ? loadIgnoreFile((0,external_node_path_.join)(absolute, ".gitignore")) : undefined;
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
        !isChangelogPath(file.path) &&
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
    const cost = (path) => estimateTokens(`"${path}",`);
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
const build_context_HEAD_LINES = 30;
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
    const info = await (0,external_node_fs_promises_.stat)(options.repoDir).catch(() => undefined);
    if (!info?.isDirectory())
        throw new Error(`repository directory not found: ${options.repoDir}`);
    const listOptions = options.ignoreFile === undefined ? {} : { ignoreFile: options.ignoreFile };
    const listed = await collectRepositoryFiles(options.repoDir, listOptions);
    const signals = readIssueSignals(options.title, options.body);
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
    const changelogs = signalOn("changelog") ? changelogsToUpdate(repoDir, paths) : [];
    const references = signalOn("reference")
        ? referenceCompanions(repoDir, files, signals.identifiers)
        : () => [];
    const ranking = joinCompanions(near, (anchor) => [
        ...changelogCompanion(anchor.path, changelogs),
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
    const fixedCost = estimateTokens(JSON.stringify({ omitted, tokenEstimate: budget })) + 16;
    const treePaths = abridgeTree(paths, ranking.slice(0, maxFiles).map((file) => file.path), Math.floor(budget * TREE_SHARE));
    const tree = { paths: treePaths, totalFiles: paths.length };
    let used = fixedCost + estimateTokens(JSON.stringify(tree));
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
        if (lines && isChangelogPath(file.path)) {
            // Where a new entry goes, not old entries that share words: the plan needs its
            // place and how entries read, the first region of it (widened below like any).
            regions = entryRegions(lines.join("\n"))
                .slice(0, 1)
                .map((region) => ({ ...region, score: 0 }));
        }
        else if (lines) {
            // The code a fix changes is often in no matching region (a helper the issue's words
            // never name, the line after the one they hit). A file small for its rank is sent
            // whole instead: the best ranked files are the likeliest to need changing.
            const whole = { startLine: 1, endLine: lines.length, score: Infinity };
            const query = { terms: signals.terms, identifiers, messages: signals.messages, frameLines };
            const matched = await fileRegions(file.path, lines.join("\n"), query, MAX_PARSED_CHARS);
            if (regionCost(lines, whole) <= (budget * WHOLE_FILE_SHARE) / (rank + 1)) {
                regions = [whole];
                focus = matched;
            }
            else {
                regions = matched;
                // The file's imports, right after its best region: what it takes from where, and
                // where a fix that needs one more import adds it.
                header = importHeader(lines);
                regions = withImportHeader(regions, header);
            }
            // Chosen for its path or name alone: show how the file starts.
            if (regions.length === 0) {
                regions = [{ startLine: 1, endLine: Math.min(lines.length, build_context_HEAD_LINES), score: 0 }];
            }
        }
        candidates.push({ file, lines, regions, focus, header });
    }
    // Files are filled in rank order, each within its share of what is left (RankedShares).
    const shares = new RankedShares(candidates.length);
    const sent = [];
    for (const candidate of candidates) {
        const share = shares.next(budget - used);
        const header = estimateTokens(JSON.stringify({
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
            used += estimateTokens(JSON.stringify(entry)) + 1;
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
        const focus = evidence.slice(0, MAX_CONTEXT_FOCUS);
        used += focusCost(focus);
        const grown = grow(lines, chosen, cost, Math.min(room, budget - used + cost));
        used += grown.cost - cost;
        sent.push({ candidate, lines, chosen: grown.regions, focus });
    }
    const files = [];
    for (const { candidate, lines, chosen, focus } of sent) {
        const excerpts = mergeExcerpts(lines, chosen);
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
    let tokenEstimate = estimateTokens(JSON.stringify(context));
    while (tokenEstimate > budget && files.length > 0) {
        const last = files.pop();
        if (last)
            omitted.push({ path: last.path, reason: "token budget" });
        tokenEstimate = estimateTokens(JSON.stringify(context));
    }
    // A budget too small even for the tree: list fewer paths (totalFiles stays true).
    while (tokenEstimate > budget && tree.paths.length > 0) {
        tree.paths.splice(Math.floor(tree.paths.length / 2));
        tokenEstimate = estimateTokens(JSON.stringify(context));
    }
    return {
        ...context,
        tokenEstimate,
        ranking: ranking.map(({ path, score, reasons }) => ({ path, score, reasons })),
    };
}
/** A reason within what a message carries (one naming a very long path, say). */
function clipReason(reason) {
    return reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
}
/** `regions` widened within `maxTokens` (they cost `cost` now), and what they then cost. */
function grow(lines, regions, cost, maxTokens) {
    const grown = growRegions(lines.length, regions, maxTokens, (r) => excerptsCost(lines, r));
    const same = grown.every((r, i) => r.startLine === regions[i]?.startLine && r.endLine === regions[i]?.endLine);
    return same ? { regions: grown, cost } : { regions: grown, cost: excerptsCost(lines, grown) };
}
/** What merged excerpts of `regions` cost, as {@link regionCost} counts them. */
function excerptsCost(lines, regions) {
    return mergeExcerpts(lines, regions).reduce((sum, excerpt) => sum + regionCost(lines, { ...excerpt, score: 0 }), 0);
}
/** What a file's focus list adds to the request. */
function focusCost(focus) {
    return focus.length === 0
        ? 0
        : estimateTokens(JSON.stringify(focus.map(({ startLine, endLine }) => ({ startLine, endLine })))) + 4;
}
function regionCost(lines, region) {
    // JSON escaping and the excerpt's fields, counted conservatively.
    const text = lines.slice(region.startLine - 1, region.endLine).join("\n");
    return estimateTokens(JSON.stringify({ startLine: region.startLine, endLine: region.endLine, text }));
}
function readLines(repoDir, path) {
    const text = (0,scan_files/* readRepositoryText */.oc)(repoDir, path);
    if (text === undefined)
        return undefined;
    const lines = redactSecrets(text).text.split("\n");
    // A final newline ends the last line; it does not start another (a region must never
    // name a line the file does not have).
    if (lines.length > 1 && lines[lines.length - 1] === "")
        lines.pop();
    return lines;
}

;// CONCATENATED MODULE: ./.build/action/github/issue.js
/** Fetches one issue. */
async function getIssue(client, target) {
    const { data } = await client.rest.issues.get({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
    });
    return {
        number: data.number,
        title: data.title,
        body: data.body ?? "",
        state: data.state === "closed" ? "closed" : "open",
        labels: data.labels
            .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
            .filter((name) => name.length > 0),
        author: data.user === null ? null : { login: data.user.login, type: data.user.type },
        authorAssociation: data.author_association ?? "NONE",
        isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
        url: data.html_url,
    };
}

;// CONCATENATED MODULE: ./.build/action/steps/read-issue.js
/**
 * The issue as every request carries it: read from GitHub (or, in the CLI, from a file)
 * and bounded here, by the contract's limits, before any step builds on it.
 */





/**
 * The issue the run works on, cleaned and bounded as the model will see it (see
 * `boundIssueText`). Pull requests are refused: the Action plans issues.
 */
async function readIssue(ctx) {
    return ctx.group("Issue", async () => {
        const found = await getIssue(ctx.client, ctx.issue());
        if (found.isPullRequest)
            throw new ActionFailure(`#${ctx.issueNumber} is a pull request, not an issue.`, "Run the Action on an issue.");
        ctx.log(`#${found.number}: ${found.title}`);
        const issue = boundIssueText({
            number: found.number,
            title: found.title,
            body: found.body,
            author: found.author?.login ?? "unknown",
            labels: found.labels,
        });
        if (issue.bodyCut)
            ctx.log(`issue body is ${found.body.length} characters; it was cut`);
        return issue;
    });
}
/**
 * Text a person wrote on GitHub (an issue, a maintainer's notes), as the model may read
 * it: what a reader cannot see removed, and secrets scrubbed like file text (a log pasted
 * into an issue often holds a connection string or a token).
 */
function textForModel(raw) {
    return redactSecrets(stripHiddenContent(raw)).text;
}
/**
 * Cleans and bounds an issue's text: hidden HTML comments and invisible characters go
 * (a reviewer cannot see them, the model must not either), the title and labels are
 * capped, and a body over the limit is cut with a note saying so, not silently.
 */
function boundIssueText(issue) {
    const title = textForModel(issue.title).slice(0, MAX_ISSUE_TITLE_CHARS);
    let body = textForModel(issue.body);
    const bodyCut = body.length > MAX_ISSUE_BODY_CHARS;
    if (bodyCut) {
        const note = `\n\n[issue text cut at ${MAX_ISSUE_BODY_CHARS} characters]`;
        body = `${body.slice(0, MAX_ISSUE_BODY_CHARS - note.length)}${note}`;
    }
    return {
        number: issue.number,
        title,
        body,
        author: issue.author.slice(0, 100),
        labels: issue.labels.slice(0, MAX_LABELS).map((l) => l.slice(0, MAX_LABEL_CHARS)),
        bodyCut,
    };
}

;// CONCATENATED MODULE: ./.build/action/steps/work-request.js
/**
 * The one builder of work requests, for the plan and code pipelines and the CLI: the
 * issue text (bounded by read-issue.ts), guidance, deadline and model options, validated
 * against the schema before anything is sent (a request that does not validate is our
 * bug, better caught here than dead-lettered by the worker).
 */



function common(fields) {
    const { bodyCut: _bodyCut, ...issue } = fields.issue;
    const guidance = fields.guidance
        ? textForModel(fields.guidance).slice(0, MAX_GUIDANCE_CHARS)
        : "";
    return {
        version: PROTOCOL_VERSION,
        requestId: newRequestId(),
        idempotencyKey: fields.idempotencyKey,
        repo: fields.repo,
        issue,
        context: fields.context,
        options: fields.model ? { model: fields.model } : {},
        deadline: Date.now() + fields.timeoutMinutes * 60_000,
        ...(guidance ? { guidance } : {}),
    };
}
/** A plan request. */
function planRequest(fields) {
    return PlanRequestSchema.parse({ ...common(fields), type: "plan" });
}
/** A code request: the plan, the texts of the files it changes, and context. */
function codeRequest(fields) {
    return CodeRequestSchema.parse({
        ...common(fields),
        type: "code",
        plan: fields.plan,
        planHash: fields.planHash,
        files: fields.files,
    });
}
/** The repair round's request: the same work, a new id and deadline, and what failed. */
function repairRequest(first, previous, errors, timeoutMinutes) {
    return CodeRequestSchema.parse({
        ...first,
        requestId: newRequestId(),
        deadline: Date.now() + timeoutMinutes * 60_000,
        repair: { previous, errors: errors.map((e) => e.slice(0, 4000)) },
    });
}

;// CONCATENATED MODULE: ./.build/action/steps/code-request.js







/**
 * The code request: the plan, the files it changes and context. Each file goes whole,
 * with the regions the issue and plan point at and an outline of its definitions: the
 * worker knows its model's window and shows a file whole when it fits, else the outline
 * and as many regions as fit. Only the message size bounds what is sent.
 */
async function buildCodeRequest(ctx, target) {
    return codeRequestFor({
        checkoutDir: target.checkoutDir,
        repo: {
            owner: ctx.owner,
            name: ctx.repoName,
            defaultBranch: target.defaultBranch,
            sha: target.branchHead,
        },
        issue: target.issue,
        plan: target.plan,
        planHash: target.hash,
        contextTokens: ctx.settings.contextTokens,
        ignoreFile: ctx.settings.ignoreFile || undefined,
        model: ctx.settings.model,
        guidance: ctx.env.guidance,
        timeoutMinutes: ctx.settings.timeoutMinutes,
        log: (message) => ctx.log(message),
    });
}
/**
 * The files a context could show: listed in the tree, not a symlink, not a secret or
 * binary file, not in the ignore file; and why each other listed file is kept out. A path
 * from the plan is read for the model, and changed by its edits, only if shown.
 */
async function shownPaths(checkoutDir, ignoreFile) {
    const listing = await collectRepositoryFiles(checkoutDir, { ignoreFile });
    return {
        shown: new Set(listing.paths),
        keptOut: new Map(listing.excluded.map((e) => [e.path, e.reason])),
    };
}
/** The code request for a plan over the checkout in `checkoutDir` (the Action's and the CLI's). */
async function codeRequestFor(input) {
    const files = [];
    const query = codeQuery(input.issue, input.plan);
    const omitted = [];
    const { shown: readable, keptOut } = await shownPaths(input.checkoutDir, input.ignoreFile);
    let bytes = 0;
    for (const change of input.plan.files) {
        if (change.change === "create")
            continue;
        if (!readable.has(change.path)) {
            const why = keptOut.get(change.path);
            omitted.push({
                path: change.path,
                reason: why
                    ? `kept from the model like any context file (${why})`
                    : "named by the plan but not in the repository",
            });
            continue;
        }
        // Secrets in the file never reach the model; a hunk that needed them fails to apply.
        const raw = await readUtf8File((0,external_node_path_.join)(input.checkoutDir, change.path)).catch((error) => error instanceof NotUtf8Error ? error : undefined);
        if (raw instanceof NotUtf8Error || raw === undefined) {
            omitted.push({
                path: change.path,
                reason: raw === undefined ? "named by the plan but not in the repository" : raw.message,
            });
            continue;
        }
        const content = redactSecrets(raw, { path: change.path }).text;
        const size = Buffer.byteLength(content);
        if (bytes + size > MAX_CODE_FILES_BYTES) {
            omitted.push({
                path: change.path,
                reason: `with the files before it, over the ${MAX_CODE_FILES_BYTES}-byte limit of a request`,
            });
            continue;
        }
        bytes += size;
        files.push({ path: change.path, content, ...(await fileFocus(change.path, content, query)) });
    }
    for (const item of omitted)
        input.log(`not sent: ${item.path} (${item.reason})`);
    const context = await buildContext({
        repoDir: input.checkoutDir,
        title: input.issue.title,
        body: input.issue.body,
        tokenBudget: Math.max(1000, Math.floor(input.contextTokens / 2)),
        ...(input.ignoreFile === undefined ? {} : { ignoreFile: input.ignoreFile }),
    });
    return codeRequest({
        repo: input.repo,
        issue: input.issue,
        context: {
            tree: context.tree,
            files: context.files,
            omitted: [...omitted, ...context.omitted],
            tokenEstimate: context.tokenEstimate + files.reduce((n, f) => n + estimateTokens(f.content), 0),
        },
        model: input.model,
        guidance: input.guidance,
        timeoutMinutes: input.timeoutMinutes,
        idempotencyKey: `${input.repo.owner}/${input.repo.name}#${input.issue.number}@${input.planHash}`,
        plan: input.plan,
        planHash: input.planHash,
        files,
    });
}

;// CONCATENATED MODULE: ./.build/action/steps/apply-with-repair.js








/**
 * Asks for the edits, applies them to the checkout and runs the checks; when they fail,
 * one repair round trip shows the model exactly what failed. Twice failed: nothing is
 * pushed and the failure says why.
 */
async function askWithRepair(ctx, session, request, checkoutDir) {
    // Edits stay inside what was approved: the plan's files, each with its stated change.
    const scope = planScope(request.plan.files);
    const { shown } = await shownPaths(checkoutDir, ctx.settings.ignoreFile || undefined);
    const first = await session.ask(request);
    let edits = first.edits;
    let shownInPart = first.trimmed;
    let result = await ctx.group("Apply and check", () => apply_with_repair_applyEdits(ctx, checkoutDir, edits, scope, shown));
    if (!result.ok) {
        const report = failureReport(result);
        ctx.log(`edits failed at ${result.failedAt ?? "?"}; asking the model to repair them:\n${report}`);
        // Hunks that quoted code the file does not hold: show the model where it is.
        const files = withQuotedCode(request.files, edits, result.apply.failures);
        const repaired = await session.ask(repairRequest({ ...request, files }, edits, [report], ctx.settings.timeoutMinutes));
        const completed = repairedEditSet(edits, result, repaired.edits);
        if (completed.kept.length > 0)
            ctx.log(`the repair answer left out ${completed.kept.join(", ")}; their first edits, which applied, are kept`);
        edits = completed.edits;
        shownInPart = repaired.trimmed;
        result = await ctx.group("Apply and check (repair)", () => apply_with_repair_applyEdits(ctx, checkoutDir, edits, scope, shown));
    }
    if (!result.ok) {
        throw new ActionFailure(`The model's changes were not pushed: they failed the ${result.failedAt ?? "apply"} step twice.\n\n${failureReport(result, 1500)}`, "Comment `/approve` with guidance on the following lines, or refine the plan with `/plan`.");
    }
    return { edits, result, model: first.usage.model, shownInPart };
}
async function apply_with_repair_applyEdits(ctx, dir, edits, scope, shown) {
    const result = await applyAndCheck(dir, edits.edits, {
        policy: { protected: ctx.settings.protectedPaths, allow: [] },
        scope,
        shown,
        checkCommand: ctx.settings.checkCommand,
        checkTimeoutMs: ctx.settings.checkTimeoutMinutes * 60_000,
        checkUnisolated: ctx.settings.checkCommandUnisolated,
    });
    ctx.log(result.ok
        ? `applied ${result.written.length} file change(s); all checks passed`
        : `refused at the ${result.failedAt ?? "?"} step`);
    return result;
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var lib_exec = __webpack_require__(1260);
;// CONCATENATED MODULE: ./.build/action/checkout.js



/** Basic-auth header value git sends; kept out of every URL so it is never printed. */
function gitAuthHeader(token) {
    return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}
/**
 * `env` plus one more git setting, `http.extraheader` carrying the token, appended after
 * any `GIT_CONFIG_COUNT` settings already there (git 2.31+ reads them like `-c`).
 */
function withAuthHeader(env, token) {
    const out = {};
    for (const [key, value] of Object.entries(env))
        if (value !== undefined)
            out[key] = value;
    const index = Number.parseInt(out.GIT_CONFIG_COUNT ?? "0", 10) || 0;
    out[`GIT_CONFIG_KEY_${String(index)}`] = "http.extraheader";
    out[`GIT_CONFIG_VALUE_${String(index)}`] = gitAuthHeader(token);
    out.GIT_CONFIG_COUNT = String(index + 1);
    return out;
}
/**
 * Runs git in `cwd`. With `token`, git sends it as an `http.extraheader` given through
 * git's `GIT_CONFIG_*` environment: a process's command line is readable by every user
 * of the machine (`/proc/<pid>/cmdline`, `ps`), its environment only by its own user.
 */
async function git(args, cwd, token) {
    const result = await (0,lib_exec/* getExecOutput */.H)("git", args, {
        cwd,
        silent: true,
        ignoreReturnCode: true,
        env: token === undefined ? undefined : withAuthHeader(process.env, token),
    });
    if (result.exitCode !== 0) {
        throw new Error(`git ${args[0] ?? ""} failed: ${result.stderr.trim().split("\n").slice(-3).join(" ")}`);
    }
    return result.stdout.trim();
}
/**
 * Uses the checkout `actions/checkout` left in the workspace; when there is none, makes a
 * shallow one of `ref`. The token travels in an `http.extraheader` given in git's
 * environment for that one fetch: never on a command line, in the remote URL or in
 * .git/config.
 */
async function ensureCheckout(options) {
    const dir = options.workspace;
    if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, ".git"))) {
        const sha = await git(["rev-parse", "HEAD"], dir).catch(() => "");
        if (/^[0-9a-f]{40,64}$/.test(sha)) {
            options.log(`using the existing checkout at ${sha.slice(0, 12)}`);
            return { dir, sha, cloned: false };
        }
    }
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
    if ((0,external_node_fs_.readdirSync)(dir).filter((name) => name !== ".git").length > 0) {
        throw new Error(`the workspace ${dir} has files but no git checkout; run actions/checkout first or use an empty workspace`);
    }
    const url = `${options.serverUrl.replace(/\/$/, "")}/${options.owner}/${options.repo}.git`;
    options.log(`no checkout in the workspace: cloning ${options.owner}/${options.repo}@${options.ref} (depth 1)`);
    await git(["init", "-q"], dir);
    await git(["remote", "add", "origin", url], dir);
    await git(["fetch", "--depth=1", "--no-tags", "-q", "origin", options.ref], dir, options.token);
    await git(["checkout", "-q", "--detach", "FETCH_HEAD"], dir);
    const sha = await git(["rev-parse", "HEAD"], dir);
    return { dir, sha, cloned: true };
}
/**
 * Checks out `ref` (a branch) at its remote head in an existing checkout. Credentials
 * that actions/checkout persisted are tried first: sending our header as well would give
 * git two Authorization headers, which GitHub refuses.
 */
async function checkoutRemoteBranch(dir, ref, token) {
    const fetchArgs = [
        "fetch",
        "--depth=50",
        "--no-tags",
        "-q",
        "origin",
        `+refs/heads/${ref}:refs/remotes/origin/${ref}`,
    ];
    try {
        await git(fetchArgs, dir);
    }
    catch {
        await git(fetchArgs, dir, token);
    }
    await git(["checkout", "-q", "--force", "--detach", `refs/remotes/origin/${ref}`], dir);
    return git(["rev-parse", "HEAD"], dir);
}
/** Added and removed line counts per path of the uncommitted changes in `dir`. */
async function diffStat(dir) {
    await git(["add", "-A"], dir);
    const out = await git(["diff", "--cached", "--numstat"], dir);
    const stats = new Map();
    for (const line of out.split("\n").filter(Boolean)) {
        const [added = "0", removed = "0", path = ""] = line.split("\t");
        stats.set(path, { added: Number(added) || 0, removed: Number(removed) || 0 });
    }
    return stats;
}

;// CONCATENATED MODULE: ./.build/action/github/pull-request.js
/**
 * One pull request per issue branch: found by its head, created as a draft when missing,
 * its title and body brought up to date otherwise. A concurrent run that created it first
 * is found and updated, never duplicated.
 */

/** The open pull request whose head is `owner:head`, or null. */
async function findOpenPullRequest(client, target) {
    const { data } = await client.rest.pulls.list({
        owner: target.owner,
        repo: target.repo,
        head: `${target.owner}:${target.head}`,
        state: "open",
        per_page: 10,
    });
    // Lowest number first: if duplicates ever existed, the original is the one to keep.
    const sorted = [...data].sort((a, b) => a.number - b.number);
    return sorted[0] ?? null;
}
/**
 * Makes sure an open pull request exists for `spec.head` with `spec.title` and
 * `spec.body`: creates a draft if none is open, otherwise updates what differs.
 */
async function upsertPullRequest(client, spec) {
    const existing = await findOpenPullRequest(client, spec);
    if (existing !== null)
        return updateIfChanged(client, spec, existing);
    try {
        const data = await createPullRequest(client, spec);
        return resultOf(data, { created: true, updated: false });
    }
    catch (error) {
        if (isGitHubError(error, 422, GitHubErrorText.pullRequestExists)) {
            // Another run opened it between our lookup and our create.
            const raced = await findOpenPullRequest(client, spec);
            if (raced !== null)
                return updateIfChanged(client, spec, raced);
        }
        if (isGitHubError(error, 422, GitHubErrorText.noCommitsBetween)) {
            throw new Error(`Cannot open a pull request from ${spec.head} into ${spec.base}: the branch has no commits that ${spec.base} lacks.`, { cause: error });
        }
        throw error;
    }
}
/** Pauses before asking again for a head branch GitHub does not see yet. */
const HEAD_NOT_VISIBLE_PAUSES_MS = [1000, 3000];
/**
 * Creates the pull request, as a draft when asked, with two answers of GitHub's taken in
 * stride: drafts are refused in private repositories on the Free and Pro plans (opened as
 * a ready pull request instead; the body says it is a plan to review either way), and a
 * branch made a moment ago can be reported as an invalid head until GitHub sees it.
 */
async function createPullRequest(client, spec) {
    let draft = spec.draft ?? true;
    for (let headRetries = 0;;) {
        try {
            const { data } = await client.rest.pulls.create({
                owner: spec.owner,
                repo: spec.repo,
                head: spec.head,
                base: spec.base,
                title: spec.title,
                body: spec.body,
                draft,
                maintainer_can_modify: true,
            });
            return data;
        }
        catch (error) {
            if (draft && isGitHubError(error, 422, GitHubErrorText.draftsUnsupported)) {
                draft = false;
                continue;
            }
            const pause = HEAD_NOT_VISIBLE_PAUSES_MS[headRetries];
            if (pause !== undefined && isHeadNotVisible(error)) {
                headRetries++;
                await new Promise((resolve) => setTimeout(resolve, pause));
                continue;
            }
            throw error;
        }
    }
}
/** GitHub's 422 for a head it cannot resolve: `{ field: "head", code: "invalid" }`. */
function isHeadNotVisible(error) {
    if (!isGitHubError(error, 422))
        return false;
    const errors = error.response?.data?.errors;
    return (Array.isArray(errors) &&
        errors.some((e) => e !== null &&
            typeof e === "object" &&
            e.field === "head" &&
            e.code === "invalid"));
}
async function updateIfChanged(client, spec, existing) {
    const unchanged = existing.title === spec.title && (existing.body ?? "") === spec.body;
    if (unchanged)
        return resultOf(existing, { created: false, updated: false });
    const { data } = await client.rest.pulls.update({
        owner: spec.owner,
        repo: spec.repo,
        pull_number: existing.number,
        title: spec.title,
        body: spec.body,
    });
    return resultOf(data, { created: false, updated: true });
}
function resultOf(pr, change) {
    return {
        number: pr.number,
        url: pr.html_url,
        nodeId: pr.node_id,
        headSha: pr.head.sha,
        draft: pr.draft ?? false,
        ...change,
    };
}

;// CONCATENATED MODULE: ./.build/action/plan/plan-hash.js

/**
 * SHA-256 of the plan in a canonical form (keys sorted, no whitespace): the same plan
 * always hashes the same, so `/approve` can be bound to exactly what the bot wrote.
 */
function planHash(plan) {
    return (0,external_node_crypto_.createHash)("sha256").update(canonicalJson(plan)).digest("hex");
}
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(",")}]`;
    if (value && typeof value === "object") {
        const entries = Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

;// CONCATENATED MODULE: ./.build/action/steps/checkout-default-branch.js

/**
 * The repository's default branch, checked out in the workspace. The checkout found there
 * is used when it is at the branch's head; a workflow dispatched from another branch has
 * that branch checked out, and a plan based on it would carry its commits into a pull
 * request against the default branch.
 */
async function checkoutDefaultBranch(ctx) {
    const repoInfo = await ctx.client.rest.repos.get(ctx.repo());
    const defaultBranch = repoInfo.data.default_branch;
    const checkout = await ctx.group("Checkout", async () => {
        const found = await ensureCheckout({
            workspace: ctx.env.workspace,
            serverUrl: ctx.env.serverUrl,
            owner: ctx.owner,
            repo: ctx.repoName,
            ref: defaultBranch,
            token: ctx.settings.githubToken,
            log: (m) => ctx.log(m),
        });
        if (found.cloned)
            return found;
        const { data: head } = await ctx.client.rest.git.getRef({
            ...ctx.repo(),
            ref: `heads/${defaultBranch}`,
        });
        if (head.object.sha === found.sha)
            return found;
        ctx.log(`the workspace is at ${found.sha.slice(0, 12)}, not at ${defaultBranch}'s head ${head.object.sha.slice(0, 12)} (dispatched from another branch, or ${defaultBranch} moved since): checking out ${defaultBranch}`);
        const sha = await checkoutRemoteBranch(found.dir, defaultBranch, ctx.settings.githubToken);
        return { ...found, sha };
    });
    return { ...checkout, defaultBranch };
}

;// CONCATENATED MODULE: ./.build/action/steps/approved-plan.js
/**
 * The plan a code run applies, proved to be the one the bot wrote, and what to apply it
 * to: its branch checked out, its pull request, the issue text.
 */










/** The plan `/approve` refers to, checked, with its branch checked out. */
async function planForApproval(ctx) {
    const approved = await loadApprovedPlan(ctx);
    const pr = await findOpenPullRequest(ctx.client, { ...ctx.repo(), head: approved.branch });
    if (!pr)
        throw new ActionFailure(`The plan's pull request for ${approved.branch} is not open any more.`, "Comment `/plan` to make a new plan and pull request.");
    // The code step works from the issue text the plan was made from, as recorded with it:
    // an issue edited after review does not reach the model.
    const live = await readIssue(ctx);
    const issue = {
        ...live,
        title: approved.issueText.title,
        body: approved.issueText.body,
        bodyCut: false,
    };
    if (live.title !== issue.title || live.body !== issue.body)
        ctx.log("the issue was edited since the plan was made; the code step uses the text the plan was made from");
    const checkout = await checkoutDefaultBranch(ctx);
    const branchHead = await checkoutRemoteBranch(checkout.dir, approved.branch, ctx.settings.githubToken);
    return {
        ...approved,
        baseSha: approved.baseSha || checkout.sha,
        pullRequest: { number: pr.number, url: pr.html_url },
        checkoutDir: checkout.dir,
        branchHead,
        issue,
        defaultBranch: checkout.defaultBranch,
    };
}
/**
 * Loads the plan an `/approve` refers to and proves it is exactly the plan the bot wrote:
 * the hash the bot recorded in its own tracking comment (a comment only the bot can have
 * written, found by author) must equal the hash of `plan.json` on the branch now. Anyone
 * who edited the plan file on the branch since, or planted a look-alike comment, is
 * refused.
 */
async function loadApprovedPlan(ctx) {
    const again = "Comment `/plan` on the issue to make a fresh plan, review it, then `/approve` again.";
    const tracking = await findTrackingComment(ctx.client, ctx.trackingTarget());
    const recorded = tracking?.record?.planHash;
    if (!recorded)
        throw new ActionFailure("There is no plan to approve on this issue yet.", "Add the trigger label or comment `/plan` first.", { relabel: false });
    const branch = (0,conventions/* issueBranchName */.pp)(ctx.settings.branchPrefix, ctx.issueNumber);
    const planJsonPath = (0,conventions/* planFilePaths */.CM)(ctx.issueNumber).json;
    let text;
    try {
        const { data } = await ctx.client.rest.repos.getContent({
            ...ctx.repo(),
            path: planJsonPath,
            ref: `refs/heads/${branch}`,
        });
        if (Array.isArray(data) || data.type !== "file" || !("content" in data))
            throw new Error("not a file");
        text = Buffer.from(data.content, "base64").toString("utf8");
    }
    catch (error) {
        if (errorStatus(error) === 404)
            throw new ActionFailure(`The plan file ${planJsonPath} is missing from branch ${branch}.`, again);
        throw error;
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new ActionFailure(`The plan file on ${branch} is no longer valid JSON: it was changed after the bot wrote it.`, again);
    }
    const plan = PlanSchema.safeParse(parsed.plan);
    if (!plan.success)
        throw new ActionFailure(`The plan file on ${branch} no longer matches the plan format: it was changed after the bot wrote it.`, again);
    const hash = planHash(plan.data);
    if (hash !== recorded) {
        throw new ActionFailure(`The plan on ${branch} is not the plan the bot wrote: its hash is \`${hash.slice(0, 16)}\`, the bot recorded \`${recorded.slice(0, 16)}\`. Someone changed it since, so this approval is refused.`, again);
    }
    const baseSha = typeof parsed.baseSha === "string" && /^[0-9a-f]{40,64}$/.test(parsed.baseSha)
        ? parsed.baseSha
        : "";
    const { title, body } = parsed.issueText ?? {};
    if (typeof title !== "string" || typeof body !== "string")
        throw new ActionFailure(`The plan file on ${branch} does not record the issue text it was made from.`, again);
    return { plan: plan.data, hash, branch, baseSha, issueText: { title, body } };
}
/**
 * The commit on the plan's branch that already applied it, if any: walks first parents
 * from the head back to the plan's base (at most 50 commits).
 */
async function findApplyingCommit(ctx, target) {
    const { client } = ctx;
    let sha;
    try {
        sha = (await client.rest.git.getRef({ ...ctx.repo(), ref: `heads/${target.branch}` })).data
            .object.sha;
    }
    catch (error) {
        if (errorStatus(error) === 404)
            return undefined;
        throw error;
    }
    for (let i = 0; i < 50 && sha && sha !== target.baseSha; i++) {
        const { data } = await client.rest.git.getCommit({ ...ctx.repo(), commit_sha: sha });
        if (data.message.includes(`${conventions/* Trailer */.eY.appliedPlanHash}: ${target.hash}`))
            return data.sha;
        sha = data.parents[0]?.sha;
    }
    return undefined;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core_core = __webpack_require__(8532);
;// CONCATENATED MODULE: ./.build/action/settings.js




/**
 * The Action's inputs, parsed once into a typed object. Every error names the input and
 * the expected format. The object holds the token and the signing key: never log it whole.
 */
const csv = schemas/* string */.YjP().transform((value) => value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean));
/**
 * `context-tokens: auto`: a generous ranked context, which the worker fits to its model's
 * window (NUM_CTX), lowest-ranked files first. A number caps it on the Action's side.
 */
const AUTO_CONTEXT_TOKENS = 48_000;
const positiveInt = (name, max) => schemas/* string */.YjP().transform((value, ctx) => {
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > max) {
        ctx.addIssue({
            code: "custom",
            message: `Invalid input '${name}': expected a whole number from 1 to ${max}, got '${value}'`,
        });
        return core_core/* NEVER */.tm;
    }
    return Number(trimmed);
});
const bool = (name) => schemas/* string */.YjP().transform((value, ctx) => {
    const v = value.trim().toLowerCase();
    if (["true", "yes", "1"].includes(v))
        return true;
    if (["false", "no", "0", ""].includes(v))
        return false;
    ctx.addIssue({
        code: "custom",
        message: `Invalid input '${name}': expected true or false, got '${value}'`,
    });
    return core_core/* NEVER */.tm;
});
const SettingsSchema = schemas/* object */.Ikc({
    githubToken: schemas/* string */.YjP()
        .min(1, "Invalid input 'github-token': it is empty; the default is the workflow's GITHUB_TOKEN"),
    amqpUrl: schemas/* string */.YjP()
        .refine(isBrokerUrlList, `Invalid input 'amqp-url': expected ${BROKER_URL_FORM}`),
    signingKey: schemas/* string */.YjP(),
    allowUnsigned: bool("allow-unsigned"),
    requestQueue: schemas/* string */.YjP().min(1),
    timeoutMinutes: schemas/* string */.YjP().transform((value, ctx) => {
        // Minutes, fractions allowed (0.5 = 30 s), so short deadlines can be tried out.
        const minutes = Number(value.trim());
        // The worker refuses a request meant to live longer (a bound on replays).
        const most = MAX_REQUEST_LIFETIME_MS / 60_000;
        if (!/^\d+(\.\d+)?$/.test(value.trim()) || minutes <= 0 || minutes > most) {
            ctx.addIssue({
                code: "custom",
                message: `Invalid input 'timeout-minutes': expected a number of minutes above 0 and at most ${most}, got '${value}'`,
            });
            return core_core/* NEVER */.tm;
        }
        return minutes;
    }),
    triggerLabel: schemas/* string */.YjP().min(1, "Invalid input 'trigger-label': it is empty"),
    quickfixLabel: schemas/* string */.YjP(),
    requireLabelOnOpen: bool("require-label-on-open"),
    allowedAssociations: csv,
    branchPrefix: schemas/* string */.YjP().refine(
    // Git refuses a ref with an empty part (`a//`), a part starting with '.', or `..`;
    // the prefix is followed by `issue-N`, so it may end with '/'.
    (v) => /^[A-Za-z0-9._/-]*$/.test(v) &&
        !v.includes("..") &&
        !/(^|\/)(\/|\.)/.test(v) &&
        !/\.lock(\/|$)/.test(v), "Invalid input 'branch-prefix': use letters, digits, '.', '_', '-' and '/', no empty part ('a//') and no part starting with '.'"),
    contextTokens: schemas/* string */.YjP().transform((value, ctx) => {
        if (value.trim().toLowerCase() === "auto")
            return AUTO_CONTEXT_TOKENS;
        const trimmed = value.trim();
        if (/^\d+$/.test(trimmed) && Number(trimmed) >= 1 && Number(trimmed) <= 1_000_000)
            return Number(trimmed);
        ctx.addIssue({
            code: "custom",
            message: `Invalid input 'context-tokens': expected auto or a whole number from 1 to 1000000, got '${value}'`,
        });
        return core_core/* NEVER */.tm;
    }),
    model: schemas/* string */.YjP(),
    labelPending: schemas/* string */.YjP().min(1),
    labelFailed: schemas/* string */.YjP().min(1),
    labelApplied: schemas/* string */.YjP().min(1),
    protectedPaths: csv,
    checkCommand: schemas/* string */.YjP(),
    checkCommandUnisolated: bool("check-command-unisolated"),
    checkTimeoutMinutes: positiveInt("check-timeout-minutes", 120),
    ignoreFile: schemas/* string */.YjP(),
    botLogin: schemas/* string */.YjP().min(1, "Invalid input 'bot-login': it is empty"),
    issueNumber: schemas/* string */.YjP().transform((value, ctx) => {
        if (value.trim() === "")
            return undefined;
        if (!/^\d+$/.test(value.trim()) || Number(value.trim()) < 1) {
            ctx.addIssue({
                code: "custom",
                message: `Invalid input 'issue-number': expected an issue number (1 or more), got '${value}'`,
            });
            return core_core/* NEVER */.tm;
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
    "request-queue": REQUEST_QUEUE,
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
    "protected-paths": DEFAULT_PROTECTED.join(","),
    "check-command": "",
    "check-command-unisolated": "false",
    "check-timeout-minutes": "10",
    "ignore-file": DEFAULT_IGNORE_FILE,
    "bot-login": "github-actions[bot]",
    "issue-number": "",
};
/** Thrown for bad inputs; its message is shown as is. */
class SettingsError extends Error {
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

;// CONCATENATED MODULE: ./.build/action/steps/ask-worker.js



/**
 * A connection to the workers for one run: requests go out through it and their progress
 * shows in the tracking comment. `ask` resolves with the result, or throws the worker's
 * error as a failure a maintainer can act on.
 */
class WorkerSession {
    ctx;
    client;
    tracking;
    stage;
    planHash;
    constructor(ctx, client, tracking, stage, planHash) {
        this.ctx = ctx;
        this.client = client;
        this.tracking = tracking;
        this.stage = stage;
        this.planHash = planHash;
    }
    static async open(ctx, tracking, stage, planHash) {
        ctx.throwIfCancelled();
        const weak = weakSigningKey(ctx.settings.signingKey);
        if (weak)
            throw new ActionFailure(weak, "Set signing-key and the worker's SIGNING_KEY to one new secret.");
        const client = await WorkClient.connect({
            amqpUrl: ctx.settings.amqpUrl,
            requestQueue: ctx.settings.requestQueue,
            signingKey: ctx.settings.signingKey || undefined,
            log: (m) => ctx.log(m),
        });
        return new WorkerSession(ctx, client, tracking, stage, planHash);
    }
    async ask(request) {
        const view = {
            stage: this.stage,
            runUrl: this.ctx.env.runUrl,
            ...(this.planHash ? { planHash: this.planHash } : {}),
        };
        this.ctx.throwIfCancelled();
        const reply = await this.client.submit(request, {
            // A cancelled run stops waiting at once; closing the session then deletes the reply
            // queue, and the workers drop the request instead of computing it.
            signal: this.ctx.cancelSignal,
            onQueued: ({ ahead }) => {
                // Milliseconds since the process started: the Action's own overhead before the model.
                this.ctx.log(`request ${request.requestId} queued ${Math.round(performance.now())} ms after start; ${ahead} ahead of it`);
                void this.tracking.update({ ...view, phase: { kind: "queued", position: ahead + 1 } });
            },
            onProgress: (progress) => {
                if (progress.stage === "generating" && progress.tokens)
                    this.ctx.log(`generating: ${progress.tokens} tokens`);
                else
                    this.ctx.log(`worker: ${progress.stage}${progress.message ? ` (${progress.message})` : ""}`);
                void this.tracking.update({
                    ...view,
                    phase: {
                        kind: "running",
                        ...(progress.model ? { model: progress.model } : {}),
                        ...(progress.tokens !== undefined ? { tokens: progress.tokens } : {}),
                        ...(progress.message ? { detail: progress.message } : {}),
                    },
                });
            },
        });
        this.tracking.discardPending();
        if (reply.type === "error")
            throw failureFromWorker(reply, this.ctx.settings.timeoutMinutes, this.stage);
        if (reply.kind !== request.type)
            throw new ActionFailure(`The worker answered a ${request.type} request with a ${reply.kind} result.`, "Check that the Action and worker versions match.");
        return reply;
    }
    close() {
        return this.client.close();
    }
}

;// CONCATENATED MODULE: ./.build/action/plan/render-plan.js


const CHANGE_ICON = {
    modify: "✏️ modify",
    create: "🆕 create",
    delete: "🗑️ delete",
};
/** One table cell: no pipes or newlines can break the table. */
function cell(text) {
    return oneLine(text).replace(/\|/g, "\\|");
}
/**
 * Sanitised text where Markdown wants one line (a step's title, a table cell). Collapsed
 * after sanitising: the closing fence the sanitiser adds after an open one is a line of
 * its own, which in a list item's first line would land outside the item and open a
 * fence over the rest of the document.
 */
function oneLine(text) {
    return text.replace(/[ \t]*(?:\r?\n|\r)[ \t]*/g, " ");
}
/**
 * A list item: `marker` then `text`, every further line indented to the item's content
 * column, so all of it (a fence and the closing fence the sanitiser added included) stays
 * inside the item.
 */
function listItem(marker, text) {
    const pad = " ".repeat(marker.length);
    return text
        .split("\n")
        .map((line, i) => (i === 0 ? `${marker}${line}` : line.trim() === "" ? "" : `${pad}${line}`))
        .join("\n");
}
function list(items, safe, empty) {
    return items.length ? items.map((item) => listItem("- ", safe(item))).join("\n") : `_${empty}_`;
}
/** The plan itself as Markdown: what `plan.md` on the branch holds. */
function renderPlanMarkdown(doc, safe) {
    const { plan } = doc;
    const flagged = new Map(doc.grounding.map((g) => [g.path, g.problem]));
    const out = [];
    out.push(`## Summary`, "", safe(plan.summary), "");
    out.push(`## Steps`, "");
    plan.steps.forEach((step, i) => {
        const marker = `${i + 1}. `;
        const files = step.files.length ? ` (${step.files.map((f) => codeSpan(f)).join(", ")})` : "";
        // A paragraph of its own: in a Markdown file or job summary a single line break is a
        // space, and the title would run into the detail.
        const detail = step.detail.trim() ? `\n\n${safe(step.detail)}` : "";
        out.push(listItem(marker, `**${oneLine(safe(step.title))}**${files}${detail}`));
    });
    out.push("", `## Files`, "", "| File | Change | Why |", "| --- | --- | --- |");
    for (const file of plan.files) {
        const warning = flagged.has(file.path) ? ` ⚠️ ${cell(flagged.get(file.path) ?? "")}` : "";
        out.push(`| ${codeCell(file.path)}${warning} | ${CHANGE_ICON[file.change] ?? file.change} | ${cell(safe(file.reason))} |`);
    }
    if (plan.files.length === 0)
        out.push("| _none_ | | |");
    if (doc.grounding.length > 0) {
        out.push("", "## ⚠️ Paths not found in the repository", "", "The plan names these paths, which do not match the repository tree. Check them before approving:", "");
        for (const g of doc.grounding)
            out.push(`- ${codeSpan(g.path)}: ${g.problem}`);
    }
    out.push("", `## Risks`, "", list(plan.risks, safe, "none noted"));
    out.push("", `## Tests`, "", list(plan.tests, safe, "none noted"));
    out.push("", `## Open questions`, "", list(plan.openQuestions, safe, "none"));
    return out.join("\n");
}
/** Where the context came from: the ranked files, with scores and reasons, and what was left out. */
function renderContextTable(context) {
    const out = [
        `${context.files.length} ${context.files.length === 1 ? "file" : "files"} sent (about ${context.tokenEstimate} tokens) from ${context.totalFiles} in the repository.`,
        "",
        "| File | Score | Why |",
        "| --- | ---: | --- |",
    ];
    for (const file of context.files)
        out.push(`| ${codeCell(file.path)} | ${file.score.toFixed(2)} | ${cell(sanitizeForPost(file.reasons.join("; ")))} |`);
    // Kept out by rule (ignore file, secrets, too large) is not sent at all; what the worker
    // cut to fit its window may have been shown in part (its reason names the lines).
    const groups = [
        ["Kept from the model", context.omitted],
        ["Cut by the worker to fit the model's window", context.trimmedByWorker],
    ];
    for (const [heading, items] of groups) {
        if (items.length === 0)
            continue;
        out.push("", `${heading} (${items.length}):`, "");
        for (const item of items.slice(0, 50))
            out.push(`- ${codeSpan(item.path)}: ${sanitizeForPost(item.reason)}`);
        if (items.length > 50)
            out.push(`- … and ${items.length - 50} more`);
    }
    return out.join("\n");
}
function renderUsage(usage, timings) {
    const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
    return [
        "| Model | Prompt tokens | Output tokens | Model time | Context build | Queue + model |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        `| ${codeCell(usage.model)} | ${usage.promptTokens} | ${usage.evalTokens} | ${seconds(usage.totalMs)} | ${seconds(timings.contextMs)} | ${seconds(timings.queueAndModelMs)} |`,
    ].join("\n");
}
/** Hidden marker that lets a re-run find its pull request body sections. */
const PR_MARKER = "<!-- issue-agent:pull-request -->";
/** GitHub refuses a pull request body (or a comment) longer than this. */
const MAX_BODY_CHARS = 65_536;
/** Room a plan's pull request body leaves for the Changes section `/approve` adds. */
const CHANGES_ROOM = 12_000;
/** What each text of a plan too long for the body is cut to there. */
const SHORTENED_TEXT_CHARS = 300;
/** The paths a step lists when its plan is too long for the body. */
const SHORTENED_STEP_FILES = 5;
/**
 * The draft pull request's body. `Part of #N` links the issue without closing it on merge.
 * A plan too long for a body is shown shortened (every text cut, then, if still too long,
 * the plan cut at a line), with a note that `plan.md` on the branch holds it whole.
 */
function renderPullRequestBody(doc, safe, changes) {
    const room = MAX_BODY_CHARS - (changes === undefined ? CHANGES_ROOM : 0);
    const full = composeBody(doc, renderPlanMarkdown(doc, safe), changes);
    if (full.length <= room)
        return full;
    const note = `> ⚠️ This plan is longer than a pull request body may be, so it is shortened here. ${codeSpan((0,conventions/* planFilePaths */.CM)(doc.issueNumber).markdown)} on this branch holds it in full.`;
    const shortened = `${note}\n\n${renderPlanMarkdown({ ...doc, plan: shortenPlan(doc.plan) }, safe)}`;
    const body = composeBody(doc, shortened, changes);
    if (body.length <= room)
        return body;
    // Still too long: the plan is cut at a line, after which a line at the left margin ends
    // any list item (and any code in it) the cut fell in.
    const tail = `\n\n_The plan is cut here; ${codeSpan((0,conventions/* planFilePaths */.CM)(doc.issueNumber).markdown)} holds the rest._`;
    const keep = shortened.slice(0, Math.max(0, shortened.length - (body.length - room) - tail.length));
    return composeBody(doc, `${keep.slice(0, Math.max(0, keep.lastIndexOf("\n")))}${tail}`, changes);
}
/** Every text of the plan cut to a few hundred characters, each step's paths to a few. */
function shortenPlan(plan) {
    const cut = (text) => text.length <= SHORTENED_TEXT_CHARS ? text : `${text.slice(0, SHORTENED_TEXT_CHARS)}…`;
    return {
        ...plan,
        summary: cut(plan.summary),
        steps: plan.steps.map((step) => ({
            ...step,
            title: cut(step.title),
            detail: cut(step.detail),
            files: step.files.slice(0, SHORTENED_STEP_FILES),
        })),
        files: plan.files.map((file) => ({ ...file, reason: cut(file.reason) })),
        risks: plan.risks.map(cut),
        tests: plan.tests.map(cut),
        openQuestions: plan.openQuestions.map(cut),
    };
}
/**
 * The line under the pull request's first: what the maintainer does next. Before the plan
 * is applied, approve it; after, review the commit and merge (render-changes.ts swaps it).
 */
function nextStepBanner(hash, implemented) {
    const tail = `Plan hash: \`${hash.slice(0, 16)}\``;
    return implemented
        ? `> The plan below is implemented on this branch (see Changes). Review the commit, then mark this pull request ready for review and merge it. ${tail}`
        : `> Review the plan below. To have it implemented on this branch, comment \`/approve\` on the issue or here (notes on the following lines are passed on). ${tail}`;
}
/** A banner of either kind, with its plan hash. */
const NEXT_STEP_BANNER = /^> (?:Review the plan below\.|The plan below is implemented).*Plan hash: `([0-9a-f]+)`$/m;
function composeBody(doc, planMarkdown, changes) {
    return [
        PR_MARKER,
        `Implementation plan for #${doc.issueNumber} — part of #${doc.issueNumber} (merging this does not close the issue).`,
        "",
        nextStepBanner(doc.hash, changes !== undefined),
        "",
        planMarkdown,
        ...(changes ? ["", "## Changes", "", changes] : []),
        "",
        "<details><summary>Context the plan was made from</summary>",
        "",
        renderContextTable(doc.context),
        "",
        "</details>",
        "",
        "<details><summary>Model and timings</summary>",
        "",
        renderUsage(doc.usage, doc.timings),
        "",
        "</details>",
    ].join("\n");
}

;// CONCATENATED MODULE: ./.build/action/plan/render-changes.js


const START = "<!-- issue-agent:changes -->";
const END = "<!-- /issue-agent:changes -->";
/** The pull request's "Changes" section: files, diffstat, checks and their results. */
function renderChanges(report) {
    const syntaxByPath = new Map((report.syntax?.files ?? []).map((f) => [f.path, f]));
    const lines = [
        // Bare, so that GitHub links it to the commit (it links no SHA inside code).
        `Commit ${report.commitSha.slice(0, 12)} (${report.mode === "quickfix" ? "QuickFix" : "approved"} by ${sanitizeForPost(`@${report.actor}`)}, model ${codeSpan(report.model)}).`,
        "",
        "| File | Change | + | − | Syntax check |",
        "| --- | --- | ---: | ---: | --- |",
    ];
    let added = 0;
    let removed = 0;
    for (const change of report.written) {
        const stat = report.stats.get(change.path) ?? { added: 0, removed: 0 };
        added += stat.added;
        removed += stat.removed;
        const syntax = syntaxByPath.get(change.path);
        const verdict = !syntax
            ? "—"
            : syntax.status === "passed"
                ? `✅ ${syntax.language ?? ""}`.trim()
                : syntax.status === "skipped"
                    ? (syntax.note ?? "not checked")
                    : "❌";
        lines.push(`| ${codeCell(change.path)} | ${change.change} | ${stat.added} | ${stat.removed} | ${verdict} |`);
    }
    lines.push("", `${report.written.length} file(s), +${added} −${removed}.`);
    const partial = report.shownInPart ?? [];
    if (partial.length > 0) {
        lines.push("", "Not shown to the model whole (it did not fit the model's window):", "");
        for (const item of partial)
            lines.push(`- ${codeSpan(item.path)}: ${sanitizeForPost(item.reason)}`);
    }
    if (report.checkCommand.trim()) {
        const check = report.check;
        lines.push("", check
            ? `Check command ${codeSpan(report.checkCommand.trim())}: ${check.ok ? "passed" : "failed"} in ${(check.durationMs / 1000).toFixed(1)} s.`
            : `Check command ${codeSpan(report.checkCommand.trim())}: not run.`);
    }
    else {
        lines.push("", "No `check-command` configured: only the syntax check ran.");
    }
    return lines.join("\n");
}
/**
 * Puts `changes` into the body's Changes section, replacing an earlier one, within the
 * `maxChars` GitHub takes: a section that does not fit is cut at a line (its lines are
 * table rows and list items, each whole on its line), with a note that the commit holds
 * every file.
 */
function replaceChangesSection(body, changes, maxChars = Infinity) {
    const whole = placeChangesSection(body, changes);
    if (whole.length <= maxChars)
        return whole;
    const note = "\n\n_The list is cut here to fit the pull request body; the commit has every file._";
    const keep = changes.slice(0, Math.max(0, changes.length - (whole.length - maxChars) - note.length));
    return placeChangesSection(body, `${keep.slice(0, Math.max(0, keep.lastIndexOf("\n")))}${note}`);
}
function placeChangesSection(original, changes) {
    const section = `${START}\n## Changes\n\n${changes}\n${END}`;
    // Applied: the next step is no longer /approve but review and merge.
    const body = original.replace(NEXT_STEP_BANNER, (_, hash) => nextStepBanner(hash, true));
    const start = body.indexOf(START);
    const end = body.indexOf(END);
    if (start >= 0 && end > start)
        return `${body.slice(0, start)}${section}${body.slice(end + END.length)}`;
    return `${body.trimEnd()}\n\n${section}\n`;
}

;// CONCATENATED MODULE: ./.build/action/steps/commit-changes.js







/**
 * Commits checked edits to the plan's branch (one commit, its trailers naming the plan
 * and who asked) and puts the Changes section into the pull request. Returns the commit
 * and the section.
 */
async function commitChanges(ctx, target, checked, by) {
    const { result, edits } = checked;
    const stats = await diffStat(target.checkoutDir);
    const files = result.written
        .filter((c) => c.after !== undefined)
        .map((c) => {
        const mode = fileMode((0,external_node_path_.join)(target.checkoutDir, c.path));
        return { path: c.path, content: c.after ?? "", ...(mode ? { mode } : {}) };
    });
    const deletions = result.written.filter((c) => c.after === undefined).map((c) => c.path);
    const commit = await commitToBranch(ctx.client, {
        ...ctx.repo(),
        branch: target.branch,
        baseSha: target.baseSha,
        // The edits were made against this head: if another run moved the branch meanwhile
        // (a second /approve racing this one), commit nothing rather than a second time.
        expectedHead: target.branchHead,
        files,
        deletions,
        message: `${commitSubject(edits.summary) || `Implement the plan for #${target.issue.number}`}\n\nImplements the approved plan for #${target.issue.number}.`,
        trailers: [
            [conventions/* Trailer */.eY.issue, `#${target.issue.number}`],
            [conventions/* Trailer */.eY.appliedPlanHash, target.hash],
            [by.mode === "quickfix" ? conventions/* Trailer */.eY.quickFixBy : conventions/* Trailer */.eY.approvedBy, by.actor],
        ],
    });
    const headSha = commit.commitSha ?? commit.headSha;
    ctx.log(`committed ${result.written.length} file(s) to ${target.branch}: ${headSha.slice(0, 12)}`);
    const changes = renderChanges({
        written: result.written,
        stats,
        syntax: result.syntax,
        check: result.check,
        checkCommand: ctx.settings.checkCommand,
        commitSha: headSha,
        model: checked.model,
        shownInPart: checked.shownInPart,
        mode: by.mode,
        actor: by.actor,
    });
    const { data: pr } = await ctx.client.rest.pulls.get({
        ...ctx.repo(),
        pull_number: target.pullRequest.number,
    });
    const body = replaceChangesSection(pr.body ?? "", changes, MAX_BODY_CHARS);
    if (body !== pr.body)
        await ctx.client.rest.pulls.update({ ...ctx.repo(), pull_number: pr.number, body });
    return { headSha, changes };
}
/**
 * The Git mode of a file as the checkout has it: an edited script stays executable. The
 * branch would keep the parent's mode anyway, but a repository too large for one tree
 * listing cannot show it; the working tree always can.
 */
function fileMode(path) {
    const mode = (0,external_node_fs_.statSync)(path, { throwIfNoEntry: false })?.mode;
    if (mode === undefined)
        return undefined;
    return (mode & 0o100) !== 0 ? "100755" : "100644";
}

;// CONCATENATED MODULE: ./.build/action/github/labels.js
/**
 * Labels as a visible state machine: the repository's labels are created when missing,
 * and an issue carries exactly one of the state labels at a time.
 */

/**
 * Creates each label in `labels` that the repository lacks (names compare
 * case-insensitively, as on GitHub). A label created concurrently is fine. Returns the
 * names this call created.
 */
async function ensureLabels(client, target, labels) {
    const existing = await client.paginate(client.rest.issues.listLabelsForRepo, {
        owner: target.owner,
        repo: target.repo,
        per_page: 100,
    });
    const names = new Set(existing.map((l) => l.name.toLowerCase()));
    const created = [];
    for (const label of labels) {
        if (names.has(label.name.toLowerCase()))
            continue;
        try {
            await client.rest.issues.createLabel({
                owner: target.owner,
                repo: target.repo,
                name: label.name,
                color: label.color.replace(/^#/, ""),
                description: label.description,
            });
            created.push(label.name);
        }
        catch (error) {
            if (!isGitHubError(error, 422, GitHubErrorText.alreadyExists))
                throw error;
        }
        names.add(label.name.toLowerCase());
    }
    return created;
}
/**
 * Puts `state` on the issue and takes every other label of `states` off it; labels
 * outside `states` are left alone. Passing `state: null` only removes. Returns the
 * issue's label names afterwards.
 */
async function setStateLabel(client, target, state, states) {
    const base = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
    let current;
    if (state === null) {
        const { data } = await client.rest.issues.listLabelsOnIssue({ ...base, per_page: 100 });
        current = data.map((l) => l.name);
    }
    else {
        const { data } = await client.rest.issues.addLabels({ ...base, labels: [state] });
        current = data.map((l) => l.name);
    }
    const keep = state?.toLowerCase();
    const stale = new Set(states.map((s) => s.toLowerCase()).filter((s) => s !== keep));
    for (const name of current) {
        if (!stale.has(name.toLowerCase()))
            continue;
        try {
            await client.rest.issues.removeLabel({ ...base, name });
        }
        catch (error) {
            // Already gone (someone else removed it): that is the state we wanted.
            if (errorStatus(error) !== 404)
                throw error;
        }
    }
    return current.filter((name) => !stale.has(name.toLowerCase()));
}

;// CONCATENATED MODULE: ./.build/action/steps/state-label.js


/** Sets the issue's state label (creating the labels when missing) and removes the others. */
async function moveStateLabel(ctx, state) {
    const labels = (0,conventions/* stateLabels */.dE)(ctx.settings);
    await ensureLabels(ctx.client, ctx.repo(), labels);
    await setStateLabel(ctx.client, ctx.issue(), (0,conventions/* stateLabelName */.F5)(ctx.settings, state), labels.map((l) => l.name));
}

;// CONCATENATED MODULE: ./.build/action/steps/report-failure.js




/**
 * Where a run starts: at `stage`, with the plan the tracking comment has on record. Every
 * state the run writes keeps that hash until the run publishes a plan of its own, so a
 * run that fails or is cancelled never erases what a later `/approve` binds to.
 */
async function startingPosition(ctx, stage) {
    const recorded = await findTrackingComment(ctx.client, ctx.trackingTarget()).catch(() => null);
    return { stage, planHash: recorded?.record?.planHash ?? undefined };
}
/**
 * Runs a pipeline's work; whatever it throws is shown in the tracking comment with
 * advice for the stage it failed in, the issue is labelled as failed, and the failure is
 * rethrown for the job's own status. A cancelled run is reported as cancelled instead,
 * whatever the cancellation made fail on its way out.
 */
async function reportingFailures(ctx, tracking, position, work) {
    try {
        return await work();
    }
    catch (error) {
        if (ctx.env.cancellation.requested) {
            const cancelled = error instanceof RunCancelledError ? error : ctx.cancelSignal.reason;
            throw await reportCancellation(ctx, tracking, cancelled, position, error);
        }
        const failure = toFailure(error, ctx.settings.timeoutMinutes, position.stage);
        await reportFailure(ctx, tracking, failure, position.stage, position.planHash, position.pullRequestUrl);
        throw failure;
    }
}
/** Shows a failure in the tracking comment and labels the issue as failed. */
async function reportFailure(ctx, tracking, failure, stage, planHash, pullRequestUrl) {
    ctx.log(`failed: ${failure.reason}`);
    if (!failure.comment)
        return;
    await tracking
        .update({
        stage,
        runUrl: ctx.env.runUrl,
        phase: {
            kind: "failed",
            reason: failure.reason,
            retry: failure.retry,
            ...(pullRequestUrl ? { pullRequestUrl } : {}),
        },
        ...(planHash ? { planHash } : {}),
    })
        .catch((e) => ctx.log(`could not update the tracking comment: ${String(e)}`));
    await tracking.flush().catch(() => undefined);
    if (failure.relabel)
        await moveStateLabel(ctx, "failed").catch((e) => ctx.log(`could not set the failure label: ${String(e)}`));
}
/**
 * Shows a cancelled run in the tracking comment: what it left (nothing, or the pull
 * request it had already opened) and how to run it again. The issue gets the failure
 * label, as for any run that did not finish. Every write here is one GitHub call, well
 * inside the seconds the runner gives between its first signal and the kill.
 */
async function reportCancellation(ctx, tracking, cancelled, position, cause) {
    const work = position.stage === "plan" ? "the plan was" : "the code changes were";
    const left = cancelled.pullRequestUrl !== undefined
        ? `The pull request ${cancelled.pullRequestUrl} was already open with the plan; it is left as it is.`
        : position.stage === "plan"
            ? "It was stopped before the plan was published: this run left no branch or pull request behind."
            : "It was stopped before anything was committed: the branch and the plan are as they were.";
    const detail = `The workflow run was cancelled (${cancelled.signalName}) while ${work} being made. ${left}`;
    const rerun = rerunAdvice(position.stage, ctx.settings.triggerLabel);
    ctx.log(`cancelled: ${detail}`);
    const planHash = cancelled.planHash ?? position.planHash;
    await tracking
        .update({
        stage: position.stage,
        runUrl: ctx.env.runUrl,
        phase: { kind: "cancelled", detail, rerun },
        ...(planHash ? { planHash } : {}),
    })
        .catch((e) => ctx.log(`could not update the tracking comment: ${String(e)}`));
    await tracking.flush().catch(() => undefined);
    await moveStateLabel(ctx, "failed").catch((e) => ctx.log(`could not set the failure label: ${String(e)}`));
    return new ActionFailure(`The workflow run was cancelled (${cancelled.signalName}). ${left}`, `To run it again, ${rerun}`, { cause });
}

;// CONCATENATED MODULE: ./.build/action/steps/tracking.js

/** The run's handle on the issue's one tracking comment. */
function openTrackingComment(ctx) {
    return new TrackingComment(ctx.client, ctx.trackingTarget(), {
        minIntervalMs: ctx.env.trackingIntervalMs ?? 5000,
        onError: (e) => ctx.log(`tracking comment update failed: ${String(e)}`),
    });
}

;// CONCATENATED MODULE: ./.build/action/pipelines/code.js
/**
 * The code pipeline: an approved plan → edits from the worker → applied and checked →
 * one commit on the plan's branch. Entered by `/approve` (runApprovePipeline) and by
 * QuickFix after the plan pipeline (quickfix.ts). Who may ask was settled by the gate.
 */












/** The plan was applied by `commit` (an earlier run, or one racing this one): nothing to do. */
async function alreadyApplied(ctx, tracking, target, commit) {
    const detail = `This plan was already applied in commit \`${commit.slice(0, 12)}\`; nothing new was committed.`;
    ctx.log(`plan ${target.hash.slice(0, 12)} was already applied in ${commit.slice(0, 12)}; nothing to do`);
    await tracking.update({
        stage: "code",
        runUrl: ctx.env.runUrl,
        planHash: target.hash,
        phase: { kind: "done", pullRequestUrl: target.pullRequest.url, detail },
    });
    await tracking.flush();
    return { target, commentUrl: tracking.url, changes: detail };
}
/** `/approve`: the plan on record, checked against what the bot wrote, applied. */
async function runApprovePipeline(ctx, by) {
    const tracking = openTrackingComment(ctx);
    const position = await startingPosition(ctx, "code");
    return reportingFailures(ctx, tracking, position, async () => {
        const target = await planForApproval(ctx);
        position.planHash = target.hash;
        position.pullRequestUrl = target.pullRequest.url;
        return applyPlan(ctx, tracking, target, by);
    });
}
/** The code pipeline's steps for `target`, reporting into `tracking`. */
async function applyPlan(ctx, tracking, target, by) {
    const view = { stage: "code", runUrl: ctx.env.runUrl, planHash: target.hash };
    const existing = await findApplyingCommit(ctx, target);
    if (existing)
        return alreadyApplied(ctx, tracking, target, existing);
    // The code request ranks the repository for its context: the scan's threads load
    // while the next steps wait on GitHub and the worker.
    (0,scan_pool/* warmScanWorkers */.eg)();
    // A check that could never run fails now, before the model's time is spent on edits.
    if (ctx.settings.checkCommand.trim() !== "")
        await ensureCheckCanRun({ unisolated: ctx.settings.checkCommandUnisolated });
    await tracking.update({ ...view, phase: { kind: "queued" } });
    const session = await WorkerSession.open(ctx, tracking, "code", target.hash);
    let checked;
    try {
        const request = await ctx.group("Code request", () => buildCodeRequest(ctx, target));
        checked = await askWithRepair(ctx, session, request, target.checkoutDir);
    }
    finally {
        await session.close();
    }
    // Cancelled while the edits were being made: commit nothing. Once the commit is made,
    // the run finishes (a label and a comment), since the change is pushed either way.
    ctx.throwIfCancelled();
    let committed;
    try {
        committed = await ctx.group("Commit", () => commitChanges(ctx, target, checked, by));
    }
    catch (error) {
        if (!(error instanceof BranchMovedError))
            throw error;
        // Another run committed first. If it applied this very plan, that is the result.
        const winner = await findApplyingCommit(ctx, target);
        if (winner === undefined)
            throw new ActionFailure(`${target.branch} moved while the edits were being made (now at ${error.head?.slice(0, 12) ?? "nothing"}); nothing was committed.`, "Comment `/approve` on the issue to apply the plan to the branch as it is now.", { cause: error });
        return alreadyApplied(ctx, tracking, target, winner);
    }
    const { headSha, changes } = committed;
    // Files of a type the gate cannot parse passed unchecked: the comment says so.
    const unchecked = (checked.result.syntax?.files ?? []).filter((f) => f.status === "skipped" && f.note !== "deleted").length;
    const syntax = `syntax check passed${unchecked > 0 ? ` (${unchecked} file(s) of a type it cannot parse were not checked)` : ""}`;
    await moveStateLabel(ctx, "applied");
    await tracking.update({
        ...view,
        phase: {
            kind: "done",
            pullRequestUrl: target.pullRequest.url,
            detail: `Commit ${headSha.slice(0, 12)} changes ${checked.result.written.length} file(s); ${syntax}${checked.result.check ? `, \`check-command\` passed` : ""}. The pull request stays open for review.`,
        },
    });
    await tracking.flush();
    return { target, commentUrl: tracking.url, changes };
}

;// CONCATENATED MODULE: ./.build/action/steps/plan-context.js

/** The ranked context for the plan request, logged file by file with the reasons. */
async function buildPlanContext(ctx, repoDir, issue) {
    const started = Date.now();
    const context = await ctx.group("Context", async () => {
        const built = await buildContext({
            repoDir,
            title: issue.title,
            body: issue.body,
            tokenBudget: ctx.settings.contextTokens,
            ignoreFile: ctx.settings.ignoreFile || undefined,
        });
        ctx.log(`${built.files.length} files in context (about ${built.tokenEstimate} tokens) out of ${built.tree.totalFiles}; ${built.omitted.length} left out`);
        for (const file of built.files)
            ctx.log(`  ${file.score.toFixed(2)}  ${file.path}  (${file.reasons.join("; ")})`);
        return built;
    });
    return { context, ms: Date.now() - started };
}

;// CONCATENATED MODULE: ./.build/action/plan/ground-plan.js
/**
 * Checks every path the plan names against the repository tree: a file to modify or
 * delete must exist; a file to create must not; a step may name only files that exist or
 * that the plan creates. Problems are reported, never hidden or silently fixed.
 */
function groundPlan(plan, tree) {
    const issues = [];
    const created = new Set();
    for (const file of plan.files) {
        const path = normalise(file.path);
        const exists = tree.has(path);
        if (file.change === "create") {
            created.add(path);
            if (exists)
                issues.push({ path, problem: "marked to create, but it already exists" });
        }
        else if (!exists) {
            issues.push({
                path,
                problem: `marked to ${file.change}, but no such file in the repository`,
            });
        }
    }
    const listed = new Set(plan.files.map((f) => normalise(f.path)));
    for (const step of plan.steps) {
        for (const raw of step.files) {
            const path = normalise(raw);
            if (!tree.has(path) && !created.has(path) && !listed.has(path)) {
                issues.push({
                    path,
                    problem: `named in step "${step.title}", but no such file and not marked new`,
                });
            }
        }
    }
    return dedupe(issues);
}
function normalise(path) {
    return path.trim().replace(/^\.\//, "").replace(/^\/+/, "");
}
function dedupe(issues) {
    const seen = new Set();
    return issues.filter((i) => {
        const key = `${i.path}\0${i.problem}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}

;// CONCATENATED MODULE: ./.build/action/steps/publish-plan.js








/**
 * Grounds the plan's paths against the tree, commits `plan.md` and `plan.json` to the
 * issue's branch, and opens or updates the draft pull request. A branch this run created
 * is removed again if its pull request cannot be opened or the run is cancelled before it
 * is: no branch without a PR.
 */
async function publishPlan(ctx, input) {
    const { issue, result, checkout, context } = input;
    const hash = planHash(result.plan);
    // Ground against every file that exists, including those kept out of the context.
    const files = await collectRepositoryFiles(checkout.dir, {
        ignoreFile: ctx.settings.ignoreFile || undefined,
    });
    const grounding = groundPlan(result.plan, new Set([...files.paths, ...files.excluded.map((e) => e.path)]));
    for (const problem of grounding)
        ctx.log(`plan path not in the repository: ${problem.path} (${problem.problem})`);
    const document = {
        issueNumber: issue.number,
        issueTitle: issue.title,
        plan: result.plan,
        hash,
        grounding,
        usage: result.usage,
        context: {
            files: context.files,
            omitted: context.omitted,
            trimmedByWorker: result.trimmed,
            totalFiles: context.tree.totalFiles,
            tokenEstimate: context.tokenEstimate,
        },
        timings: input.timings,
    };
    const markdown = renderPlanMarkdown(document, sanitizeForPost);
    const paths = (0,conventions/* planFilePaths */.CM)(issue.number);
    const branch = (0,conventions/* issueBranchName */.pp)(ctx.settings.branchPrefix, issue.number);
    // The issue text goes with the plan: an approval binds to what the plan was made from.
    const planJson = `${JSON.stringify({ issue: issue.number, planHash: hash, baseSha: checkout.sha, model: result.usage.model, issueText: { title: issue.title, body: issue.body }, plan: result.plan }, null, 2)}\n`;
    const commit = await commitToBranch(ctx.client, {
        ...ctx.repo(),
        branch,
        baseSha: checkout.sha,
        files: [
            {
                path: paths.markdown,
                content: `# Plan for #${issue.number}: ${sanitizeForPost(issue.title)}\n\n${markdown}\n`,
            },
            { path: paths.json, content: planJson },
        ],
        message: commitSubject(`Plan for #${issue.number}: ${issue.title}`),
        trailers: [
            [conventions/* Trailer */.eY.issue, `#${issue.number}`],
            [conventions/* Trailer */.eY.planHash, hash],
        ],
    });
    ctx.log(commit.commitSha
        ? `committed the plan to ${branch} (${commit.commitSha.slice(0, 12)})`
        : `${branch} already holds this plan`);
    // A branch without its pull request helps nobody: the one this run created goes again
    // if the pull request cannot be opened, or if the run was cancelled before opening it.
    const removeCreatedBranch = async () => {
        if (!commit.createdBranch)
            return;
        ctx.log(`removing ${branch}, which this run created, since no pull request was opened`);
        await ctx.client.rest.git
            .deleteRef({ ...ctx.repo(), ref: `heads/${branch}` })
            .catch(() => undefined);
    };
    // On a branch that was already there (a re-plan), the pull request is still brought in
    // line with the commit just made; the pipeline reports the cancellation right after.
    if (ctx.env.cancellation.requested && commit.createdBranch) {
        await removeCreatedBranch();
        ctx.throwIfCancelled();
    }
    let pullRequest;
    try {
        pullRequest = await upsertPullRequest(ctx.client, {
            ...ctx.repo(),
            head: branch,
            base: checkout.defaultBranch,
            // The title is the default squash-merge subject: closing keywords in it would close issues.
            title: commitSubject(`Plan for #${issue.number}: ${issue.title}`, 256),
            body: renderPullRequestBody(document, sanitizeForPost),
            draft: true,
        });
    }
    catch (error) {
        await removeCreatedBranch();
        throw error;
    }
    ctx.log(`${pullRequest.created ? "opened" : "updated"} ${pullRequest.draft ? "draft " : ""}pull request #${pullRequest.number}: ${pullRequest.url}${pullRequest.created && !pullRequest.draft ? " (not a draft: this repository's plan does not allow draft pull requests)" : ""}`);
    return {
        branch,
        pullRequest: { number: pullRequest.number, url: pullRequest.url },
        document,
        markdown,
    };
}

;// CONCATENATED MODULE: ./.build/action/pipelines/plan.js










/** Plan mode: the plan, published and awaiting `/approve`; failures shown on the issue. */
async function runPlanPipeline(ctx) {
    const tracking = openTrackingComment(ctx);
    const position = await startingPosition(ctx, "plan");
    return reportingFailures(ctx, tracking, position, () => makePlan(ctx, tracking, position, { awaitApproval: true }));
}
/**
 * The plan pipeline's steps, reporting into `tracking`: the plan ends up on its branch
 * and in its pull request. With `awaitApproval` (plan mode) the issue is labelled pending
 * and the comment offers `/approve`; QuickFix goes on to the code pipeline instead, which
 * sets the final state.
 */
async function makePlan(ctx, tracking, position, options) {
    // The scan's threads load while the issue is read and the repository fetched.
    (0,scan_pool/* warmScanWorkers */.eg)();
    const issue = await readIssue(ctx);
    ctx.throwIfCancelled();
    // Until this run publishes its plan, the plan on record (a re-plan's previous one, still
    // on its branch) stays approvable, whatever happens to this run.
    const recorded = position.planHash ? { planHash: position.planHash } : {};
    await tracking.update({
        stage: "plan",
        runUrl: ctx.env.runUrl,
        phase: { kind: "queued" },
        ...recorded,
    });
    const checkout = await checkoutDefaultBranch(ctx);
    const { context, ms: contextMs } = await buildPlanContext(ctx, checkout.dir, issue);
    const request = planRequest({
        repo: {
            owner: ctx.owner,
            name: ctx.repoName,
            defaultBranch: checkout.defaultBranch,
            sha: checkout.sha,
        },
        issue,
        context: {
            tree: context.tree,
            files: context.files,
            omitted: context.omitted,
            tokenEstimate: context.tokenEstimate,
        },
        model: ctx.settings.model,
        guidance: ctx.env.guidance,
        timeoutMinutes: ctx.settings.timeoutMinutes,
        idempotencyKey: `${ctx.owner}/${ctx.repoName}#${issue.number}@${checkout.sha}`,
    });
    const requestStarted = Date.now();
    const result = await ctx.group("Plan request", async () => {
        const session = await WorkerSession.open(ctx, tracking, "plan", position.planHash);
        try {
            return await session.ask(request);
        }
        finally {
            await session.close();
        }
    });
    const queueAndModelMs = Date.now() - requestStarted;
    // Cancelled as the answer came in: publish nothing.
    ctx.throwIfCancelled();
    const publishStarted = performance.now();
    const published = await ctx.group("Publish", () => publishPlan(ctx, {
        issue,
        result,
        checkout,
        context,
        timings: { contextMs, queueAndModelMs },
    }));
    // From here the plan on record is this one: a failure now (a label GitHub refused)
    // leaves it approvable in its open pull request.
    position.planHash = published.document.hash;
    // Cancelled while the pull request was being opened: it stays, and the comment says so.
    ctx.throwIfCancelled({
        pullRequestUrl: published.pullRequest.url,
        planHash: published.document.hash,
    });
    if (options.awaitApproval) {
        await moveStateLabel(ctx, "pending");
        await tracking.update({
            stage: "plan",
            runUrl: ctx.env.runUrl,
            phase: { kind: "done", pullRequestUrl: published.pullRequest.url },
            planHash: published.document.hash,
            approveCommand: "/approve",
        });
        await tracking.flush();
    }
    ctx.log(`published the plan in ${Math.round(performance.now() - publishStarted)} ms`);
    return { ...published, issue, checkout, commentUrl: tracking.url };
}

;// CONCATENATED MODULE: ./.build/action/pipelines/quickfix.js
/**
 * QuickFix: the plan pipeline without the approval step, then the code pipeline on the
 * plan it just published, in one run and one tracking comment.
 */





async function runQuickFixPipeline(ctx, actor) {
    const tracking = openTrackingComment(ctx);
    const position = await startingPosition(ctx, "plan");
    return reportingFailures(ctx, tracking, position, async () => {
        const planned = await makePlan(ctx, tracking, position, { awaitApproval: false });
        position.stage = "code";
        const branchHead = await checkoutRemoteBranch(planned.checkout.dir, planned.branch, ctx.settings.githubToken);
        return applyPlan(ctx, tracking, {
            plan: planned.document.plan,
            hash: planned.document.hash,
            branch: planned.branch,
            baseSha: "",
            pullRequest: planned.pullRequest,
            checkoutDir: planned.checkout.dir,
            branchHead,
            issue: planned.issue,
            defaultBranch: planned.checkout.defaultBranch,
        }, { mode: "quickfix", actor });
    });
}

;// CONCATENATED MODULE: ./.build/action/run-context.js
/**
 * What every step of a run needs: the client, the settings, which repository and issue,
 * and where to log. Its helpers build the common arguments, so `{ owner, repo }` is
 * never spelled out by hand.
 */
class RunContext {
    client;
    settings;
    owner;
    repoName;
    issueNumber;
    env;
    constructor(client, settings, owner, repoName, issueNumber, env) {
        this.client = client;
        this.settings = settings;
        this.owner = owner;
        this.repoName = repoName;
        this.issueNumber = issueNumber;
        this.env = env;
    }
    /** `{ owner, repo }` for GitHub calls. */
    repo() {
        return { owner: this.owner, repo: this.repoName };
    }
    /** `{ owner, repo, issueNumber }` for the issue-scoped helpers in github/. */
    issue() {
        return { owner: this.owner, repo: this.repoName, issueNumber: this.issueNumber };
    }
    /** The issue's tracking comment: where it lives and who alone may have written it. */
    trackingTarget() {
        return { ...this.issue(), authorLogin: this.settings.botLogin };
    }
    /** Aborted when the workflow run is cancelled: long waits listen to it. */
    get cancelSignal() {
        return this.env.cancellation.signal;
    }
    /**
     * Stops the run here if it was cancelled. Called between steps, never inside a GitHub
     * write, so a cancelled run leaves each thing it touched either done or not started.
     */
    throwIfCancelled(published) {
        this.env.cancellation.throwIfCancelled(published);
    }
    log(message) {
        this.env.log(message);
    }
    group(name, body) {
        return this.env.group(name, body);
    }
}

;// CONCATENATED MODULE: ./.build/action/summary.js



/** Sets every output in one place and echoes them as `key = value`. */
function setOutputs(outputs) {
    const values = {
        status: outputs.status,
        "pr-number": outputs.prNumber !== undefined ? String(outputs.prNumber) : "",
        "pr-url": outputs.prUrl ?? "",
        branch: outputs.branch ?? "",
        "comment-url": outputs.commentUrl ?? "",
        "plan-hash": outputs.planHash ?? "",
    };
    for (const [key, value] of Object.entries(values)) {
        core/* setOutput */.uH(key, value);
        core/* info */.pq(`${key} = ${value}`);
    }
}
/**
 * Appends the run's job summary. GitHub renders job summaries as CommonMark, where
 * Markdown written directly under an HTML line (`<h2>` as `core.summary.addHeading`
 * writes it) stays raw text: summaries are therefore Markdown only, built by the
 * functions below.
 */
async function writeSummary(markdown) {
    await core/* summary */.z.addRaw(`${markdown.trimEnd()}\n`).write();
}
/** A plan run: the plan, where it came from, and the figures. */
function planSummary(outcome) {
    const doc = outcome.document;
    return [
        `## Plan for #${doc.issueNumber}`,
        "",
        `Draft pull request: [#${outcome.pullRequest.number}](${outcome.pullRequest.url}) on \`${outcome.branch}\` — plan hash \`${doc.hash.slice(0, 16)}\``,
        "",
        outcome.markdown,
        "",
        "### Context",
        "",
        renderContextTable(doc.context),
        "",
        "### Model and timings",
        "",
        renderUsage(doc.usage, doc.timings),
    ].join("\n");
}
/** An `/approve` or QuickFix run that committed the plan's changes, or found them committed. */
function codeSummary(outcome) {
    const { target } = outcome;
    return [
        `## Changes for #${target.issue.number}`,
        "",
        `Pull request: [#${target.pullRequest.number}](${target.pullRequest.url}) on \`${target.branch}\` — plan hash \`${target.hash.slice(0, 16)}\``,
        "",
        outcome.changes,
    ].join("\n");
}
/** A run that did not act: why. */
function skippedSummary(reason) {
    return `## issue-agent: nothing to do\n\nSkipped: ${reason}.`;
}
/** A command refused to its author (for example `/approve` without write access). */
function refusedSummary(reason) {
    return `## issue-agent: command refused\n\n${reason}`;
}
/** A failed run: what went wrong and how to retry. */
function failureSummary(reason, retry) {
    // The reason quotes model output and file text: sanitised as it is placed, like the comment's.
    return `## issue-agent failed\n\n${sanitizeForPost(`**Reason:** ${reason}`)}\n\n${sanitizeForPost(`**To retry:** ${retry}`)}`;
}

;// CONCATENATED MODULE: ./.build/action/run.js















/**
 * The Action: parse inputs, admit the event, run its pipeline, report. The single place
 * where failures become `core.setFailed`, and where outputs and the job summary are set.
 */
async function run() {
    // From the first line: a run cancelled early must still stop cleanly, not be killed.
    const cancellation = new Cancellation();
    const stopListening = cancelOnSignals(cancellation, process, {
        first: (message) => core/* warning */.$e(message),
        again: (message) => core/* info */.pq(message),
    });
    try {
        const settings = readSettings((name) => core/* getInput */.V4(name));
        maskSecrets(settings);
        if (!settings.signingKey)
            core/* warning */.$e("allow-unsigned is true: requests and replies are not signed, so anyone who can publish to the broker can forge the plans and code this run will act on.");
        const { /* context */ "_": context } = github;
        const { owner, repo } = context.repo;
        const client = createGitHubClient({
            token: settings.githubToken,
            baseUrl: context.apiUrl,
            log: { warn: (m) => core/* warning */.$e(m) },
            ...apiPacing(),
        });
        const admission = await admit(context.eventName, context.payload, settings, {
            client,
            owner,
            repo,
        });
        switch (admission.kind) {
            case "skip":
                core/* info */.pq(inertLogText(`Skipping: ${admission.reason}.`));
                await writeSummary(skippedSummary(admission.reason));
                setOutputs({ status: "skipped" });
                return;
            case "refuse": {
                // Answered where it was asked; the plan, its comment and its labels stay as they are.
                const reason = sanitizeForPost(admission.reason);
                core/* info */.pq(inertLogText(`refused: ${admission.reason}`));
                await client.rest.issues.createComment({
                    owner,
                    repo,
                    issue_number: admission.thread,
                    body: reason,
                });
                await writeSummary(refusedSummary(reason));
                setOutputs({ status: "refused" });
                return;
            }
            case "run":
                break;
        }
        core/* info */.pq(inertLogText(`${admission.mode} for #${admission.issueNumber}, requested by ${admission.actor}`));
        // Cancelled before anything was started on the issue: nothing to report there.
        cancellation.throwIfCancelled();
        const ctx = new RunContext(client, settings, owner, repo, admission.issueNumber, {
            guidance: admission.guidance,
            workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
            serverUrl: context.serverUrl,
            runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
            log: (message) => core/* info */.pq(inertLogText(message)),
            group: (name, body) => core/* group */.Os(name, body),
            cancellation,
        });
        switch (admission.mode) {
            case "plan": {
                const outcome = await runPlanPipeline(ctx);
                await writeSummary(planSummary(outcome));
                setOutputs({
                    status: "planned",
                    prNumber: outcome.pullRequest.number,
                    prUrl: outcome.pullRequest.url,
                    branch: outcome.branch,
                    commentUrl: outcome.commentUrl,
                    planHash: outcome.document.hash,
                });
                return;
            }
            case "approve":
            case "quickfix": {
                const outcome = admission.mode === "quickfix"
                    ? await runQuickFixPipeline(ctx, admission.actor)
                    : await runApprovePipeline(ctx, { mode: "approve", actor: admission.actor });
                await writeSummary(codeSummary(outcome));
                setOutputs({
                    status: "applied",
                    prNumber: outcome.target.pullRequest.number,
                    prUrl: outcome.target.pullRequest.url,
                    branch: outcome.target.branch,
                    commentUrl: outcome.commentUrl,
                    planHash: outcome.target.hash,
                });
                return;
            }
        }
    }
    catch (error) {
        const message = describeFailure(error);
        // Every failed run leaves a summary, also one that stopped before any stage (a bad
        // input, GitHub refusing the first call): the run page is where people look first.
        const summary = error instanceof ActionFailure
            ? failureSummary(error.reason, error.retry)
            : failureSummary(message, EARLY_FAILURE_RETRY);
        await writeSummary(summary).catch(() => undefined);
        setOutputs({ status: cancellation.requested ? "cancelled" : "failed" });
        core/* setFailed */.C1(message);
    }
    finally {
        stopListening();
    }
}
/**
 * GitHub asks integrations to space their writes (1 s; 3 s for writes that notify). The
 * end-to-end tests and benchmarks run against an emulator and shorten the spacing with
 * ISSUE_AGENT_API_SPACING_MS; a workflow never needs it.
 */
function apiPacing() {
    const raw = process.env.ISSUE_AGENT_API_SPACING_MS;
    if (raw === undefined || !/^\d+$/.test(raw))
        return {};
    return { writeSpacingMs: Number(raw), retryUnitMs: Math.max(1, Number(raw)) };
}
function maskSecrets(settings) {
    core/* setSecret */.Pq(settings.githubToken);
    core/* setSecret */.Pq(Buffer.from(`x-access-token:${settings.githubToken}`).toString("base64"));
    if (settings.signingKey)
        core/* setSecret */.Pq(settings.signingKey);
    for (const url of splitBrokerUrls(settings.amqpUrl)) {
        try {
            const password = decodeURIComponent(new URL(url).password);
            if (password)
                core/* setSecret */.Pq(password);
        }
        catch {
            // An unparseable URL is reported by the transport with its host only.
        }
    }
}
/** One readable line for any thrown value, Error or not. */
/** What to do about a failure that came before any stage (inputs, the first API calls). */
const EARLY_FAILURE_RETRY = "Correct what the reason names (the workflow's inputs, the token's permissions or the repository's settings), then re-run the workflow.";
function describeFailure(error) {
    if (error instanceof ActionFailure)
        return `${error.reason} ${error.retry}`;
    if (errorStatus(error) !== undefined)
        return describeGitHubError(error);
    if (error instanceof Error)
        return error.message;
    return `unexpected failure: ${String(error)}`;
}


/***/ })

};
