export const id = 247;
export const ids = [247];
export const modules = {

/***/ 4247:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runCodeMode: () => (/* binding */ runCodeMode)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./.build/backend/protocol/messages.js
var messages = __webpack_require__(2888);
// EXTERNAL MODULE: ./.build/action/checkout.js
var action_checkout = __webpack_require__(9453);
// EXTERNAL MODULE: ./.build/action/context/build-context.js + 15 modules
var build_context = __webpack_require__(7302);
// EXTERNAL MODULE: ./.build/action/context/redact-secrets.js
var redact_secrets = __webpack_require__(2140);
;// CONCATENATED MODULE: ./.build/action/edits/hunk-match.js
/**
 * Applies one search/replace hunk to `text`. The ladder: exact substring; the same after
 * converting the hunk's line endings to the file's; then whole-line matching that
 * tolerates trailing whitespace, a uniform indentation shift (the replacement is
 * re-indented by the same shift) and differing blank lines. Never picks between two
 * candidates: ambiguity at any level is a refusal naming the lines.
 */
function applyHunk(text, hunk) {
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
    const exact = substringMatch(text, hunk.search, replace, "exact");
    if (exact)
        return exact;
    const search = withEol(hunk.search, eol);
    if (search !== hunk.search) {
        const converted = substringMatch(text, search, withEol(hunk.replace, eol), "line-endings");
        if (converted)
            return converted;
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
    return { ok: false, reason: "not-found", message: notFoundMessage(file.body, searchLines) };
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
 * {@link checkPath}, then the file system: the deepest existing part of the path is
 * resolved through symlinks and must stay inside `root`, and its resolved repository path
 * must pass the policy too (a link to `.github/workflows/ci.yml` is as protected as the
 * file). Returns the normalised repository-relative path.
 */
async function path_policy_checkPathInTree(root, raw, policy = path_policy_DEFAULT_POLICY) {
    const lexical = checkPath(raw, policy);
    if (!lexical.ok)
        return lexical;
    const rootReal = await (0,promises_.realpath)(root);
    const segments = lexical.path.split("/");
    // Walk down while the path exists; the first missing segment ends the walk, since
    // nothing below it can be a symlink yet.
    let existing = rootReal;
    let consumed = 0;
    for (const segment of segments) {
        const next = (0,external_node_path_.join)(existing, segment);
        const stat = await (0,promises_.lstat)(next).catch(() => undefined);
        if (stat === undefined)
            break;
        if (consumed === segments.length - 1 && stat.isDirectory()) {
            return { ok: false, message: `path ${lexical.path} is a directory, not a file` };
        }
        existing = stat.isSymbolicLink() ? await (0,promises_.realpath)(next).catch(() => next) : next;
        consumed++;
        if (!inside(rootReal, existing)) {
            return {
                ok: false,
                message: `path ${lexical.path} resolves through a symlink to outside the repository`,
            };
        }
    }
    const resolved = [(0,external_node_path_.relative)(rootReal, existing).split(external_node_path_.sep).join("/"), ...segments.slice(consumed)]
        .filter((s) => s !== "")
        .join("/");
    if (resolved !== lexical.path) {
        const target = checkNormalized(resolved, policy);
        if (!target.ok)
            return {
                ok: false,
                message: `${lexical.path} is a symlink to ${resolved}: ${target.message}`,
            };
    }
    return lexical;
}
/** Whether `path` matches `glob` (`**` any depth, `*` and `?` within a segment, `{a,b}`). */
function matchesGlob(path, glob) {
    return globToRegExp(glob).test(path);
}
function checkNormalized(path, policy) {
    if (path.split("/").includes(".git")) {
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
function inside(root, candidate) {
    const rel = (0,external_node_path_.relative)(root, candidate);
    return rel === "" || (!rel.startsWith("..") && !(0,external_node_path_.isAbsolute)(rel));
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
    const compiled = new RegExp(`^${re}$`);
    globCache.set(glob, compiled);
    return compiled;
}

;// CONCATENATED MODULE: ./.build/action/edits/apply-edits.js




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
        let entry = state.get(path);
        if (entry === undefined) {
            const before = await read(path);
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
    return (path) => readText((0,external_node_path_.join)(root, path));
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
async function readText(file) {
    try {
        return await (0,promises_.readFile)(file, "utf8");
    }
    catch (error) {
        if (error.code === "ENOENT")
            return undefined;
        throw error;
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./.build/action/edits/check-command.js

const DEFAULT_MAX_OUTPUT = 64 * 1024;
/**
 * Runs the maintainer's check command (linter, tests) in the checkout with `bash -c`, in a
 * process group of its own so that a timeout kills the children it spawned too (a test
 * runner's workers, a dev server), not only the shell.
 */
function runCheckCommand(options) {
    const started = Date.now();
    const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const output = new BoundedOutput(limit);
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)("bash", ["-c", options.command], {
            cwd: options.cwd,
            env: options.env ?? checkEnvironment(process.env),
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
                // The group is already gone.
            }
        };
        const timer = setTimeout(() => {
            timedOut = true;
            killGroup("SIGTERM");
            killTimer = setTimeout(() => killGroup("SIGKILL"), options.killGraceMs ?? 5000);
        }, options.timeoutMs);
        child.stdout.on("data", (chunk) => output.push(chunk));
        child.stderr.on("data", (chunk) => output.push(chunk));
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
            const text = output.text();
            resolve({
                ok: !timedOut && exitCode === 0,
                exitCode,
                signal,
                timedOut,
                output: timedOut
                    ? `${text}\n[check command timed out after ${options.timeoutMs} ms]`
                    : text,
                omittedBytes: output.omitted,
                durationMs: Date.now() - started,
            });
        });
    });
}
/** Names of variables that carry credentials or the Action's own inputs (the token among them). */
const SECRET_NAME = /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|AUTH/i;
/**
 * `env` without credentials: the check command executes the edited code (tests import
 * it), and code written from an untrusted issue must not read the GitHub token, the
 * Action's inputs or the runner's internal tokens.
 */
function checkEnvironment(env) {
    return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_NAME.test(name)));
}
/** Keeps the first and last `limit / 2` bytes of a stream, counting what it drops. */
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
        return this.omitted > 0 ? `${head}\n[… ${this.omitted} bytes omitted …]\n${tail}` : head + tail;
    }
}

