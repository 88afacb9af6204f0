import { describe, expect, it } from "@jest/globals";
import { applyHunk, occurrences } from "../../../action/edits/hunk-match.js";

const PY = [
  "import re",
  "",
  "",
  "class Validator:",
  "    def __call__(self, value):",
  "        if not value:",
  "            raise ValueError(value)",
  "        return value.strip()",
  "",
  "    def other(self, value):",
  "        if not value:",
  "            raise ValueError(value)",
  "        return value",
  "",
].join("\n");

function ok(
  text: string,
  search: string,
  replace: string,
): { text: string; level: string; line: number } {
  const outcome = applyHunk(text, { search, replace });
  if (!outcome.ok) throw new Error(`expected success, got: ${outcome.message}`);
  return outcome;
}

describe("applyHunk: exact", () => {
  it("replaces a unique substring and reports its line", () => {
    const r = ok(PY, "        return value.strip()\n", "        return value.strip().lower()\n");
    expect(r.level).toBe("exact");
    expect(r.line).toBe(8);
    expect(r.text).toBe(PY.replace("return value.strip()", "return value.strip().lower()"));
  });

  it("refuses a search that occurs twice and names both lines", () => {
    const outcome = applyHunk(PY, {
      search: "        if not value:\n            raise ValueError(value)\n",
      replace: "        if value is None:\n            raise TypeError()\n",
    });
    expect(outcome).toEqual({
      ok: false,
      reason: "ambiguous",
      message:
        "search text matches 2 places (lines 6 and 11); add surrounding lines to make it unique",
    });
  });

  it("refuses an empty or blank search", () => {
    const outcome = applyHunk(PY, { search: "  \n", replace: "x" });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toBe("empty-search");
  });

  it("deletes text when the replacement is empty", () => {
    const r = ok("a\nb\nc\n", "b\n", "");
    expect(r.text).toBe("a\nc\n");
  });
});

