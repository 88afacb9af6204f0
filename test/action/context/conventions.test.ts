import { describe, expect, it } from "@jest/globals";
import { buildContext } from "../../../action/context/build-context.js";
import {
  CHANGELOG_REASON,
  changelogsToUpdate,
  entryRegions,
} from "../../../action/context/changelog.js";
import { findDefinitions, isDeclarationOnly } from "../../../action/context/definitions.js";
import { documentedNames, REFERENCE_REASON } from "../../../action/context/reference-docs.js";
import { resolveComposition } from "../../../action/context/imports.js";
import { PathIndex } from "../../../action/context/path-index.js";
import { readIssueSignals } from "../../../action/context/issue-signals.js";
import { rankingOf, reposPerTest } from "./fixture-repo.js";

const { repo } = reposPerTest();
const ranking = rankingOf;

const KEEP_A_CHANGELOG = [
  "# Changelog",
  "",
  "All notable changes to this project will be documented in this file.",
  "",
  "# Unreleased",
  "",
  "## Bugfixes",
  "",
  "- Fix paging with `--wrap` (#1890, @someone)",
  "",
  "# 0.18.3",
  "",
  "- Older entry (#1700)",
  "",
].join("\n");

/** A reStructuredText changelog's pending release with a sub-heading (Sphinx's CHANGES). */
const SPHINX_PENDING_RELEASE = [
  "Release 3.5.0 (in development)",
  "==============================",
  "",
  "Bugs fixed",
  "----------",
  "",
  "* #8590: autodoc: fix a crash",
  "",
];

const SOURCES = {
  "src/pager.rs": "pub fn run_pager(wrap: bool) -> bool {\n    wrap\n}\n",
  "src/printer.rs": "pub fn print_line() {}\n",
  "src/config.rs": "pub struct Config {}\n",
};