// EXTERNAL MODULE: ./.build/action/parsing/index.js + 6 modules
var parsing = __webpack_require__(558);
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
        checkPath: (raw) => path_policy_checkPathInTree(root, raw, policy),
    });
    if (!apply.ok)
        return { ok: false, failedAt: "apply", apply, written: [] };
    const syntax = await syntaxGate(apply.changes);
    if (!syntax.ok)
        return { ok: false, failedAt: "syntax", apply, syntax, written: [] };
    await writeChanges(root, apply.changes);
    const command = options.checkCommand?.trim();
    if (!command)
        return { ok: true, apply, syntax, written: apply.changes };
    const check = await runCheckCommand({
        command,
        cwd: root,
        timeoutMs: options.checkTimeoutMs ?? 10 * 60 * 1000,
        ...(options.checkEnv ? { env: options.checkEnv } : {}),
    });
    if (check.ok)
        return { ok: true, apply, syntax, check, written: apply.changes };
    await writeChanges(root, apply.changes.map(reverse));
    return { ok: false, failedAt: "check", apply, syntax, check, written: [] };
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
 * Returns "" when the result is ok.
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
    return clip(parts.join("\n"), limit);
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

// EXTERNAL MODULE: ./.build/action/failure.js
var failure = __webpack_require__(5291);
// EXTERNAL MODULE: ./.build/action/github/branch.js
var github_branch = __webpack_require__(4969);
// EXTERNAL MODULE: ./.build/action/github/issue.js
var github_issue = __webpack_require__(7494);
// EXTERNAL MODULE: ./.build/action/github/markdown-safety.js
var markdown_safety = __webpack_require__(2399);
// EXTERNAL MODULE: ./.build/action/github/octokit.js + 2 modules
var octokit = __webpack_require__(7242);
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
        if ((0,octokit/* errorStatus */.PO)(error) === 404)
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

