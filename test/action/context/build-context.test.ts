import { describe, expect, it } from "@jest/globals";
import { buildContext, rankRepository } from "../../../action/context/build-context.js";
import { ContextSchema, estimateTokens } from "../../../protocol/index.js";
import { fixtureRepo, reposPerTest } from "./fixture-repo.js";

const { repo } = reposPerTest();

/** A little Python project: enough files for BM25 statistics to mean something. */
function pythonProject(): Record<string, string> {
  return {
    "shop/__init__.py": "from .cart import Cart\n",
    "shop/cart.py": [
      "from .pricing import apply_discount",
      "",
      "class Cart:",
      "    def __init__(self):",
      "        self.items = []",
      "",
      "    def add(self, item, quantity=1):",
      "        self.items.append((item, quantity))",
      "",
      "    def total(self):",
      "        return apply_discount(sum(i.price * q for i, q in self.items))",
      "",
    ].join("\n"),
    "shop/pricing.py": [
      "DISCOUNT_RATE = 0.1",
      "",
      "def apply_discount(amount):",
      "    if amount < 0:",
      '        raise ValueError("amount must not be negative")',
      "    return amount * (1 - DISCOUNT_RATE)",
      "",
      "def format_price(amount):",
      '    return f"{amount:.2f}"',
      "",
    ].join("\n"),
    "shop/inventory.py": "class Inventory:\n    def reserve(self, item):\n        return True\n",
    "shop/shipping.py": "def shipping_cost(weight):\n    return 5 + weight * 0.5\n",
    "tests/test_pricing.py": [
      "from shop.pricing import apply_discount",
      "",
      "def test_apply_discount():",
      "    assert apply_discount(100) == 90",
      "",
      "def test_apply_discount_negative_amount():",
      "    apply_discount(-1)",
      "",
    ].join("\n"),
    "docs/pricing.md":
      "# Pricing\n\nThe discount is applied by apply_discount on the cart total.\n",
    "README.md": "# Shop\n",
  };
}

/** A module far larger than a 4000-token budget, the function issues name in its middle. */
function largePricingModule(): string {
  const filler = (name: string) =>
    Array.from(
      { length: 600 },
      (_, i) => `def ${name}_${i}(value):\n    return value + ${i}\n`,
    ).join("\n");
  return `${filler("helper")}\ndef apply_discount(amount):\n    return amount * 0.9\n\n${filler("rounding")}`;
}

/** The context for an issue naming the function in the middle of {@link largePricingModule}. */
async function largePricingContext() {
  const r = repo({ "shop/pricing.py": largePricingModule() });
  return buildContext({
    repoDir: r.dir,
    title: "apply_discount accepts negative amounts",
    body: "",
    tokenBudget: 4000,
  });
}

async function rankedPaths(dir: string, title: string, body: string): Promise<string[]> {
  const { ranking } = await rankRepository({ repoDir: dir, title, body });
  return ranking.map((file) => file.path);
}