describe("the changelog convention", () => {
  it("ranks a changelog whose pending section lists cited entries right after the best file", async () => {
    const r = repo({ ...SOURCES, "CHANGELOG.md": KEEP_A_CHANGELOG });
    const top = await ranking(r.dir, "`run_pager` ignores the wrap option");
    expect(top[0]?.path).toBe("src/pager.rs");
    expect(top[1]?.path).toBe("CHANGELOG.md");
    expect(top[1]?.reasons).toContain(CHANGELOG_REASON);
  });

  it("counts an empty pending section when the release before it has hand-written entries", () => {
    const r = repo({
      ...SOURCES,
      "CHANGELOG.md":
        "# Unreleased\n\n- None.\n\n# 0.6.15\n\n- **fixed:** Leftover debug output ([#1927])\n",
    });
    expect(changelogsToUpdate(r.dir, ["CHANGELOG.md", ...Object.keys(SOURCES)])).toEqual([
      "CHANGELOG.md",
    ]);
  });

  it("ignores release notes generated from pull-request titles", () => {
    const r = repo({
      "CHANGELOG.md": [
        "# Release Notes",
        "",
        "## [Unreleased](https://example.com/compare/v1.2.0...main)",
        "",
        "## [v1.2.0](https://example.com/compare/v1.1.0...v1.2.0) - 2024-08-06",
        "",
        "* Improve locking by [@someone](https://github.com/someone) in https://github.com/o/r/pull/52349",
        "",
      ].join("\n"),
    });
    expect(changelogsToUpdate(r.dir, ["CHANGELOG.md"])).toEqual([]);
  });

  it("counts entries that cite nothing, but not an empty section's stand-in", () => {
    const bare = repo({
      "CHANGELOG.md":
        "## Unreleased\n\n### Changed\n- Templates use Bootstrap 4.\n\n## 1.12\n- Old.\n",
    });
    expect(changelogsToUpdate(bare.dir, ["CHANGELOG.md"])).toEqual(["CHANGELOG.md"]);
    const empty = repo({ "CHANGELOG.md": "## Unreleased\n\n- None.\n\n## 1.12\n\n*none*\n" });
    expect(changelogsToUpdate(empty.dir, ["CHANGELOG.md"])).toEqual([]);
  });

  it("reads release notes named RELEASE with an upcoming section", () => {
    const r = repo({
      "RELEASE.md":
        "# Upcoming Release\n\n## Bug fixes\n* Fixed a crash on load.\n\n# Release 0.19.10\n",
    });
    expect(changelogsToUpdate(r.dir, ["RELEASE.md"])).toEqual(["RELEASE.md"]);
  });

  it("ignores a changelog whose first section is a released version", () => {
    const r = repo({ "CHANGELOG.md": "# Changelog\n\n## 1.4.0\n\n- Fix (#12)\n" });
    expect(changelogsToUpdate(r.dir, ["CHANGELOG.md"])).toEqual([]);
  });

  it("ignores the changelog when entries are collected as fragment files", () => {
    const r = repo({
      "CHANGELOG.md": KEEP_A_CHANGELOG,
      "changelog/fix_wrap.md": "* Fix wrap.\n",
    });
    expect(changelogsToUpdate(r.dir, ["CHANGELOG.md", "changelog/fix_wrap.md"])).toEqual([]);
  });

  it("reads reStructuredText headings: a sub-heading stays inside the pending release", () => {
    const r = repo({ "CHANGES.rst": SPHINX_PENDING_RELEASE.join("\n") });
    expect(changelogsToUpdate(r.dir, ["CHANGES.rst"])).toEqual(["CHANGES.rst"]);
  });

  it("picks the changelog of the package that holds the best file", async () => {
    const r = repo({
      "core/src/routing.rs": "pub fn route_layer() {}\n",
      "core/CHANGELOG.md": KEEP_A_CHANGELOG,
      "extra/src/lib.rs": "pub fn other() {}\n",
      "extra/CHANGELOG.md": KEEP_A_CHANGELOG,
      "CHANGELOG.md": "# Changelog\n\nSee each crate's changelog.\n",
    });
    const top = await ranking(r.dir, "`route_layer` drops the fallback");
    expect(top.slice(0, 2).map((file) => file.path)).toEqual([
      "core/src/routing.rs",
      "core/CHANGELOG.md",
    ]);
    expect(top.map((file) => file.path)).not.toContain("extra/CHANGELOG.md");
  });

  it("tells the code step where the next entry goes: the first release section, from the top", () => {
    // A pending section of 45 entries: offered in regions of 30 lines, up to the line
    // before the next release's heading, whatever words the old entries share.
    const pending = Array.from({ length: 45 }, (_, i) => `- Fix wrap case ${i} (#${i})`);
    const long = ["# Changelog", "", "## [Unreleased]", "", ...pending, "", "## [0.18.3]", ""];
    const older = Array.from({ length: 300 }, (_, i) => `- Old wrap fix ${i}`);
    expect(entryRegions([...long, ...older].join("\n"))).toEqual([
      { startLine: 1, endLine: 30 },
      { startLine: 31, endLine: 50 },
    ]);
    // A sub-heading stays inside the release; reStructuredText underlines are headings.
    const rst = [
      ...SPHINX_PENDING_RELEASE,
      "Release 3.4.3 (released Jan 08, 2021)",
      "=====================================",
      "",
      "* older",
    ].join("\n");
    expect(entryRegions(rst)).toEqual([{ startLine: 1, endLine: 8 }]);
    // Without a pending section, the latest release is where a project adds as it goes.
    expect(entryRegions("# Changelog\n\n## 1.4.0\n\n- Fix (#12)\n\n## 1.3.0\n\n- Old\n")).toEqual([
      { startLine: 1, endLine: 6 },
    ]);
    // Without any release heading, the head of the file, at most 150 lines.
    const notes = Array.from({ length: 400 }, (_, i) => `note ${i}`).join("\n");
    const regions = entryRegions(notes);
    expect(regions[0]).toEqual({ startLine: 1, endLine: 30 });
    expect(regions.at(-1)).toEqual({ startLine: 121, endLine: 150 });
  });

  it("shows the head of the changelog, where the new entry goes", async () => {
    const r = repo({ ...SOURCES, "CHANGELOG.md": `${KEEP_A_CHANGELOG}\n- wrap again (#1)\n` });
    const context = await buildContext({
      repoDir: r.dir,
      title: "`run_pager` ignores the wrap option",
      body: "",
      tokenBudget: 4000,
    });
    const changelog = context.files.find((file) => file.path === "CHANGELOG.md");
    expect(changelog?.excerpts[0]?.startLine).toBe(1);
    expect(changelog?.excerpts[0]?.text).toContain("# Unreleased");
  });
});