// EXTERNAL MODULE: ./.build/action/github/pull-request.js
var pull_request = __webpack_require__(4194);
// EXTERNAL MODULE: ./.build/action/github/tracking-comment.js + 1 modules
var tracking_comment = __webpack_require__(8180);
// EXTERNAL MODULE: ./.build/backend/protocol/plan.js
var protocol_plan = __webpack_require__(7691);
// EXTERNAL MODULE: ./.build/action/plan/plan-hash.js
var plan_hash = __webpack_require__(2879);
;// CONCATENATED MODULE: ./.build/action/plan/approved-plan.js






/**
 * Loads the plan an `/approve` refers to and proves it is exactly the plan the bot wrote:
 * the hash the bot recorded in its own tracking comment (a comment only the bot can have
 * written, found by author) must equal the hash of `plan.json` on the branch now. Anyone
 * who edited the plan file on the branch since, or planted a look-alike comment, is
 * refused.
 */
async function loadApprovedPlan(target) {
    const again = "Comment `/plan` on the issue to make a fresh plan, review it, then `/approve` again.";
    const tracking = await (0,tracking_comment/* findTrackingComment */.uc)(target.client, {
        owner: target.owner,
        repo: target.repo,
        issueNumber: target.issueNumber,
    });
    const recorded = tracking?.record?.planHash;
    if (!recorded)
        throw new failure/* ActionFailure */.d("There is no plan to approve on this issue yet.", "Add the trigger label or comment `/plan` first.", { relabel: false });
    const branch = (0,github_branch/* issueBranchName */.pp)(target.branchPrefix, target.issueNumber);
    let text;
    try {
        const { data } = await target.client.rest.repos.getContent({
            owner: target.owner,
            repo: target.repo,
            path: target.planJsonPath,
            ref: `refs/heads/${branch}`,
        });
        if (Array.isArray(data) || data.type !== "file" || !("content" in data))
            throw new Error("not a file");
        text = Buffer.from(data.content, "base64").toString("utf8");
    }
    catch (error) {
        if ((0,octokit/* errorStatus */.PO)(error) === 404)
            throw new failure/* ActionFailure */.d(`The plan file ${target.planJsonPath} is missing from branch ${branch}.`, again);
        throw error;
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new failure/* ActionFailure */.d(`The plan file on ${branch} is no longer valid JSON: it was changed after the bot wrote it.`, again);
    }
    const plan = protocol_plan/* PlanSchema */.fB.safeParse(parsed.plan);
    if (!plan.success)
        throw new failure/* ActionFailure */.d(`The plan file on ${branch} no longer matches the plan format: it was changed after the bot wrote it.`, again);
    const hash = (0,plan_hash/* planHash */.S)(plan.data);
    if (hash !== recorded) {
        throw new failure/* ActionFailure */.d(`The plan on ${branch} is not the plan the bot wrote: its hash is \`${hash.slice(0, 16)}\`, the bot recorded \`${recorded.slice(0, 16)}\`. Someone changed it since, so this approval is refused.`, again);
    }
    const baseSha = typeof parsed.baseSha === "string" && /^[0-9a-f]{40,64}$/.test(parsed.baseSha)
        ? parsed.baseSha
        : "";
    return { plan: plan.data, hash, branch, baseSha };
}
/** Trailer that marks the commit applying a plan; re-approving finds it and stops. */
const APPLIED_TRAILER = "Applied-Plan-Hash";
/**
 * The commit on `branch` that already applied plan `hash`, if any: walks first parents
 * from the head back to the plan's base (at most 50 commits).
 */