describe("ranking signals", () => {
  it("puts the file a stack trace points at first", async () => {
    const r = repo(pythonProject());
    const { ranking } = await rankRepository({
      repoDir: r.dir,
      title: "Crash when checking out",
      body: [
        "Traceback (most recent call last):",
        '  File "/srv/app/main.py", line 3, in <module>',
        '  File "/usr/lib/python3/site-packages/shop/shipping.py", line 2, in shipping_cost',
        "TypeError: unsupported operand",
      ].join("\n"),
    });
    expect(ranking[0]?.path).toBe("shop/shipping.py");
    expect(ranking[0]?.reasons.some((reason) => reason.startsWith("stack frame"))).toBe(true);
  });

  it("does not take another project's frame for a file of the same name elsewhere here", async () => {
    const r = repo({
      ...pythonProject(),
      "shop/transfer/types.py": "class TransferType:\n    pass\n",
      "backend/server.py": "def serve():\n    pass\n",
    });
    const { ranking } = await rankRepository({
      repoDir: r.dir,
      title: "Crash when checking out",
      body: [
        "Traceback (most recent call last):",
        '  File "/app/server.py", line 2, in serve',
        '  File "/venv/lib/site-packages/boto3/dynamodb/types.py", line 279, in deserialize',
        "TypeError: unsupported operand",
      ].join("\n"),
    });
    const frameReasons = (path: string) =>
      ranking
        .find((file) => file.path === path)
        ?.reasons.filter((reason) => reason.startsWith("stack frame")) ?? [];
    // boto3's installed dynamodb/types.py is not shop/transfer/types.py ...
    expect(frameReasons("shop/transfer/types.py")).toEqual([]);
    // ... while a file of a name only it has is this one, wherever the code was deployed.
    expect(frameReasons("backend/server.py")).toHaveLength(1);
  });

  it("finds the file that defines a symbol the issue mentions", async () => {
    const r = repo(pythonProject());
    const paths = await rankedPaths(
      r.dir,
      "Wrong total when a discount applies",
      "Calling `apply_discount()` rounds the wrong way.",
    );
    expect(paths[0]).toBe("shop/pricing.py");
  });

  it("prefers the source file over its test file and docs", async () => {
    const r = repo(pythonProject());
    const { ranking } = await rankRepository({
      repoDir: r.dir,
      title: "apply_discount accepts negative amounts silently",
      body: "apply_discount should reject a negative amount",
    });
    const paths = ranking.map((file) => file.path);
    expect(paths.indexOf("shop/pricing.py")).toBeLessThan(paths.indexOf("tests/test_pricing.py"));
    expect(paths.indexOf("shop/pricing.py")).toBeLessThan(paths.indexOf("docs/pricing.md"));
    const test = ranking.find((file) => file.path === "tests/test_pricing.py");
    expect(test?.reasons.some((reason) => reason.includes("test file"))).toBe(true);
  });

  it("finds an error message verbatim", async () => {
    const r = repo(pythonProject());
    const { ranking } = await rankRepository({
      repoDir: r.dir,
      title: "Unhelpful error",
      body: "I get `amount must not be negative` but I passed a refund",
    });
    expect(ranking[0]?.path).toBe("shop/pricing.py");
    expect(ranking[0]?.reasons.some((reason) => reason.startsWith("message"))).toBe(true);
  });

  it("maps a qualified name and a written path to files", async () => {
    const r = repo(pythonProject());
    expect((await rankedPaths(r.dir, "Odd behaviour", "see shop.inventory.Inventory"))[0]).toBe(
      "shop/inventory.py",
    );
    expect((await rankedPaths(r.dir, "Odd behaviour", "look at shop/shipping.py please"))[0]).toBe(
      "shop/shipping.py",
    );
  });

  it("ranks a file by what it defines in other languages (no parser needed)", async () => {
    const r = repo({
      "src/lexer.rs": "pub struct Lexer {}\nimpl Lexer {\n    pub fn next_token(&mut self) {}\n}\n",
      "src/parser.rs": "use crate::lexer::Lexer;\npub fn parse_expression(l: &mut Lexer) {}\n",
      "pkg/server/handler.go":
        "package server\n\nfunc (h *Handler) ServeHTTP(w http.ResponseWriter) {}\n",
      "lib/Widget.java":
        "public class Widget {\n  public int computeLayout(int width) { return width; }\n}\n",
    });
    expect((await rankedPaths(r.dir, "next_token skips whitespace wrongly", ""))[0]).toBe(
      "src/lexer.rs",
    );
    expect((await rankedPaths(r.dir, "computeLayout ignores padding", ""))[0]).toBe(
      "lib/Widget.java",
    );
    expect((await rankedPaths(r.dir, "ServeHTTP panics on HEAD", ""))[0]).toBe(
      "pkg/server/handler.go",
    );
  });

  it("skips huge and binary files and says so", async () => {
    const r = repo({
      "src/big.py": `def apply_discount():\n${"    x = 1\n".repeat(200_000)}`,
      "src/blob.dat2": new Uint8Array([0x61, 0, 0x62, 0x61, 0x70, 0x70, 0x6c, 0x79]),
      "src/small.py": "def other():\n    return apply_discount\n",
    });
    const { ranking, excluded } = await rankRepository({
      repoDir: r.dir,
      title: "apply_discount is slow",
      body: "",
    });
    expect(ranking.map((file) => file.path)).toEqual(["src/small.py"]);
    expect(excluded.find((e) => e.path === "src/big.py")?.reason).toMatch(/too large/);
    expect(excluded).toContainEqual({ path: "src/blob.dat2", reason: "binary" });
  });

  it("fails clearly for a missing repository", async () => {
    await expect(
      rankRepository({ repoDir: "/nonexistent/repo", title: "x", body: "" }),
    ).rejects.toThrow(/repository directory not found/);
  });
});