/** A client module and its hand-written reference page (aiohttp's docs/client_reference.rst). */
const CLIENT_SOURCES = {
  "src/client/request_info.py":
    "import attr\n\n@attr.s(frozen=True)\nclass RequestInfo:\n    url = attr.ib()\n    method = attr.ib()\n",
  "src/client/session.py":
    "class ClientSession:\n    def request(self, method, url):\n        pass\n",
  // Before the reference in file order: a page that only mentions the name must lose.
  "docs/a_index.rst": "Welcome\n=======\n\nSee :class:`RequestInfo` and the client pages.\n",
};
const CLIENT_REFERENCE = [
  "Client reference",
  "================",
  "",
  ".. class:: RequestInfo()",
  "",
  "   A :class:`~collections.namedtuple` with the request's URL and method.",
  "",
].join("\n");
const ISSUE = "RequestInfo is documented to be a namedtuple but it is an attrs class";

describe("the hand-written reference convention", () => {
  it("ranks the page documenting an issue's name by hand right after the file that defines it", async () => {
    const r = repo({ ...CLIENT_SOURCES, "docs/client_reference.rst": CLIENT_REFERENCE });
    const top = await ranking(r.dir, ISSUE, "Creating a `RequestInfo` for every request is slow.");
    expect(top[0]?.path).toBe("src/client/request_info.py");
    expect(top[1]?.path).toBe("docs/client_reference.rst");
    expect(top[1]?.reasons).toContain(REFERENCE_REASON);
    // A page that only mentions the name documents nothing.
    expect(top.find((file) => file.path === "docs/a_index.rst")?.reasons ?? []).not.toContain(
      REFERENCE_REASON,
    );
  });

  it("does not count entries Sphinx generates from docstrings", async () => {
    const generated = CLIENT_REFERENCE.replace(
      ".. class:: RequestInfo()",
      ".. autoclass:: RequestInfo",
    );
    const r = repo({ ...CLIENT_SOURCES, "docs/client_reference.rst": generated });
    const top = await ranking(r.dir, ISSUE);
    expect(top.flatMap((file) => file.reasons)).not.toContain(REFERENCE_REASON);
  });

  it("reads settings documented as definition-list terms", () => {
    const page = [
      "Configuration",
      "=============",
      "",
      "PAPERLESS_TASK_WORKERS=<num>",
      "    How many workers process tasks.",
      "",
      "Set PAPERLESS_THREADS_PER_WORKER as well",
      "",
      "    PAPERLESS_TASK_WORKERS * PAPERLESS_THREADS_PER_WORKER",
      "",
      // A name at the margin with no indented definition under it is prose, not a term.
      "PAPERLESS_WEBSERVER_WORKERS defaults to one.",
      "",
    ].join("\n");
    const names = [
      "PAPERLESS_TASK_WORKERS",
      "PAPERLESS_THREADS_PER_WORKER",
      "PAPERLESS_WEBSERVER_WORKERS",
    ];
    expect([...documentedNames(page, names)]).toEqual(["PAPERLESS_TASK_WORKERS"]);
    expect([
      ...documentedNames(".. py:method:: Client.request_info()\n", ["request_info"]),
    ]).toEqual(["request_info"]);
    // A C signature documents the function, not the type it returns.
    const capi = ".. c:function:: PyObject* PyDict_GetItem(PyObject *p, PyObject *key)\n";
    expect([...documentedNames(capi, ["PyObject", "PyDict_GetItem"])]).toEqual(["PyDict_GetItem"]);
  });

  it("leaves single words and dunders alone: pages document them for reasons of their own", async () => {
    const r = repo({
      "src/session.py": "class Session:\n    def __class_getitem__(cls, item):\n        pass\n",
      "docs/api.rst":
        ".. class:: Session()\n\n   A session.\n\n.. method:: __class_getitem__(item)\n\n   Types one.\n",
    });
    const top = await ranking(r.dir, "`Session.__class_getitem__` is slow");
    expect(top.flatMap((file) => file.reasons)).not.toContain(REFERENCE_REASON);
  });
});