describe("applyHunk: tolerant ladder", () => {
  it("matches an LF hunk in a CRLF file and writes CRLF", () => {
    const crlf = PY.replace(/\n/g, "\r\n");
    const r = ok(
      crlf,
      "        return value.strip()\n",
      "        # trimmed\n        return value.strip()\n",
    );
    expect(r.level).toBe("line-endings");
    expect(r.text).toBe(
      crlf.replace(
        "        return value.strip()\r\n",
        "        # trimmed\r\n        return value.strip()\r\n",
      ),
    );
    expect(r.text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("matches a CRLF hunk in an LF file and writes LF", () => {
    const r = ok(PY, "        return value\r\n\r\n", "        return value or None\r\n\r\n");
    expect(r.text).toBe(PY.replace("        return value\n", "        return value or None\n"));
  });

  it("tolerates trailing whitespace and drops the model's from new lines", () => {
    const search = "    def other(self, value):   \n        if not value:  \n";
    const replace = "    def other(self, value):   \n        if value is None:  \n";
    const r = ok(PY, search, replace);
    expect(r.level).toBe("trailing-whitespace");
    expect(r.text).toBe(
      PY.replace(
        "    def other(self, value):\n        if not value:",
        "    def other(self, value):\n        if value is None:",
      ),
    );
  });

  it("tolerates a dedented hunk and re-indents the replacement", () => {
    const search =
      "def other(self, value):\n    if not value:\n        raise ValueError(value)\n    return value\n";
    const replace =
      "def other(self, value):\n    if not value:\n        raise ValueError(value)\n    log(value)\n    return value\n";
    const r = ok(PY, search, replace);
    expect(r.level).toBe("indentation");
    expect(r.line).toBe(10);
    expect(r.text).toBe(
      PY.replace(
        "            raise ValueError(value)\n        return value\n",
        "            raise ValueError(value)\n        log(value)\n        return value\n",
      ),
    );
  });

  it("tolerates an over-indented hunk and removes the extra indentation", () => {
    const shifted = (s: string): string =>
      s
        .split("\n")
        .map((l) => (l === "" ? l : `\t${l}`))
        .join("\n");
    const search = "        return value.strip()\n\n    def other(self, value):\n";
    const replace =
      "        return value.strip()\n\n    @staticmethod\n    def other(self, value):\n";
    const r = ok(PY, shifted(search), shifted(replace));
    expect(r.level).toBe("indentation");
    expect(r.text).toBe(PY.replace("\n    def other", "\n    @staticmethod\n    def other"));
  });

  it("keeps a re-indented line as a change, not as context", () => {
    const text = "def f():\n    x()\n    y()\n";
    const r = ok(text, "x()\ny()\n", "if c:\n    x()\n    y()\n");
    expect(r.text).toBe("def f():\n    if c:\n        x()\n        y()\n");
  });

  it("tolerates differing blank lines", () => {
    const search = "import re\n\nclass Validator:\n";
    const replace = "import re\n\nclass Validator:\n    strict = True\n";
    const r = ok(PY, search, replace);
    expect(r.level).toBe("blank-lines");
    expect(r.text).toContain("class Validator:\n    strict = True\n    def __call__");
  });

  it("refuses tolerant matches that are ambiguous instead of guessing", () => {
    const text = "if a:\n    go()\nelse:\n        go()\n";
    const outcome = applyHunk(text, { search: "  go()\n", replace: "  stop()\n" });
    // "  go()" is an exact substring of both lines.
    expect(outcome.ok).toBe(false);
    const tolerant = applyHunk("a:\n    go()\nb:\n        go()\n", {
      search: "go()\n\n",
      replace: "stop()\n",
    });
    expect(tolerant.ok).toBe(false);
    if (!tolerant.ok) expect(tolerant.message).toMatch(/matches 2 places \(lines 2 and 4\)/);
  });

  it("does not take a new blank line for a whitespace-only context line", () => {
    const text = "class A {\n\tA(int a) {\n\t}\n\t\n\tvoid f() {}\n}\n";
    const search = "A(int a) {\n}\n\t\nvoid f() {}\n";
    const replace = "A(int a) {\n}\n\nA() {\n}\n\t\nvoid f() {}\n";
    const r = ok(text, search, replace);
    expect(r.text).toBe("class A {\n\tA(int a) {\n\t}\n\n\tA() {\n\t}\n\t\n\tvoid f() {}\n}\n");
  });

  it("adds the final newline a tolerant hunk adds", () => {
    const r = ok("    a = 1\n    b = 2", "a = 1\nb = 2", "a = 1\nb = 3\n");
    expect(r.level).toBe("indentation");
    expect(r.text).toBe("    a = 1\n    b = 3\n");
  });

  it("deletes a blank line the hunk removes, at a tolerant level too", () => {
    const text = 'def f():\n    """Doc."""\n\n    g()\n\n\ndef h():\n    pass\n';
    const r = ok(text, "\ng()\n", "if x:\n    g()\n");
    expect(r.level).toBe("indentation");
    expect(r.text).toBe(
      'def f():\n    """Doc."""\n    if x:\n        g()\n\n\ndef h():\n    pass\n',
    );
  });

  it("does not multiply blank lines a model wraps around both sides", () => {
    const r = ok("a()\n  b()\nc()\n", "\n\nb()\n\n", "\n\nb2()\n\n");
    expect(r.text).toBe("a()\n  b2()\nc()\n");
  });

  it("keeps a missing final newline", () => {
    const r = ok("a = 1\nb = 2", "  b = 2\n", "  b = 3\n");
    expect(r.text).toBe("a = 1\nb = 3");
  });
});

describe("applyHunk: slips a substring match hid", () => {
  // A one-line search indented too little is found inside the line's indentation: the
  // replacement's first line lands right, its later lines a level too shallow. In Python
  // that moved a return out of its `if`, in YAML a key out of its job; both still parse.
  it("re-indents every line of a replacement whose search began inside the indentation", () => {
    const py = "def f(value):\n    if value:\n        return value\n    return 0\n";
    const outcome = applyHunk(py, {
      search: "    return value",
      replace: "    log(value)\n    return value",
    });
    expect(outcome).toMatchObject({ ok: true, level: "indentation", line: 3 });
    expect(outcome.ok && outcome.text).toBe(
      "def f(value):\n    if value:\n        log(value)\n        return value\n    return 0\n",
    );
    const yml = "jobs:\n  test:\n    timeout-minutes: 10\n    steps: []\n";
    const yaml = applyHunk(yml, {
      search: "  timeout-minutes: 10\n",
      replace: "  timeout-minutes: 10\n  continue-on-error: true\n",
    });
    expect(yaml.ok && yaml.text).toBe(
      "jobs:\n  test:\n    timeout-minutes: 10\n    continue-on-error: true\n    steps: []\n",
    );
    // A change within one line stays an exact match, wherever the line starts.
    expect(applyHunk(py, { search: "return value", replace: "return value + 1" })).toMatchObject({
      ok: true,
      level: "exact",
    });
  });

  // Read as indentation, the mark was copied onto the new line, where Python refuses it
  // and the model, which cannot see it, could not repair it.
  it("keeps a byte order mark at the start of the file only", () => {
    const outcome = applyHunk("\uFEFFimport os\nimport sys\n", {
      search: "import os \n",
      replace: "import os\nimport json\n",
    });
    expect(outcome.ok && outcome.text).toBe("\uFEFFimport os\nimport json\nimport sys\n");
  });
});

describe("applyHunk: not found", () => {
  it("points at the closest region and the first differing line", () => {
    const outcome = applyHunk(PY, {
      search:
        "    def other(self, value):\n        if not value:\n            raise KeyError(value)\n",
      replace: "x\n",
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toBe("not-found");
    expect(outcome.message).toBe(
      'search text not found; closest region lines 10–12 (2 of 3 lines equal) differs at line 12: expected "raise KeyError(value)", found "raise ValueError(value)"',
    );
  });

  it("says when no line of the search exists", () => {
    const outcome = applyHunk(PY, { search: "totally absent\n", replace: "" });
    expect(!outcome.ok && outcome.message).toMatch(
      /no line of it occurs in the file \(first line: "totally absent"\)/,
    );
  });
});

describe("occurrences", () => {
  it("counts overlapping matches", () => {
    expect(occurrences("aaaa", "aa")).toEqual([0, 1, 2]);
    expect(occurrences("abc", "")).toEqual([]);
  });
});
