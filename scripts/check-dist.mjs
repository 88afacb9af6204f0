// Fails when a bundle under dist/ would resolve a module at run time that is not inside
// dist/. A runner downloads the repository at the Action's ref and runs
// `node dist/index.js` with no node_modules anywhere, so every package must be bundled;
// only Node's built-ins may be required at run time. The worker runs in its container
// image, where the native node-llama-cpp is installed beside it (RUNTIME_PACKAGES).
//
// Reads each bundle's syntax tree (acorn), not its text: comments and strings that merely
// mention `require("x")` do not count, and renamed requires (`foo_require("x")`,
// `createRequire(url)("x")`) and `import("x")` do.
import { parse } from "acorn";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The directory to check: dist/ by default; tests pass one of their own.
const dist = resolve(
  process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "dist"),
);

/** Packages a bundle may load from outside dist/, by bundle folder, and why. */
const RUNTIME_PACKAGES = {
  // The embedded model backend: a native addon, installed in the worker image and by
  // `npm ci` for the CLI; never loaded by the Action.
  worker: ["node-llama-cpp"],
  cli: ["node-llama-cpp"],
};

function bundleFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...bundleFiles(path));
    else if (/\.(m|c)?js$/.test(name)) files.push(path);
  }
  return files;
}

/** Every module specifier the file asks for by a literal name at run time. */
function runtimeSpecifiers(source) {
  const tree = parse(source, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true });
  const found = [];
  const literal = (node) =>
    node && node.type === "Literal" && typeof node.value === "string" ? node.value : undefined;
  const visit = (node) => {
    if (!node || typeof node.type !== "string") return;
    switch (node.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
      case "ExportNamedDeclaration":
        if (node.source) found.push(literal(node.source));
        break;
      case "ImportExpression":
        found.push(literal(node.source));
        break;
      case "CallExpression": {
        const callee = node.callee;
        const named =
          (callee.type === "Identifier" && /require/i.test(callee.name)) ||
          (callee.type === "MemberExpression" &&
            callee.property.type === "Identifier" &&
            /^require$/i.test(callee.property.name)) ||
          (callee.type === "CallExpression" &&
            callee.callee.type === "Identifier" &&
            /createRequire/.test(callee.callee.name));
        if (named && node.arguments.length === 1) found.push(literal(node.arguments[0]));
        break;
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object" && typeof value.type === "string") visit(value);
    }
  };
  visit(tree);
  return found.filter((s) => s !== undefined);
}

const problems = [];
for (const file of bundleFiles(dist)) {
  const rel = join("dist", relative(dist, file));
  const folder = relative(dist, dirname(file));
  const allowed = RUNTIME_PACKAGES[folder] ?? [];
  for (const specifier of runtimeSpecifiers(readFileSync(file, "utf8"))) {
    if (isBuiltin(specifier)) continue;
    if (specifier.startsWith(".") || specifier.startsWith("/")) {
      if (!existsSync(resolve(dirname(file), specifier)))
        problems.push(`${rel}: loads ${specifier}, which is not in dist/`);
      continue;
    }
    const pkg = specifier.startsWith("@")
      ? specifier.split("/").slice(0, 2).join("/")
      : specifier.split("/")[0];
    if (!allowed.includes(pkg))
      problems.push(`${rel}: requires module '${specifier}' at run time, which is not bundled`);
  }
}

if (problems.length > 0) {
  console.error("dist/ is not self-contained:");
  for (const problem of [...new Set(problems)]) console.error(`  ${problem}`);
  console.error(
    "Bundle the module (a static import ncc can follow), or list it in RUNTIME_PACKAGES with the reason.",
  );
  process.exit(1);
}
console.log("dist/ is self-contained: only Node built-ins and the listed runtime packages");