describe("declarations and implementations", () => {
  it("tells a prototype or interface method from a definition with a body", () => {
    const header = "int parse_range(const char *s, long *out);\n";
    const source = "int parse_range(const char *s, long *out) {\n  return 0;\n}\n";
    const iface = "interface Comparison {\n  public function isSameMonth(int $m): bool;\n}\n";
    const [declared] = findDefinitions(header, "src/util.h");
    const [defined] = findDefinitions(source, "src/util.c");
    const [method] = findDefinitions(iface, "src/Comparison.php").filter(
      (d) => d.name === "isSameMonth",
    );
    expect(declared && isDeclarationOnly(header, declared, "src/util.h")).toBe(true);
    expect(defined && isDeclarationOnly(source, defined, "src/util.c")).toBe(false);
    expect(method && isDeclarationOnly(iface, method, "src/Comparison.php")).toBe(true);
    const stub = "export class OrderedSet<T> extends Set<T> {\n  hashCode(): number;\n}\n";
    const [typed] = findDefinitions(stub, "types/immutable.d.ts");
    expect(typed && isDeclarationOnly(stub, typed, "types/immutable.d.ts")).toBe(true);
  });

  it("finds C definitions whose return type sits alone on the line above the name", () => {
    const source = [
      "static int",
      "moveSlot(node *source, int slot) {",
      "    return helper(slot);",
      "}",
      "",
      "int count;",
      "if_not_a_definition();",
      "return",
      "call(x);",
      "",
    ].join("\n");
    const found = findDefinitions(source, "src/cli.c").map((d) => [d.name, d.offset]);
    // Placed at the name's line, where the block that the body indents under begins.
    expect(found).toContainEqual(["moveSlot", source.indexOf("moveSlot")]);
    expect(found.map(([name]) => name)).not.toContain("call");
    expect(found.map(([name]) => name)).not.toContain("if_not_a_definition");
    // Languages where a type line above a call is no signature keep the old patterns.
    expect(findDefinitions(source, "src/cli.py").map((d) => d.name)).not.toContain("moveSlot");
  });

  it("ranks the implementation above the header that only declares the name", async () => {
    const r = repo({
      "src/server.h": "int parse_range(const char *s, long *out);\nint other(void);\n",
      "src/util.c": "int parse_range(const char *s, long *out) {\n  return 0;\n}\n",
      "src/other.c": "int other(void) {\n  return 1;\n}\n",
    });
    const top = await ranking(r.dir, "parse_range mishandles negative ends");
    expect(top[0]?.path).toBe("src/util.c");
    const header = top.find((file) => file.path === "src/server.h");
    expect(header?.reasons).toContain("declares parse_range");
  });
});