describe("buildContext", () => {
  it("returns excerpts of enclosing functions, within the budget, valid for the protocol", async () => {
    const r = repo(pythonProject());
    const context = await buildContext({
      repoDir: r.dir,
      title: "apply_discount accepts negative amounts",
      body: "",
      tokenBudget: 4000,
    });
    expect(() => ContextSchema.parse({ ...context, ranking: undefined })).not.toThrow();
    const pricing = context.files.find((file) => file.path === "shop/pricing.py");
    expect(pricing).toBeDefined();
    const excerpt = pricing?.excerpts.find((e) => e.text.includes("def apply_discount"));
    expect(excerpt?.text).toContain("return amount * (1 - DISCOUNT_RATE)");
    // Small for its rank: sent whole, the function the issue names and the rest.
    expect(excerpt?.text).toContain("def format_price");
    expect(excerpt?.startLine).toBe(1);
    expect(context.tree.totalFiles).toBe(8);
    expect(context.tokenEstimate).toBeLessThanOrEqual(4000);
    expect(context.tokenEstimate).toBe(
      estimateTokens(
        JSON.stringify({ files: context.files, omitted: context.omitted, tree: context.tree }),
      ),
    );
  });

  it("sends the enclosing function, not the whole file, when the file is large for its rank", async () => {
    const context = await largePricingContext();
    const excerpts = context.files.find((file) => file.path === "shop/pricing.py")?.excerpts;
    const excerpt = excerpts?.find((e) => e.text.includes("def apply_discount"));
    expect(excerpt?.text).toContain("return amount * 0.9");
    expect(excerpt?.text).not.toContain("def helper_0(");
    expect(excerpts?.[0]?.startLine).toBeGreaterThan(1);
    expect(context.tokenEstimate).toBeLessThanOrEqual(4000);
  });

  it("widens the best file's regions into the budget its rank earns", async () => {
    const context = await largePricingContext();
    const excerpt = context.files
      .find((file) => file.path === "shop/pricing.py")
      ?.excerpts.find((e) => e.text.includes("def apply_discount"));
    // Ten functions above the one the issue names, and ten below: no word of the issue
    // is there, only spare budget brings them.
    expect(excerpt?.text).toContain("def helper_590(");
    expect(excerpt?.text).toContain("def rounding_9(");
    expect(context.tokenEstimate).toBeLessThanOrEqual(4000);
  });

  it("says where the evidence is in what it sends: the matched regions, before widening, best first", async () => {
    // Sent whole (small for its rank): the focus is the function the issue names.
    const small = await buildContext({
      repoDir: repo(pythonProject()).dir,
      title: "apply_discount accepts negative amounts",
      body: "",
      tokenBudget: 4000,
    });
    const pricing = small.files.find((file) => file.path === "shop/pricing.py");
    expect(pricing?.excerpts).toEqual([expect.objectContaining({ startLine: 1 })]);
    expect(pricing?.focus?.[0]).toEqual({ startLine: 3, endLine: 6 });
    // Sent in part: the focus is the region matched, inside the widened excerpt.
    const large = await largePricingContext();
    const module = largePricingModule().split("\n");
    const defLine = module.indexOf("def apply_discount(amount):") + 1;
    const file = large.files.find((f) => f.path === "shop/pricing.py");
    const focus = file?.focus?.[0] ?? { startLine: 0, endLine: 0 };
    expect(focus.startLine).toBeLessThanOrEqual(defLine);
    expect(focus.endLine).toBeGreaterThan(defLine);
    const holding = file?.excerpts.find(
      (e) => e.startLine <= focus.startLine && focus.endLine <= e.endLine,
    );
    expect(holding && holding.endLine - holding.startLine).toBeGreaterThan(
      focus.endLine - focus.startLine + 10,
    );
    expect(() => ContextSchema.parse({ ...large, ranking: undefined })).not.toThrow();
    expect(large.tokenEstimate).toBeLessThanOrEqual(4000);
  });

  it("shows a file sent in part with its imports, which are not its focus", async () => {
    const imports = "import decimal\nfrom shop.money import (\n    Money,\n    round_half_up,\n)\n";
    const r = repo({ "shop/pricing.py": imports + largePricingModule() });
    const context = await buildContext({
      repoDir: r.dir,
      title: "apply_discount accepts negative amounts",
      body: "",
      tokenBudget: 4000,
    });
    const file = context.files.find((f) => f.path === "shop/pricing.py");
    // Sent in part: the matched function is far from the top, yet the imports are shown.
    expect(file?.excerpts.some((e) => e.text.includes("def apply_discount"))).toBe(true);
    expect(file?.excerpts[0]?.startLine).toBe(1);
    expect(file?.excerpts[0]?.text).toContain("    round_half_up,\n)");
    expect(file?.excerpts.map((e) => e.text).join("\n")).not.toContain("def helper_300(");
    expect(file?.focus?.some((f) => f.startLine === 1)).toBe(false);
    expect(context.tokenEstimate).toBeLessThanOrEqual(4000);
  });

  it("gives the best ranked file a larger share of the budget than the next", async () => {
    const r = repo({
      "shop/pricing.py": largePricingModule(),
      "shop/discounts.py": largePricingModule(),
    });
    const context = await buildContext({
      repoDir: r.dir,
      title: "apply_discount in shop/pricing.py accepts negative amounts",
      body: "",
      tokenBudget: 6000,
    });
    const [first, second] = context.ranking.map((file) => file.path);
    const shown = (path: string | undefined) =>
      (context.files.find((file) => file.path === path)?.excerpts ?? []).reduce(
        (sum, e) => sum + e.endLine - e.startLine + 1,
        0,
      );
    expect(first).toBe("shop/pricing.py");
    expect(shown(second)).toBeGreaterThan(0);
    // An even split would show about as many lines of each.
    expect(shown(first)).toBeGreaterThan(2 * shown(second));
    expect(context.tokenEstimate).toBeLessThanOrEqual(6000);
  });

  it("lists what it leaves out for budget and never includes secrets", async () => {
    const files: Record<string, string> = { ".env": "API_KEY=apply_discount\n" };
    for (let i = 0; i < 30; i++) {
      files[`pkg/module_${i}.py`] =
        `def apply_discount_${i}(amount):\n${"    amount += 1\n".repeat(40)}    return amount\n`;
    }
    const r = repo(files);
    const context = await buildContext({
      repoDir: r.dir,
      title: "apply_discount variants are slow",
      body: "apply_discount_3 and apply_discount_17 in particular",
      tokenBudget: 1500,
      maxFiles: 20,
    });
    expect(context.tokenEstimate).toBeLessThanOrEqual(1500);
    const all = JSON.stringify(context);
    expect(all).not.toContain("API_KEY");
    expect(context.tree.paths).not.toContain(".env");
    expect(context.ranking.map((file) => file.path)).not.toContain(".env");
    const budgetOmitted = context.omitted.filter((entry) => entry.reason === "token budget");
    expect(budgetOmitted.length).toBeGreaterThan(0);
    expect(context.files.length + budgetOmitted.length).toBe(20);
    expect(context.tree.totalFiles).toBe(30);
  });
});

describe("buildContext with a tiny budget", () => {
  it("still fits the budget by listing fewer paths and files", async () => {
    const r = fixtureRepo(pythonProject());
    try {
      const context = await buildContext({
        repoDir: r.dir,
        title: "apply_discount accepts negative amounts",
        body: "",
        tokenBudget: 150,
      });
      expect(context.tokenEstimate).toBeLessThanOrEqual(150);
      expect(context.tree.totalFiles).toBe(8);
      expect(context.tree.paths.length).toBeLessThan(8);
      const budgetOmitted = context.omitted.filter((entry) => entry.reason === "token budget");
      expect(context.files.length + budgetOmitted.length).toBe(context.ranking.length);
      expect(budgetOmitted.length).toBeGreaterThan(0);
    } finally {
      r.remove();
    }
  });
});
