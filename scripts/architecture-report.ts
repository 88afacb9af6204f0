/**
 * Figures about the code's shape, for reviews of its structure:
 *   npx tsx scripts/architecture-report.ts [--entry FILE:FUNCTION] [--trace]
 *
 * - lines per top-level folder and per second-level folder (sources only);
 * - the longest functions;
 * - imports that cross between action/ and backend/ without going through protocol/;
 * - the call path from an entry function (default: the approve pipeline's entry), walked
 *   depth-first through the project's own functions in call order: the files it enters,
 *   how often it changes file, and how often it returns to a file it had left.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["action", "backend", "protocol", "cli"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.c?ts$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)));
const program = ts.createProgram(files, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  allowJs: false,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
const rel = (path: string) => relative(ROOT, path);

// Lines per folder.
const lines = new Map<string, number>();
for (const file of files) {
  const count = readFileSync(file, "utf8").split("\n").length;
  const parts = rel(file).split("/");
  const top = parts[0] ?? "";
  const second = parts.length > 2 ? `${top}/${parts[1]}` : `${top}/(files)`;
  lines.set(top, (lines.get(top) ?? 0) + count);
  lines.set(second, (lines.get(second) ?? 0) + count);
}

// Longest functions.
interface Fn {
  name: string;
  file: string;
  lines: number;
}
const functions: Fn[] = [];
for (const sf of program.getSourceFiles()) {
  if (!files.includes(sf.fileName)) continue;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isArrowFunction(node)) &&
      node.body
    ) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name =
        (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name
          ? node.name.getText(sf)
          : ts.isVariableDeclaration(node.parent)
            ? node.parent.name.getText(sf)
            : "(anonymous)";
      if (name !== "(anonymous)")
        functions.push({ name, file: rel(sf.fileName), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
functions.sort((a, b) => b.lines - a.lines);

// Imports across the halves.
const crossings: string[] = [];
for (const sf of program.getSourceFiles()) {
  if (!files.includes(sf.fileName)) continue;
  const from = rel(sf.fileName).split("/")[0];
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const spec = statement.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith(".")) continue;
    const targetPath = rel(resolve(sf.fileName, "..", spec.text));
    const target = targetPath.split("/")[0];
    // Before the contract had a folder of its own it lived in backend/protocol/.
    const viaContract = targetPath.startsWith("backend/protocol/");
    if (
      ((from === "action" && target === "backend") ||
        (from === "backend" && target === "action")) &&
      !viaContract
    )
      crossings.push(`${rel(sf.fileName)} → ${spec.text}`);
  }
}

// The call path from an entry function.
const entryArg = process.argv.includes("--entry")
  ? process.argv[process.argv.indexOf("--entry") + 1]
  : undefined;
const defaultEntries = [
  "action/pipelines/code.ts:runApprovePipeline",
  "action/modes/code-mode.ts:runCodeMode",
];
function findFunction(spec: string): ts.FunctionLikeDeclaration | undefined {
  const [file, name] = spec.split(":");
  const sf = program.getSourceFile(join(ROOT, file ?? ""));
  if (!sf) return undefined;
  let found: ts.FunctionLikeDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name?.text === name) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
const entrySpec = entryArg ?? defaultEntries.find((s) => findFunction(s) !== undefined);
const entry = entrySpec ? findFunction(entrySpec) : undefined;
/**
 * The call path from `entry`, depth-first in call order, through the functions of the
 * files `within` accepts: the files it enters, how often it changes file, and how often it
 * returns to a file it had left (not the one it just left).
 */
function walkPath(within: (file: string) => boolean) {
  const trail: string[] = [];
  // Calls into a file entered before that is not on the call stack: the path going back
  // sideways to a room it had finished with, rather than returning up to its caller.
  const stack: string[] = [];
  let sideways = 0;
  if (entry) {
    const seen = new Set<ts.Node>();
    const walk = (fn: ts.FunctionLikeDeclaration): void => {
      if (seen.has(fn)) return;
      seen.add(fn);
      const file = rel(fn.getSourceFile().fileName);
      if (trail.includes(file) && !stack.includes(file)) sideways++;
      trail.push(file);
      stack.push(file);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
          let symbol = checker.getSymbolAtLocation(node.expression);
          if (symbol && symbol.flags & ts.SymbolFlags.Alias)
            symbol = checker.getAliasedSymbol(symbol);
          const decl = symbol?.declarations?.find(
            (d): d is ts.FunctionLikeDeclaration =>
              (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) && d.body !== undefined,
          );
          const target = decl && rel(decl.getSourceFile().fileName);
          if (decl && target && files.includes(decl.getSourceFile().fileName) && within(target)) {
            walk(decl);
            trail.push(file);
          }
        }
        ts.forEachChild(node, visit);
      };
      if (fn.body) visit(fn.body);
      stack.pop();
    };
    walk(entry);
  }
  const changes: string[] = [];
  for (const file of trail) if (changes.at(-1) !== file) changes.push(file);
  let returns = 0;
  // An orchestrator gets control back after every step that went deeper than one file:
  // such returns are the shape of a pipeline, not back-and-forth, so they are also
  // counted on their own.
  let returnsToEntry = 0;
  const entryFile = changes[0];
  const left = new Set<string>();
  for (let i = 1; i < changes.length; i++) {
    left.add(changes[i - 1] ?? "");
    if (left.has(changes[i] ?? "") && changes[i] !== changes[i - 2]) {
      returns++;
      if (changes[i] === entryFile) returnsToEntry++;
    }
  }
  return {
    files: new Set(changes).size,
    changes: Math.max(0, changes.length - 1),
    returns,
    returnsToEntry,
    sideways,
    changesList: changes,
  };
}

/** The run's rooms: orchestration, not the leaf libraries (GitHub calls, ranking, edits). */
const LEAVES = /^action\/(context|edits|parsing|github|transport|plan)\/|^protocol\//;
const allFiles = walkPath(() => true);
const rooms = walkPath((file) => file.startsWith("action/") && !LEAVES.test(file));

console.log("## Lines per folder\n");
for (const [folder, count] of [...lines].sort())
  console.log(`${folder.includes("/") ? "  " : ""}${folder}: ${count}`);
console.log("\n## Longest functions\n");
for (const fn of functions.slice(0, 10)) console.log(`${fn.lines}\t${fn.name}\t${fn.file}`);
console.log(`\n## Imports between action/ and backend/ outside protocol/: ${crossings.length}\n`);
for (const c of crossings) console.log(`  ${c}`);
console.log(`\n## Call path from ${entrySpec ?? "(no entry found)"}\n`);
console.log(
  "| walked through | files entered | changes of file | returns to a file left earlier | of which to the entry's file | sideways re-entries (into a file left, not a caller) |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
console.log(
  `| every project function | ${allFiles.files} | ${allFiles.changes} | ${allFiles.returns} | ${allFiles.returnsToEntry} | ${allFiles.sideways} |`,
);
console.log(
  `| orchestration only (run, gate, pipelines, steps) | ${rooms.files} | ${rooms.changes} | ${rooms.returns} | ${rooms.returnsToEntry} | ${rooms.sideways} |`,
);
// `--trace`: the orchestration path itself, one file per change, to see where it goes back.
if (process.argv.includes("--trace")) {
  console.log("\n## Orchestration path, file by file\n");
  rooms.changesList.forEach((file, i) => console.log(`${String(i).padStart(3)}  ${file}`));
}