describe("reading the issue", () => {
  it("normalises CRLF line ends and drops template comments", () => {
    const body =
      "<!--\r\n  Please describe `TemplateOnlyName` here.\r\n-->\r\n```\r\nsrc/a.c:4: Malformed range description given\r\n```\r\n";
    const signals = readIssueSignals("Crash", body);
    expect([...signals.identifiers.keys()]).not.toContain("TemplateOnlyName");
    expect(signals.messages).toContain("Malformed range description given");
  });

  it("reads a short method called in code as a name (`->is(`)", async () => {
    const r = repo({
      "src/Traits/Comparison.php":
        "<?php\ntrait Comparison {\n    public function is(string $tester) {\n        return true;\n    }\n}\n",
      "src/DateInterface.php":
        "<?php\ninterface DateInterface {\n    public function is(string $tester);\n}\n",
      "src/Traits/Options.php": "<?php\ntrait Options {\n    public function settings() {}\n}\n",
    });
    const top = await ranking(
      r.dir,
      "Bug in month check",
      "```php\n$today = Carbon::create(2023, 10, 1);\n$today->is('January'); // true\n```\n",
    );
    expect(top[0]?.path).toBe("src/Traits/Comparison.php");
    expect(top[0]?.reasons).toContain("defines is");
  });

  it("reads command-line and configuration names under their code spellings", () => {
    const signals = readIssueSignals(
      "Module imported twice under importlib",
      "With `import-mode` set, run with --max-line-length 100; a well-known so-called problem.",
    );
    const names = [...signals.identifiers.keys()];
    expect(names).toEqual(
      expect.arrayContaining(["import_mode", "importMode", "max_line_length", "maxLineLength"]),
    );
    expect(names).not.toContain("well_known");
    expect(names).not.toContain("so_called");
  });

  it("drops a listing of installed packages but keeps the traceback", () => {
    const listing = ["aiohttp 3.6.2", "alabaster 0.7.12", "apipkg 1.5", "appdirs 1.4.3"]
      .concat(["arrow 0.15.7", "asv 0.4.1", "jinja2 2.11.2", "numpy 1.19.0", "zipp==3.1.0"])
      .join("\n");
    const signals = readIssueSignals(
      "xfail marker ignored",
      `\`\`\`\n$ pip list\n${listing}\n\`\`\`\n\n\`\`\`\nTraceback:\n  File "src/skip.py", line 3, in evaluate_xfail\n\`\`\`\n`,
    );
    expect(signals.terms.has("alabaster")).toBe(false);
    expect(signals.terms.has("jinja2")).toBe(false);
    expect(signals.frames.map((frame) => frame.path)).toEqual(["src/skip.py"]);
  });

  it("does not read a code fence's language tag as a name", () => {
    const signals = readIssueSignals("Wrong result", "```python\nsimplify(ceiling(x))\n```\n");
    expect(signals.identifiers.has("python")).toBe(false);
    expect(signals.terms.has("python")).toBe(false);
    expect(signals.identifiers.has("simplify")).toBe(true);
  });

  it("reads a phrase across backticks (`Dataset` repr)", () => {
    const signals = readIssueSignals("Show units", "Units should appear in the `Dataset` repr.");
    expect(signals.phrases.get("datasetrepr")).toBe("Dataset repr");
  });

  it("reads a quoted module name with a file-like suffix (`ascii.rst`) as a module", () => {
    const signals = readIssueSignals("Support header rows", 'tbl.write(format="ascii.rst")');
    expect(signals.qualifiedNames).toContainEqual(["ascii", "rst"]);
  });

  it("does not take a completion script or manual page for a file named after a symbol", async () => {
    const r = repo({
      "assets/completions/bat.bash.in": "complete -F _bat bat --paging never\n",
      "assets/manual/bat.1.in": ".TH BAT 1\n--paging never\n",
      "src/bin/bat/clap_app.rs": 'pub fn build_app() {\n    arg("paging");\n}\n',
    });
    const top = await ranking(r.dir, "`bat` --paging=never still pages");
    const completion = top.find((file) => file.path === "assets/completions/bat.bash.in");
    expect(completion?.reasons ?? []).not.toContain("file named after bat");
    expect(completion?.reasons ?? []).toContain("prior: not source code ×0.60");
  });

  it("does not let a reproducer's bare file name lift a test file over the source", async () => {
    const r = repo({
      "test/resource/Foo.java": "public class Foo {}\n",
      "src/core/FieldDefaults.java": "public @interface FieldDefaults {}\n",
    });
    const top = await ranking(
      r.dir,
      "@FieldDefaults errors with records",
      "`Foo.java`:\n```\npublic record Foo() {}\n```\n",
    );
    expect(top[0]?.path).toBe("src/core/FieldDefaults.java");
    const reproducer = top.find((file) => file.path === "test/resource/Foo.java");
    expect(reproducer?.reasons.some((reason) => reason.startsWith("prior: test file"))).toBe(true);
  });

  it("does not let the reporter's `src/main.rs` lift an example over the library", async () => {
    const r = repo({
      "examples/static-server/src/main.rs": "fn main() {\n    serve();\n}\n",
      "lib/src/routing/mod.rs": "pub fn nest_service() {}\npub fn serve() {}\n",
    });
    const top = await ranking(
      r.dir,
      "nest_service breaks ServeDir",
      "thread 'main' panicked at 'boom', /home/me/app/src/main.rs:12:5\n",
    );
    expect(top[0]?.path).toBe("lib/src/routing/mod.rs");
    const example = top.find((file) => file.path === "examples/static-server/src/main.rs");
    expect(example?.reasons.some((reason) => reason.startsWith("prior: example"))).toBe(true);
    expect(example?.reasons.find((reason) => reason.startsWith("prior:"))).not.toContain("0.90");
  });

  it("finds a message in the source even when translation catalogs repeat it", async () => {
    const catalogs: Record<string, string> = {};
    for (const lang of ["de", "fr", "es", "it", "pl", "pt", "ru", "ja", "ko", "zh"]) {
      catalogs[`pkg/locale/${lang}/messages.po`] =
        `msgid "Malformed option description %r"\nmsgstr "x"\n`;
    }
    const r = repo({
      ...catalogs,
      "pkg/domains/std.py":
        "def parse(text):\n    warn('Malformed option description %r' % text)\n",
      "pkg/errors.py": "class SphinxWarning(Exception):\n    pass\n",
    });
    const top = await ranking(
      r.dir,
      "Options rejected",
      "```\ndocs/x.rst:4:Malformed option description '[enable=]PATTERN'\n```\n",
    );
    expect(top[0]?.path).toBe("pkg/domains/std.py");
    expect(top[0]?.reasons.some((reason) => reason.startsWith("message"))).toBe(true);
  });

  it("finds a compound name that two words of prose spell out (Dataset repr → dataset_repr)", async () => {
    const r = repo({
      "pkg/core/formatting.py":
        "def dataset_repr(ds):\n    return str(ds)\n\ndef array_repr(a):\n    return str(a)\n",
      "pkg/core/dataset.py": "class Dataset:\n    def __repr__(self):\n        return 'x'\n",
      "pkg/core/units.py": "def convert(value):\n    return value\n",
    });
    const top = await ranking(
      r.dir,
      "Feature request: show units in dataset overview",
      "It would be nice if the units were shown in the Dataset repr.",
    );
    const formatting = top.find((file) => file.path === "pkg/core/formatting.py");
    expect(formatting?.reasons).toContain('defines dataset_repr ("Dataset repr")');
    expect(top.slice(0, 2).map((file) => file.path)).toContain("pkg/core/formatting.py");
  });
});