async function findApplyingCommit(client, owner, repo, branch, hash, stopAt) {
    let sha;
    try {
        sha = (await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha;
    }
    catch (error) {
        if ((0,octokit/* errorStatus */.PO)(error) === 404)
            return undefined;
        throw error;
    }
    for (let i = 0; i < 50 && sha && sha !== stopAt; i++) {
        const { data } = await client.rest.git.getCommit({ owner, repo, commit_sha: sha });
        if (data.message.includes(`${APPLIED_TRAILER}: ${hash}`))
            return data.sha;
        sha = data.parents[0]?.sha;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./.build/action/plan/render-changes.js
const START = "<!-- issue-agent:changes -->";
const END = "<!-- /issue-agent:changes -->";
/** The pull request's "Changes" section: files, diffstat, checks and their results. */
function renderChanges(report) {
    const syntaxByPath = new Map((report.syntax?.files ?? []).map((f) => [f.path, f]));
    const lines = [
        `Commit \`${report.commitSha.slice(0, 12)}\` (${report.mode === "quickfix" ? "QuickFix" : "approved"} by @&#8203;${report.actor}, model \`${report.model}\`).`,
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
        lines.push(`| \`${change.path.replace(/\|/g, "\\|")}\` | ${change.change} | ${stat.added} | ${stat.removed} | ${verdict} |`);
    }
    lines.push("", `${report.written.length} file(s), +${added} −${removed}.`);
    if (report.checkCommand.trim()) {
        const check = report.check;
        lines.push("", check
            ? `Check command \`${report.checkCommand.trim()}\`: ${check.ok ? "passed" : "failed"} in ${(check.durationMs / 1000).toFixed(1)} s.`
            : `Check command \`${report.checkCommand.trim()}\`: not run.`);
    }
    else {
        lines.push("", "No `check-command` configured: only the syntax check ran.");
    }
    return lines.join("\n");
}
/** Puts `changes` into the body's Changes section, replacing an earlier one. */
function replaceChangesSection(body, changes) {
    const section = `${START}\n## Changes\n\n${changes}\n${END}`;
    const start = body.indexOf(START);
    const end = body.indexOf(END);
    if (start >= 0 && end > start)
        return `${body.slice(0, start)}${section}${body.slice(end + END.length)}`;
    return `${body.trimEnd()}\n\n${section}\n`;
}

// EXTERNAL MODULE: ./.build/action/summary.js
var summary = __webpack_require__(4261);
// EXTERNAL MODULE: ./.build/action/transport/work-client.js + 3 modules
var work_client = __webpack_require__(5312);
// EXTERNAL MODULE: ./.build/action/modes/plan-mode.js + 2 modules
var plan_mode = __webpack_require__(3896);
;// CONCATENATED MODULE: ./.build/action/modes/code-mode.js




















/**
 * A command from someone without write access: answered where it was written, and
 * nothing else changes. The plan keeps its state (tracking comment, labels), so the
 * maintainers' own `/approve` still finds it as they left it.
 */
async function refuse(ctx, mode, actor, thread) {
    const reason = `@${actor} asked for \`/${mode}\`, but only people with write access to the repository may have code committed. The plan is unchanged and still awaits a maintainer's \`/approve\`.`;
    ctx.log(`refused: ${reason}`);
    await ctx.client.rest.issues.createComment({
        owner: ctx.owner,
        repo: ctx.repo,
        issue_number: thread,
        body: (0,markdown_safety/* sanitizeForPost */.vM)(reason),
    });
    return { outputs: { status: "refused" }, summary: (0,summary/* refusedSummary */.n$)((0,markdown_safety/* sanitizeForPost */.vM)(reason)) };
}
/**
 * `/approve` and QuickFix: turn the plan into edits, apply them, check them, and commit
 * them to the issue's branch — or push nothing and explain why. The approval gate is
 * enforced here, in code: write access checked through the API and the plan bound to
 * the hash the bot recorded.
 */
async function runCodeMode(ctx, options) {
    if (options.command !== undefined) {
        const allowed = await hasWriteAccess(ctx.client, {
            owner: ctx.owner,
            repo: ctx.repo,
            username: options.actor,
        });
        if (!allowed)
            return refuse(ctx, options.mode, options.actor, options.command.thread);
    }
    const tracking = (0,plan_mode/* openTrackingComment */.pC)(ctx);
    // Whatever happens, the comment keeps showing the hash of the plan on record: a failed
    // run must not erase what a later, valid approval binds to.
    let hash = (await (0,tracking_comment/* findTrackingComment */.uc)(ctx.client, {
        owner: ctx.owner,
        repo: ctx.repo,
        issueNumber: ctx.issueNumber,
    }).catch(() => null))?.record?.planHash ?? undefined;
    try {
        const target = options.mode === "quickfix"
            ? await planForQuickFix(ctx, tracking)
            : await planForApproval(ctx);
        hash = target.hash;
        const view = { stage: "code", runUrl: ctx.runUrl, planHash: target.hash };
        const existing = await findApplyingCommit(ctx.client, ctx.owner, ctx.repo, target.branch, target.hash, target.baseSha);
        if (existing) {
            ctx.log(`plan ${target.hash.slice(0, 12)} was already applied in ${existing.slice(0, 12)}; nothing to do`);
            await tracking.update({
                ...view,
                phase: {
                    kind: "done",
                    pullRequestUrl: target.pullRequest.url,
                    detail: `This plan was already applied in commit ${existing.slice(0, 12)}; nothing new was committed.`,
                },
            });
            await tracking.flush();
            return applied(target, tracking.url, `This plan was already applied in commit \`${existing.slice(0, 12)}\`; nothing new was committed.`);
        }
        await tracking.update({ ...view, phase: { kind: "queued" } });
        const workClient = await work_client/* WorkClient */.JF.connect({
            amqpUrl: ctx.settings.amqpUrl,
            requestQueue: ctx.settings.requestQueue,
            signingKey: ctx.settings.signingKey || undefined,
            log: ctx.log,
        });
        let result;
        let edits;
        let model = "";
        try {
            const base = await ctx.group("Code request", () => buildCodeRequest(ctx, target));
            const ask = async (request) => {
                const reply = await workClient.submit(request, {
                    onProgress: (p) => void tracking.update({
                        ...view,
                        phase: {
                            kind: "running",
                            ...(p.model ? { model: p.model } : {}),
                            ...(p.tokens !== undefined ? { tokens: p.tokens } : {}),
                        },
                    }),
                });
                tracking.discardPending();
                if (reply.type === "error")
                    throw (0,failure/* failureFromWorker */.h)(reply, ctx.settings.timeoutMinutes);
                if (reply.kind !== "code")
                    throw new failure/* ActionFailure */.d("The worker answered a code request with a plan.", "Check that the Action and worker versions match.");
                return reply;
            };
            const first = await ask(base);
            model = first.usage.model;
            edits = first.edits;
            result = await ctx.group("Apply and check", () => code_mode_applyEdits(ctx, target.checkoutDir, edits));
            if (!result.ok) {
                // One repair round trip: the model sees exactly what failed.
                const report = failureReport(result);
                ctx.log(`edits failed at ${result.failedAt ?? "?"}; asking the model to repair them:\n${report}`);
                const repaired = await ask({
                    ...base,
                    requestId: (0,work_client/* newRequestId */.H4)(),
                    deadline: Date.now() + ctx.settings.timeoutMinutes * 60_000,
                    repair: { previous: edits, errors: [report.slice(0, 4000)] },
                });
                edits = repaired.edits;
                result = await ctx.group("Apply and check (repair)", () => code_mode_applyEdits(ctx, target.checkoutDir, edits));
            }
        }
        finally {
            await workClient.close();
        }
        if (!result.ok) {
            throw new failure/* ActionFailure */.d(`The model's changes were not pushed: they failed the ${result.failedAt ?? "apply"} step twice.\n\n${failureReport(result, 1500)}`, "Comment `/approve` with guidance on the following lines, or refine the plan with `/plan`.");
        }
        return await ctx.group("Commit", async () => {
            const stats = await (0,action_checkout/* diffStat */.A5)(target.checkoutDir);
            const files = result.written
                .filter((c) => c.after !== undefined)
                .map((c) => ({ path: c.path, content: c.after ?? "" }));
            const deletions = result.written.filter((c) => c.after === undefined).map((c) => c.path);
            const commit = await (0,github_branch/* commitToBranch */.Bg)(ctx.client, {
                owner: ctx.owner,
                repo: ctx.repo,
                branch: target.branch,
                baseSha: target.baseSha,
                files,
                deletions,
                message: `${(0,github_branch/* commitSubject */.sF)(edits.summary) || `Implement the plan for #${target.issue.number}`}\n\nImplements the approved plan for #${target.issue.number}.`,
                trailers: [
                    ["Issue", `#${target.issue.number}`],
                    [APPLIED_TRAILER, target.hash],
                    [options.mode === "quickfix" ? "QuickFix-By" : "Approved-By", options.actor],
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
                model,
                mode: options.mode,
                actor: options.actor,
            });
            const { data: pr } = await ctx.client.rest.pulls.get({
                owner: ctx.owner,
                repo: ctx.repo,
                pull_number: target.pullRequest.number,
            });
            const body = replaceChangesSection(pr.body ?? "", changes);
            if (body !== pr.body)
                await ctx.client.rest.pulls.update({
                    owner: ctx.owner,
                    repo: ctx.repo,
                    pull_number: pr.number,
                    body,
                });
            await (0,plan_mode/* moveStateLabel */.$v)(ctx, ctx.settings.labelApplied);
            await tracking.update({
                ...view,
                phase: {
                    kind: "done",
                    pullRequestUrl: target.pullRequest.url,
                    detail: `Commit ${headSha.slice(0, 12)} changes ${result.written.length} file(s); syntax check passed${result.check ? `, \`check-command\` passed` : ""}. The pull request stays a draft for review.`,
                },
            });
            await tracking.flush();
            return applied(target, tracking.url, changes);
        });
    }
    catch (error) {
        const failure = (0,plan_mode/* toFailure */.w2)(error, ctx.settings);
        await (0,plan_mode/* reportFailure */.xV)(ctx, tracking, failure, "code", hash);
        throw failure;
    }
}
/** The outcome of a run that leaves the plan applied on its branch. */
function applied(target, commentUrl, changes) {
    return {
        outputs: {
            status: "applied",
            prNumber: target.pullRequest.number,
            prUrl: target.pullRequest.url,
            branch: target.branch,
            commentUrl,
            planHash: target.hash,
        },
        summary: (0,summary/* codeSummary */.or)({
            issueNumber: target.issue.number,
            pullRequest: target.pullRequest,
            branch: target.branch,
            planHash: target.hash,
            changes,
        }),
    };
}
async function code_mode_applyEdits(ctx, dir, edits) {
    const result = await applyAndCheck(dir, edits.edits, {
        policy: { protected: ctx.settings.protectedPaths, allow: [] },
        checkCommand: ctx.settings.checkCommand,
        checkTimeoutMs: ctx.settings.checkTimeoutMinutes * 60_000,
    });
    ctx.log(result.ok
        ? `applied ${result.written.length} file change(s); all checks passed`
        : `refused at the ${result.failedAt ?? "?"} step`);
    return result;
}
async function planForApproval(ctx) {
    const approved = await loadApprovedPlan({
        client: ctx.client,
        owner: ctx.owner,
        repo: ctx.repo,
        issueNumber: ctx.issueNumber,
        branchPrefix: ctx.settings.branchPrefix,
        planJsonPath: (0,plan_mode/* planFilePaths */.CM)(ctx.issueNumber).json,
    });
    const pr = await (0,pull_request/* findOpenPullRequest */.a)(ctx.client, {
        owner: ctx.owner,
        repo: ctx.repo,
        head: approved.branch,
    });
    if (!pr)
        throw new failure/* ActionFailure */.d(`The plan's pull request for ${approved.branch} is not open any more.`, "Comment `/plan` to make a new plan and pull request.");
    const issue = await (0,github_issue/* getIssue */.q)(ctx.client, {
        owner: ctx.owner,
        repo: ctx.repo,
        issueNumber: ctx.issueNumber,
    });
    const repoInfo = await ctx.client.rest.repos.get({ owner: ctx.owner, repo: ctx.repo });
    const checkout = await (0,action_checkout/* ensureCheckout */.xJ)({
        workspace: ctx.workspace,
        serverUrl: ctx.serverUrl,
        owner: ctx.owner,
        repo: ctx.repo,
        ref: repoInfo.data.default_branch,
        token: ctx.settings.githubToken,
        log: ctx.log,
    });
    const branchHead = await (0,action_checkout/* checkoutRemoteBranch */.vS)(checkout.dir, approved.branch, ctx.settings.githubToken);
    const body = (0,markdown_safety/* stripHiddenContent */.wG)(issue.body).slice(0, plan_mode/* MAX_ISSUE_BODY_CHARS */.y);
    return {
        ...approved,
        baseSha: approved.baseSha || checkout.sha,
        pullRequest: { number: pr.number, url: pr.html_url },
        checkoutDir: checkout.dir,
        branchHead,
        issue: {
            number: issue.number,
            title: (0,markdown_safety/* stripHiddenContent */.wG)(issue.title),
            body,
            author: issue.author?.login ?? "unknown",
            labels: issue.labels,
        },
        defaultBranch: repoInfo.data.default_branch,
    };
}
async function planForQuickFix(ctx, tracking) {
    const outcome = await (0,plan_mode/* planAndPublish */.Kd)(ctx, tracking, { awaitApproval: false });
    const branchHead = await (0,action_checkout/* checkoutRemoteBranch */.vS)(outcome.checkoutDir, outcome.branch, ctx.settings.githubToken);
    return {
        plan: outcome.document.plan,
        hash: outcome.document.hash,
        branch: outcome.branch,
        baseSha: "",
        pullRequest: outcome.pullRequest,
        checkoutDir: outcome.checkoutDir,
        branchHead,
        issue: { number: outcome.issueNumber, ...outcome.issue },
        defaultBranch: outcome.defaultBranch,
    };
}
/** The code request: the plan, the full text of the files it changes (within budget), and context. */
async function buildCodeRequest(ctx, target) {
    const budget = ctx.settings.contextTokens;
    const files = [];
    const omitted = [];
    let used = 0;
    for (const change of target.plan.files) {
        if (change.change === "create")
            continue;
        // Secrets in the file never reach the model; a hunk that needed them fails to apply.
        const raw = await (0,promises_.readFile)((0,external_node_path_.join)(target.checkoutDir, change.path), "utf8").catch(() => undefined);
        const content = raw === undefined ? undefined : (0,redact_secrets/* redactSecrets */.f)(raw).text;
        if (content === undefined) {
            omitted.push({ path: change.path, reason: "named by the plan but not in the repository" });
            continue;
        }
        const cost = (0,build_context/* estimateTokens */.bP)(content);
        if (used + cost > budget) {
            omitted.push({
                path: change.path,
                reason: `full text (about ${cost} tokens) did not fit the ${budget}-token budget`,
            });
            continue;
        }
        used += cost;
        files.push({ path: change.path, content });
    }
    for (const item of omitted)
        ctx.log(`not sent in full: ${item.path} (${item.reason})`);
    const context = await (0,build_context/* buildContext */.gC)({
        repoDir: target.checkoutDir,
        title: target.issue.title,
        body: target.issue.body,
        tokenBudget: Math.max(1000, Math.floor(budget / 2)),
        ignoreFile: ctx.settings.ignoreFile || undefined,
    });
    const request = {
        version: messages/* PROTOCOL_VERSION */.WP,
        type: "code",
        requestId: (0,work_client/* newRequestId */.H4)(),
        idempotencyKey: `${ctx.owner}/${ctx.repo}#${target.issue.number}@${target.hash}`,
        repo: {
            owner: ctx.owner,
            name: ctx.repo,
            defaultBranch: target.defaultBranch,
            sha: target.branchHead,
        },
        issue: {
            number: target.issue.number,
            title: target.issue.title.slice(0, 1000),
            body: target.issue.body,
            author: target.issue.author,
            labels: target.issue.labels.slice(0, 100),
        },
        context: {
            tree: context.tree,
            files: context.files,
            omitted: [...omitted, ...context.omitted],
            tokenEstimate: context.tokenEstimate + used,
        },
        options: ctx.settings.model ? { model: ctx.settings.model } : {},
        deadline: Date.now() + ctx.settings.timeoutMinutes * 60_000,
        plan: target.plan,
        planHash: target.hash,
        files,
        ...(ctx.guidance ? { guidance: (0,markdown_safety/* stripHiddenContent */.wG)(ctx.guidance).slice(0, 10_000) } : {}),
    };
    // Validate before sending: a malformed request is our bug, better caught here.
    return messages/* CodeRequestSchema */.eP.parse(request);
}


/***/ })

};
