export const id = 628;
export const ids = [628];
export const modules = {

/***/ 5628:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runContextCommand: () => (/* binding */ runContextCommand)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var _action_context_build_context_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8995);
/**
 * `issue-agent context`: ranks the files of a checkout for an issue, exactly as the
 * Action does, and prints why each file was chosen. With `--json` stdout carries only
 * `{"files":[{"path","score","reasons"}]}`; logs and errors go to stderr.
 */



const USAGE = `Usage: issue-agent context --repo DIR (--title-file F | --title TEXT)
                         [--body-file F | --body TEXT] [--top K] [--json] [--ignore-file F]

Ranks the files of the checkout in DIR for the issue and prints the best K (default 10)
with the signals that chose them. --json prints {"files":[{"path","score","reasons"}]}.`;
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
    let ranking;
    try {
        const options = { repoDir: values.repo, title: title.trim(), body, top };
        ({ ranking } = await (0,_action_context_build_context_js__WEBPACK_IMPORTED_MODULE_2__/* .rankRepository */ .t1)(values["ignore-file"] === undefined
            ? options
            : { ...options, ignoreFile: values["ignore-file"] }));
    }
    catch (error) {
        process.stderr.write(`issue-agent context: ${error.message}\n`);
        return 1;
    }
    if (values.json) {
        process.stdout.write(`${JSON.stringify({ files: ranking })}\n`);
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