describe("traits and mixins", () => {
  it("resolves PHP trait uses inside a class and Ruby includes, not top-level imports", () => {
    const paths = [
      "src/Validation/Validator.php",
      "src/Validation/Concerns/FormatsMessages.php",
      "src/Validation/Concerns/ValidatesAttributes.php",
      "src/Support/Arr.php",
      "lib/site/drops/document_drop.rb",
      "lib/site/convertible.rb",
    ];
    const index = new PathIndex(paths);
    const php = [
      "<?php",
      "namespace App\\Validation;",
      "use App\\Support\\Arr;",
      "class Validator {",
      "    use Concerns\\FormatsMessages,",
      "        Concerns\\ValidatesAttributes;",
      "}",
    ].join("\n");
    const traits = resolveComposition(paths[0] ?? "", php, index).map((i) => paths[i]);
    expect(traits.sort()).toEqual([
      "src/Validation/Concerns/FormatsMessages.php",
      "src/Validation/Concerns/ValidatesAttributes.php",
    ]);
    const ruby = "module Site\n  class DocumentDrop\n    include Convertible\n  end\nend\n";
    const mixins = resolveComposition(paths[4] ?? "", ruby, index).map((i) => paths[i]);
    expect(mixins).toEqual(["lib/site/convertible.rb"]);
  });

  it("lifts the trait that implements a class's behaviour", async () => {
    const r = repo({
      "src/Validation/Validator.php":
        "<?php\nclass Validator {\n    use Concerns\\FormatsMessages;\n    public function passes() { return $this->messages; }\n}\n",
      "src/Validation/Concerns/FormatsMessages.php":
        "<?php\ntrait FormatsMessages {\n    protected function getMessage($attribute) { return 'custom'; }\n}\n",
      "src/Validation/Rule.php":
        "<?php\nclass Rule {\n    public function custom() { return 'custom'; }\n}\n",
      "src/Validation/Factory.php":
        "<?php\nclass Factory {\n    public function make() { return 'custom'; }\n}\n",
    });
    const top = await ranking(r.dir, "Validator passes() breaks custom messages");
    expect(top[0]?.path).toBe("src/Validation/Validator.php");
    const trait = top.find((file) => file.path === "src/Validation/Concerns/FormatsMessages.php");
    expect(trait?.reasons).toContain("trait or mixin of src/Validation/Validator.php");
    expect(top.slice(0, 2).map((file) => file.path)).toContain(
      "src/Validation/Concerns/FormatsMessages.php",
    );
  });
});
