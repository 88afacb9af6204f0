export const id = 420;
export const ids = [420];
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

/***/ 3420:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runApplyCommand: () => (/* binding */ runApplyCommand)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
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

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
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
        bytes = await (0,promises_.readFile)(file);
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

// EXTERNAL MODULE: ./.build/action/edits/path-policy.js
var path_policy = __webpack_require__(803);
;// CONCATENATED MODULE: ./.build/action/edits/apply-edits.js





/** The scope of a plan's file list. */
function planScope(files) {
    const scope = new Map();
    for (const file of files) {
        const normal = (0,path_policy/* normalizeRepoPath */.NP)(file.path);
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
    const policy = options.policy ?? path_policy/* DEFAULT_POLICY */.zj;
    const check = options.checkPath ?? ((raw) => Promise.resolve((0,path_policy/* checkPath */.Cg)(raw, policy)));
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
                await (0,promises_.rm)(target, { force: true });
        }
        else if (change.after !== change.before) {
            await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
            await (0,promises_.writeFile)(target, change.after, "utf8");
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

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./.build/action/context/file-filters.js
var file_filters = __webpack_require__(7485);
// EXTERNAL MODULE: ./.build/action/context/redact-secrets.js + 3 modules
var redact_secrets = __webpack_require__(7262);
// EXTERNAL MODULE: ./.build/action/failure.js + 1 modules
var failure = __webpack_require__(4383);
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
        for (const entry of await (0,promises_.readdir)(dir, { withFileTypes: true })) {
            const path = (0,external_node_path_.join)(dir, entry.name);
            const rel = (0,external_node_path_.relative)(dest, path).split(external_node_path_.sep).join("/");
            if (entry.name === ".git") {
                await (0,promises_.rm)(path, { recursive: true, force: true });
            }
            else if (entry.isDirectory()) {
                await prune(path);
            }
            else if ((0,file_filters/* exclusionReason */.VL)(rel) === "secret" && !tracked?.has(rel)) {
                await (0,promises_.rm)(path, { force: true });
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
    const base = await (0,promises_.mkdtemp)((0,external_node_path_.join)(parent, `${SANDBOX_USER}-`));
    const tree = (0,external_node_path_.join)(base, "tree");
    const home = (0,external_node_path_.join)(base, "home");
    const tmp = (0,external_node_path_.join)(base, "tmp");
    const owned = [tree, home, tmp];
    let chowned = false;
    const cleanup = async () => {
        if (chowned) {
            await asRoot(capability.privileged, ["rm", "-rf", "--one-file-system", "--", ...owned]);
        }
        await (0,promises_.rm)(base, { recursive: true, force: true }).catch(() => undefined);
        await (0,promises_.rmdir)(base).catch(() => undefined);
    };
    try {
        await (0,promises_.chmod)(base, 0o711);
        await (0,promises_.mkdir)(tree);
        await Promise.all([(0,promises_.mkdir)(home), (0,promises_.mkdir)(tmp)]);
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
    const base = await (0,promises_.mkdtemp)((0,external_node_path_.join)(parent, `${SANDBOX_USER}-`));
    const dir = (0,external_node_path_.join)(base, "tree");
    const home = (0,external_node_path_.join)(base, "home");
    const tmp = (0,external_node_path_.join)(base, "tmp");
    await Promise.all([(0,promises_.mkdir)(dir), (0,promises_.mkdir)(home), (0,promises_.mkdir)(tmp)]);
    const cleanup = () => (0,promises_.rm)(base, { recursive: true, force: true }).catch(() => undefined);
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
    throw new failure/* ActionFailure */.dR(`\`check-command\` was not run: this runner cannot run it isolated from the Action's credentials (${capability.reason}). It runs code the model wrote, which could otherwise read the GitHub token, the AMQP URL and the signing key, write GITHUB_ENV and push.`, "Run the job on a Linux runner where the Action is root or has passwordless sudo and mount and PID namespaces work (GitHub-hosted Ubuntu runners do), remove `check-command`, or set `check-command-unisolated: true` to run it without isolation (see docs/security.md).");
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
    return (0,redact_secrets/* redactSecrets */.fp)(text, { literals: secrets, encoded: secrets }).text;
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
        const text = await (0,promises_.readFile)((0,external_node_path_.join)(root, path), "utf8").catch(() => "");
        if (text.length > MAX_SECRET_FILE_CHARS)
            continue;
        for (const secret of (0,redact_secrets/* secretLinesIn */.J7)(text, path))
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

// EXTERNAL MODULE: ./.build/action/parsing/index.js + 5 modules
var parsing = __webpack_require__(2345);
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
    const declared = (0,parsing/* languageForPath */.f3)(path);
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
        original = before === undefined ? undefined : await (0,parsing/* parseSource */.PJ)(path, before);
        // Parse the new text with the grammar chosen for the old one (matters for `.h`).
        changed =
            original === undefined
                ? await (0,parsing/* parseSource */.PJ)(path, after)
                : await (0,parsing/* parseAs */.gf)(path, after, original.language);
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
    const policy = options.policy ?? path_policy/* DEFAULT_POLICY */.zj;
    const apply = await applyEdits(edits, treeReader(root), {
        policy,
        ...(options.scope ? { scope: options.scope } : {}),
        ...(options.shown ? { shown: options.shown } : {}),
        checkPath: (raw) => (0,path_policy/* checkPathInTree */.Pi)(root, raw, policy),
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
        await (0,promises_.chmod)((0,external_node_path_.join)(root, path), mode);
}
async function modesOf(root, changes) {
    const modes = new Map();
    for (const change of changes)
        modes.set(change.path, (await (0,promises_.stat)((0,external_node_path_.join)(root, change.path))).mode);
    return modes;
}
function reverse(change) {
    return { ...change, before: change.after, after: change.before };
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
        ...result.apply.changes.flatMap((c) => c.before === undefined ? [] : (0,redact_secrets/* secretLiteralsIn */.et)(c.before, c.path)),
    ];
    const redacted = (0,redact_secrets/* redactSecrets */.fp)(parts.join("\n"), { literals });
    const note = redacted.redacted
        ? `\n${redact_secrets/* REDACTED */.XF} stands for a secret that is never shown; search texts must not include lines that hold one.`
        : "";
    return clip(redacted.text + note, limit);
}
function clip(text, limit) {
    if (text.length <= limit)
        return text;
    const cut = text.lastIndexOf("\n", limit - 40);
    const kept = text.slice(0, cut > 0 ? cut : limit - 40);
    // Close an open code fence so the rest of a Markdown comment still renders.
    const fence = (kept.match(/^```/gm) ?? []).length % 2 === 1 ? "\n```" : "";
    return `${kept}${fence}\n[… ${text.length - kept.length} more characters]`;
}

// EXTERNAL MODULE: ./.build/action/plan/plan-hash.js
var plan_hash = __webpack_require__(2879);
// EXTERNAL MODULE: ./.build/action/settings.js
var settings = __webpack_require__(9168);
// EXTERNAL MODULE: ./.build/protocol/index.js + 10 modules
var protocol = __webpack_require__(9811);
// EXTERNAL MODULE: ./.build/action/context/changelog.js
var changelog = __webpack_require__(8371);
// EXTERNAL MODULE: ./.build/action/context/definitions.js
var definitions = __webpack_require__(6711);
// EXTERNAL MODULE: ./.build/action/context/file-regions.js + 2 modules
var file_regions = __webpack_require__(635);
// EXTERNAL MODULE: ./.build/action/context/import-header.js
var import_header = __webpack_require__(9148);
// EXTERNAL MODULE: ./.build/action/context/issue-signals.js
var issue_signals = __webpack_require__(322);
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
        issue: (0,issue_signals/* readIssueSignals */.F)(issue.title, issue.body),
        plan: (0,issue_signals/* readIssueSignals */.F)(plan.summary, planText),
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
    const matched = (await (0,file_regions/* fileRegions */.A)(path, text, excerptQuery)).map(({ startLine, endLine }) => ({
        startLine,
        endLine,
    }));
    // The file's imports right after its best region: a change that calls something new
    // adds an import there, and the model can only quote lines it was shown.
    const header = (0,import_header/* importHeader */.R)(text.split("\n"));
    const withImports = (0,import_header/* withImportHeader */.H)(matched, header && { startLine: header.startLine, endLine: header.endLine });
    // A changelog is changed where its entries are added, which no word of the issue names.
    const regions = [...((0,changelog/* isChangelogPath */.On)(path) ? (0,changelog/* entryRegions */.M7)(text) : []), ...withImports];
    return {
        regions: regions.slice(0, Math.min(MAX_FOCUS_REGIONS, protocol/* MAX_SOURCE_FOCUS */.Cs)),
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

// EXTERNAL MODULE: ./.build/action/context/build-context.js + 10 modules
var build_context = __webpack_require__(7102);
// EXTERNAL MODULE: ./.build/action/steps/work-request.js
var work_request = __webpack_require__(2148);
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
    const listing = await (0,build_context/* collectRepositoryFiles */.st)(checkoutDir, { ignoreFile });
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
        const content = (0,redact_secrets/* redactSecrets */.fp)(raw, { path: change.path }).text;
        const size = Buffer.byteLength(content);
        if (bytes + size > protocol/* MAX_CODE_FILES_BYTES */.$I) {
            omitted.push({
                path: change.path,
                reason: `with the files before it, over the ${protocol/* MAX_CODE_FILES_BYTES */.$I}-byte limit of a request`,
            });
            continue;
        }
        bytes += size;
        files.push({ path: change.path, content, ...(await fileFocus(change.path, content, query)) });
    }
    for (const item of omitted)
        input.log(`not sent: ${item.path} (${item.reason})`);
    const context = await (0,build_context/* buildContext */.gC)({
        repoDir: input.checkoutDir,
        title: input.issue.title,
        body: input.issue.body,
        tokenBudget: Math.max(1000, Math.floor(input.contextTokens / 2)),
        ...(input.ignoreFile === undefined ? {} : { ignoreFile: input.ignoreFile }),
    });
    return (0,work_request/* codeRequest */.jD)({
        repo: input.repo,
        issue: input.issue,
        context: {
            tree: context.tree,
            files: context.files,
            omitted: [...omitted, ...context.omitted],
            tokenEstimate: context.tokenEstimate + files.reduce((n, f) => n + (0,protocol/* estimateTokens */.bP)(f.content), 0),
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

// EXTERNAL MODULE: ./.build/action/steps/read-issue.js
var read_issue = __webpack_require__(6347);
;// CONCATENATED MODULE: ./.build/action/edits/repair-answer.js

function repairedEditSet(first, firstResult, repair) {
    const key = (path) => {
        const normal = (0,path_policy/* normalizeRepoPath */.NP)(path);
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

;// CONCATENATED MODULE: ./.build/cli/dirty-files.js
/**
 * Files a plan would change that hold work git could not give back. `apply` writes over
 * and deletes files in place, as `/approve` does on a fresh checkout; on a developer's
 * working tree that would lose their own edits, so those files are refused unless asked
 * otherwise.
 */


/**
 * The plan's paths (as the edits will name them) that differ from HEAD, are untracked,
 * are ignored (git keeps no copy of them), or whose changes git is told to hide
 * (assume-unchanged, skip-worktree); empty when `dir` is not a git checkout. Paths are
 * literal, never pathspec magic: a plan path such as `:!a.txt` is the model's, not ours.
 * Throws when git cannot answer inside a checkout, so that nothing is written unchecked.
 */
function dirtyFiles(dir, rawPaths) {
    const paths = [
        ...new Set(rawPaths.flatMap((raw) => {
            const normal = (0,path_policy/* normalizeRepoPath */.NP)(raw);
            return normal.ok ? [normal.path] : [];
        })),
    ];
    if (paths.length === 0 || !isGitCheckout(dir))
        return [];
    const git = (args) => {
        const run = (0,external_node_child_process_.spawnSync)("git", ["--literal-pathspecs", ...args, "--", ...paths], {
            cwd: dir,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        if (run.status !== 0)
            throw new Error(`git could not say whether the plan's files hold uncommitted work: ${(run.stderr ?? "").trim().slice(0, 300)}`);
        return run.stdout;
    };
    const dirty = new Set();
    // Entries are "XY path", NUL-separated; a rename or copy adds its source as one more.
    const status = git([
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--ignored=matching",
    ]).split("\0");
    for (let i = 0; i < status.length; i++) {
        const entry = status[i] ?? "";
        if (entry.length < 4)
            continue;
        dirty.add(entry.slice(3));
        if (entry[0] === "R" || entry[0] === "C")
            i++;
    }
    // "S": skip-worktree; a lowercase tag: assume-unchanged. git status hides both.
    for (const entry of git(["ls-files", "-v", "-z"]).split("\0")) {
        if (entry.length > 2 && (entry[0] === "S" || /^[a-z]/.test(entry)))
            dirty.add(entry.slice(2));
    }
    return [...dirty].sort();
}
/** Whether `dir` is inside a git work tree. */
function isGitCheckout(dir) {
    return ((0,external_node_child_process_.spawnSync)("git", ["rev-parse", "--is-inside-work-tree"], {
        cwd: dir,
        stdio: ["ignore", "pipe", "ignore"],
    }).status === 0);
}

// EXTERNAL MODULE: ./node_modules/diff/libesm/patch/create.js + 2 modules
var create = __webpack_require__(7291);
;// CONCATENATED MODULE: ./.build/cli/edit-diff.js
/**
 * What `apply` changed, as a unified diff made from each file's contents before and after
 * the edits: only the model's changes, whether or not the directory is a git checkout and
 * whatever else in it is uncommitted. (jsdiff makes the hunks: a Myers diff with context
 * is easy to get subtly wrong by hand.) Each file opens with git's extended header, so
 * that `git apply` also creates or deletes a file that is empty.
 */

function editDiff(changes) {
    return changes
        .map((change) => {
        const created = change.before === undefined;
        const deleted = change.after === undefined;
        const header = [
            `diff --git a/${change.path} b/${change.path}`,
            ...(created ? ["new file mode 100644"] : deleted ? ["deleted file mode 100644"] : []),
        ];
        const body = (0,create/* createTwoFilesPatch */.ss)(created ? "/dev/null" : `a/${change.path}`, deleted ? "/dev/null" : `b/${change.path}`, change.before ?? "", change.after ?? "", undefined, undefined, { context: 3, headerOptions: create/* FILE_HEADERS_ONLY */.jr });
        // An empty file created or deleted has no hunk: git's header alone says it.
        const hasHunk = body.includes("\n@@ ");
        return `${header.join("\n")}\n${hasHunk ? body : ""}`;
    })
        .join("");
}

// EXTERNAL MODULE: ./.build/cli/issue-input.js
var issue_input = __webpack_require__(1261);
// EXTERNAL MODULE: ./.build/cli/local-model.js + 24 modules
var local_model = __webpack_require__(1632);
// EXTERNAL MODULE: ./.build/cli/plan-command.js + 2 modules
var plan_command = __webpack_require__(290);
;// CONCATENATED MODULE: ./.build/cli/apply-command.js
/**
 * `issue-agent apply`: the Action's `/approve` step on a local checkout. Asks the model
 * for the edits of a plan, applies them to the working tree through the same checks as
 * `/approve` (path policy, plan scope, syntax gate, optional check command), with the
 * same one follow-up round when they fail, and prints the diff. Nothing is committed.
 */



















const HELP = `Usage: issue-agent apply --repo DIR --plan FILE [options]

Asks a model for the edits of a plan and applies them to the working tree of DIR through
the same checks as /approve (paths, the plan's scope, syntax, --check-command), with one
follow-up round when they fail. Prints the diff; commits nothing.

FILE is the plan.json the Action commits (.github/issue-agent/issue-N/plan.json), the
output of 'issue-agent plan --json', or a bare plan object.

Model (first that applies): --amqp-url URL, --model-file F, OLLAMA_HOST=URL (as for plan).

Options:
  --issue-file F | --title T [--body B | --body-file F]
                       the issue (default: the plan file's own issue text)
  --print-request      print the code request as JSON and stop (no model is called)
  --allow-dirty        change files of the plan that hold uncommitted work (refused
                       otherwise: the edits are written over them)
  --check-command CMD  run CMD after the edits apply, sandboxed where this machine allows
  --ignore-file F      paths never shown to the model nor edited (default .ai-agent-ignore)
  --protected P,...    paths the edits may not touch (default ${settings/* INPUT_DEFAULTS */.WJ["protected-paths"] ?? "none"})
  --model M, --num-ctx N, --num-predict N, --temperature T, --thinking MODE,
  --signing-key K, --request-queue Q, --timeout-minutes N   as for plan
`;
async function runApplyCommand(argv) {
    let values;
    try {
        ({ values } = parseOptions(argv));
    }
    catch (error) {
        process.stderr.write(`issue-agent apply: ${error.message}\n\n${HELP}`);
        return 2;
    }
    if (values.help) {
        process.stdout.write(HELP);
        return 0;
    }
    const fail = (message, code = 2) => {
        process.stderr.write(`issue-agent apply: ${message}\n`);
        return code;
    };
    const progress = (message) => process.stderr.write(`${message}\n`);
    if (!values.repo)
        return fail("--repo DIR is required");
    const repoDir = (0,external_node_path_.resolve)(values.repo);
    if (!(0,external_node_fs_.existsSync)(repoDir) || !(0,external_node_fs_.statSync)(repoDir).isDirectory())
        return fail(`--repo ${values.repo}: no such directory`);
    if (!values.plan)
        return fail("--plan FILE is required");
    const planFile = readPlanFile(values.plan);
    if (typeof planFile === "string")
        return fail(planFile);
    const timeoutMinutes = Number(values["timeout-minutes"]);
    if (!Number.isFinite(timeoutMinutes) || timeoutMinutes <= 0)
        return fail(`--timeout-minutes: expected a positive number, got '${values["timeout-minutes"]}'`);
    const given = values["issue-file"] || values.title || values.body || values["body-file"]
        ? (0,issue_input/* readIssueInput */.a)(values)
        : (planFile.issueText ?? { title: planFile.plan.summary.slice(0, 300), body: "" });
    if (typeof given === "string")
        return fail(given);
    const issue = (0,read_issue/* boundIssueText */.dK)({ number: 1, ...given, author: "local", labels: [] });
    const ignoreFile = values["ignore-file"] ?? planFile.ignoreFile;
    const chosen = (0,plan_command/* modelChoice */.Z)(values);
    const problem = !values["print-request"] && chosen && (0,local_model/* modelOptionsProblem */.z)(chosen);
    if (problem)
        return fail(problem);
    const request = await codeRequestFor({
        checkoutDir: repoDir,
        repo: {
            owner: "local",
            name: repoDir.split("/").pop() || "repo",
            defaultBranch: "HEAD",
            sha: (0,issue_input/* gitHead */.T)(repoDir),
        },
        issue,
        plan: planFile.plan,
        planHash: (0,plan_hash/* planHash */.S)(planFile.plan),
        contextTokens: settings/* AUTO_CONTEXT_TOKENS */.Zo,
        ignoreFile,
        model: values.model ?? "",
        guidance: undefined,
        timeoutMinutes,
        log: progress,
    });
    if (values["print-request"]) {
        process.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
        return 0;
    }
    const choice = (0,plan_command/* modelChoice */.Z)(values);
    if (choice === undefined)
        return fail("no model: give --model-file F, OLLAMA_HOST=URL or --amqp-url URL (or --print-request)");
    if (choice.kind === "broker" && !choice.signingKey)
        return fail("--amqp-url needs the workers' key: --signing-key K or SIGNING_KEY");
    // Asked before the model is, so that nobody waits for edits that cannot be applied.
    let dirty;
    try {
        dirty = dirtyFiles(repoDir, planFile.plan.files.map((file) => file.path));
    }
    catch (error) {
        return fail(error.message, 1);
    }
    if (dirty.length > 0 && !values["allow-dirty"])
        return fail(`uncommitted work in ${dirty.join(", ")}, which the plan changes (changed, untracked, ignored or hidden from git status: git holds no copy of it): commit or stash it first (the edits are written over it), or pass --allow-dirty`);
    if (!isGitCheckout(repoDir))
        progress(`note: ${values.repo} is not a git checkout, so git cannot undo the change; the diff printed is the way back`);
    const options = {
        policy: {
            protected: csv(values.protected ?? settings/* INPUT_DEFAULTS */.WJ["protected-paths"] ?? ""),
            allow: [],
        },
        scope: planScope(planFile.plan.files),
        shown: (await shownPaths(repoDir, ignoreFile)).shown,
        checkCommand: values["check-command"] ?? "",
        checkUnisolated: true,
        checkWarn: (_message, reason) => progress(`warning: --check-command runs without a sandbox here (${reason}): the model-written code it runs can read your files and environment; only its environment is cleaned`),
    };
    const first = await ask(request, choice, progress);
    if (typeof first === "string")
        return fail(first, 1);
    let result = await applyAndCheck(repoDir, first.edits.edits, options);
    if (!result.ok) {
        const report = failureReport(result);
        progress(`the edits failed at the ${result.failedAt ?? "apply"} step; asking once more:\n${report}`);
        const files = withQuotedCode(request.files, first.edits, result.apply.failures);
        const second = await ask((0,work_request/* repairRequest */.Jg)({ ...request, files }, first.edits, [report], timeoutMinutes), choice, progress);
        if (typeof second === "string")
            return fail(second, 1);
        const completed = repairedEditSet(first.edits, result, second.edits);
        if (completed.kept.length > 0)
            progress(`the repair answer left out ${completed.kept.join(", ")}; their first edits, which applied, are kept`);
        result = await applyAndCheck(repoDir, completed.edits.edits, options);
    }
    if (!result.ok) {
        return fail(`nothing was changed: the edits failed the ${result.failedAt ?? "apply"} step twice.\n${failureReport(result, 1500)}`, 1);
    }
    printDiff(result);
    return 0;
}
async function ask(request, choice, progress) {
    const reply = await (0,local_model/* askModel */.$)(request, choice, progress);
    if (reply.type === "error")
        return `the model run failed (${reply.code}): ${reply.message}`;
    if (reply.kind !== "code")
        return "the model answered with a plan instead of edits";
    return reply;
}
/** The plan in FILE, in any of the shapes the project writes; a string is the error. */
function readPlanFile(file) {
    let json;
    try {
        json = JSON.parse((0,external_node_fs_.readFileSync)(file, "utf8"));
    }
    catch (error) {
        return `--plan ${file}: ${error.message}`;
    }
    const wrapped = json;
    const parsed = protocol/* PlanSchema */.fB.safeParse(wrapped.plan ?? json);
    if (!parsed.success)
        return `--plan ${file}: not a plan (${parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
            .join("; ")})`;
    const text = wrapped.issueText;
    return {
        plan: parsed.data,
        ...(typeof text?.title === "string" && typeof text.body === "string"
            ? { issueText: { title: text.title, body: text.body } }
            : {}),
        // What `plan --ignore-file` kept from the model stays kept from it.
        ...(typeof wrapped.ignoreFile === "string" ? { ignoreFile: wrapped.ignoreFile } : {}),
    };
}
function printDiff(result) {
    process.stdout.write(editDiff(result.written));
    process.stderr.write(`applied ${result.written.length} file change(s); every check passed\n`);
}
const csv = (value) => value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
function parseOptions(argv) {
    return (0,external_node_util_.parseArgs)({
        args: argv,
        options: {
            repo: { type: "string" },
            plan: { type: "string" },
            "issue-file": { type: "string" },
            title: { type: "string" },
            body: { type: "string" },
            "body-file": { type: "string" },
            "print-request": { type: "boolean", default: false },
            "allow-dirty": { type: "boolean", default: false },
            "ignore-file": { type: "string" },
            "check-command": { type: "string" },
            protected: { type: "string" },
            "amqp-url": { type: "string" },
            "model-file": { type: "string" },
            model: { type: "string" },
            "num-ctx": { type: "string" },
            "num-predict": { type: "string" },
            temperature: { type: "string" },
            thinking: { type: "string" },
            "signing-key": { type: "string" },
            "request-queue": { type: "string" },
            "timeout-minutes": { type: "string", default: "20" },
            help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
    });
}


/***/ })

};
