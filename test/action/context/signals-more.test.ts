import { describe, expect, it } from "@jest/globals";
import { rankingOf, reposPerTest } from "./fixture-repo.js";

const { repo } = reposPerTest();
const ranking = rankingOf;

describe("more ranking signals", () => {
  it("maps a namespaced name written with slashes to its file (Style/RedundantSelf)", async () => {
    const r = repo({
      "lib/tool/cop/style/redundant_self.rb": "module Tool\n  class RedundantSelfX\n  end\nend\n",
      "lib/tool/cop/style/redundant_return.rb": "module Tool\n  class Other\n  end\nend\n",
      "lib/tool/cop/layout/indent.rb": "module Tool\nend\n",
    });
    const top = await ranking(r.dir, "Style/RedundantSelf false positive with blocks");
    expect(top[0]?.path).toBe("lib/tool/cop/style/redundant_self.rb");
    expect(top[0]?.reasons).toContain("qualified name Style.RedundantSelf");
  });

  it("finds a file named after a mentioned function", async () => {
    const r = repo({
      "pkg/refine.py": "from .core import handler\n\ndef refine(expr):\n    return handler(expr)\n",
      "pkg/core.py": "def handler():\n    return 2\n",
      "pkg/other.py": "def refine_other():\n    return 3\n",
      "pkg/more.py": "class Simplifier:\n    def refine(self, expr):\n        return expr\n",
    });
    const top = await ranking(r.dir, "`refine()` ignores assumptions");
    expect(top[0]?.path).toBe("pkg/refine.py");
    expect(top[0]?.reasons).toContain("file named after refine");
  });

  it("finds the implementation whose name contains a mentioned annotation", async () => {
    const r = repo({
      "src/api/FieldDefaults.java": "public @interface FieldDefaults {}\n",
      "src/handlers/HandleFieldDefaults.java":
        "public class HandleFieldDefaults {\n  void handle() {}\n}\n",
      "src/handlers/HandleGetter.java": "public class HandleGetter {}\n",
      "src/handlers/HandleSetter.java": "public class HandleSetter {}\n",
    });
    const top = await ranking(r.dir, "@FieldDefaults breaks on records");
    const paths = top.map((file) => file.path);
    expect(paths.slice(0, 2)).toEqual(
      expect.arrayContaining([
        "src/api/FieldDefaults.java",
        "src/handlers/HandleFieldDefaults.java",
      ]),
    );
    const handler = top.find((file) => file.path === "src/handlers/HandleFieldDefaults.java");
    expect(handler?.reasons).toContain("file name contains FieldDefaults");
  });

  it("finds a rare identifier mentioned in a file's text, such as a rule code", async () => {
    const r = repo({
      "rules/unnecessary_spread.rs": "/// ## What it does (PIE800)\npub fn check() {}\n",
      "rules/other_rule.rs": "/// ## What it does (PIE790)\npub fn check() {}\n",
      "rules/mod.rs": "pub mod other_rule;\npub mod unnecessary_spread;\n",
    });
    const top = await ranking(r.dir, "PIE800 fix produces invalid code");
    expect(top[0]?.path).toBe("rules/unnecessary_spread.rs");
    expect(top[0]?.reasons).toContain("mentions PIE800");
  });

  it("prefers the innermost frame in the trace's own order", async () => {
    const files = {
      "app/outer.py": "def outer():\n    inner()\n",
      "app/inner.py": "def inner():\n    raise ValueError()\n",
      "srv/outer.go": "package srv\n\nfunc Outer() { Inner() }\n",
      "srv/inner.go": "package srv\n\nfunc Inner() { panic(1) }\n",
    };
    const r = repo(files);
    const python = await ranking(
      r.dir,
      "Crash",
      'Traceback (most recent call last):\n  File "/x/app/outer.py", line 2, in outer\n  File "/x/app/inner.py", line 2, in inner\nValueError',
    );
    expect(python[0]?.path).toBe("app/inner.py");
    const go = await ranking(
      r.dir,
      "Panic",
      "panic: 1\n\ngoroutine 1 [running]:\nsrv.Inner()\n\t/x/srv/inner.go:3 +0x1\nsrv.Outer()\n\t/x/srv/outer.go:3 +0x2\n",
    );
    expect(go[0]?.path).toBe("srv/inner.go");
  });

  it("lifts a file that the best match imports, when it has evidence of its own", async () => {
    const r = repo({
      "lib/parser.py":
        "from lib.tokens import scan_token\n\ndef parse_header(text):\n    return scan_token(text)\n",
      "lib/tokens.py": "def scan_token(text):\n    return text.split()\n",
      "lib/unrelated.py": "def scan_token_other():\n    return 0\n",
    });
    const top = await ranking(r.dir, "parse_header drops the last token", "token is lost");
    const tokens = top.find((file) => file.path === "lib/tokens.py");
    expect(top[0]?.path).toBe("lib/parser.py");
    expect(tokens?.reasons).toContain("imported by lib/parser.py");
  });
});

describe("directory proximity", () => {
  it("lifts a matching file in the best file's directory above an equal one elsewhere", async () => {
    const r = repo({
      "core/ledger.py": "def reconcile_ledger(entries):\n    return balance(entries)\n",
      "core/balance.py":
        "def balance(entries):\n    # totals of entries\n    return sum(entries)\n",
      "misc/balance_view.py":
        "def balance_view(entries):\n    # totals of entries\n    return sum(entries)\n",
    });
    const top = await ranking(r.dir, "reconcile_ledger totals are wrong", "the totals of entries");
    const paths = top.map((file) => file.path);
    expect(paths[0]).toBe("core/ledger.py");
    expect(paths.indexOf("core/balance.py")).toBeLessThan(paths.indexOf("misc/balance_view.py"));
    const mate = top.find((file) => file.path === "core/balance.py");
    expect(mate?.reasons).toContain("same directory as core/ledger.py");
  });
});
