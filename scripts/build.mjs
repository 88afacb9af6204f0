// Builds the committed bundles in dist/: tsc compiles the TypeScript to ES modules in
// .build/, then ncc bundles each entry. (ncc's own TypeScript loader emits CommonJS,
// which cannot import the ESM-only @actions packages; bundling tsc's ESM output can.)
//   dist/index.js   the Action (action.yml runs it on node24)
//   dist/cli.js     the issue-agent command line
//   dist/worker.js  the backend worker (npm run worker, the container's entry point)
// Each bundle gets its own folder because ncc emits helper files with fixed names;
// dist/cli.js and dist/worker.js are one-line entries into theirs. node-llama-cpp stays
// external: it is a native addon, loaded only by the embedded model backend.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tsImport } from "tsx/esm/api";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const ncc = join(root, "node_modules", "@vercel", "ncc", "dist", "ncc", "cli.js");

const bundles = [
  { entry: ".build/action/main.js", out: dist },
  { entry: ".build/cli/main.js", out: join(dist, "cli"), stub: "cli.js" },
  { entry: ".build/backend/main.js", out: join(dist, "worker"), stub: "worker.js" },
];

rmSync(join(root, ".build"), { recursive: true, force: true });
// Type errors do not stop the emit; `npm run lint` reports them.
try {
  execFileSync(
    process.execPath,
    [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    { cwd: root, stdio: "ignore" },
  );
} catch {
  // tsc exits non-zero on type errors but has still written the output.
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const bundle of bundles) {
  execFileSync(
    process.execPath,
    [
      ncc,
      "build",
      bundle.entry,
      "-o",
      bundle.out,
      "-e",
      "node-llama-cpp",
      "--quiet",
      "--license",
      "licenses.txt",
    ],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  dropUnusedTransportWorkers(bundle.out);
  if (bundle.stub) {
    writeFileSync(
      join(dist, bundle.stub),
      `#!/usr/bin/env node\nimport "./${bundle.out.slice(dist.length + 1)}/index.js";\n`,
      { mode: 0o755 },
    );
  }
}

// Tree-sitter's runtime and grammars are WebAssembly files read at run time, not
// bundled: they go to dist/grammars, where action/parsing/grammar-dir.ts looks for them.
const { bundledWasmFiles } = await tsImport("../action/parsing/grammar-dir.ts", import.meta.url);
mkdirSync(join(dist, "grammars"), { recursive: true });
for (const { from, to } of bundledWasmFiles()) copyFileSync(from, join(dist, "grammars", to));

writeFileSync(join(dist, "package.json"), '{ "type": "module" }\n');

// ncc copies pino's transport workers (pino/lib/worker.js, pino/file.js,
// thread-stream/lib/worker.js) next to any bundle that imports pino, unbundled: they
// require packages that are not in dist/ and would fail if ever started. They only run
// for `pino.transport()`, which nothing here uses (logs go to stdout synchronously), so
// they are removed; scripts/check-dist.mjs then proves nothing left loads a package
// from outside dist/.
function dropUnusedTransportWorkers(dir) {
  const copies = [
    "node_modules/pino/lib/worker.js",
    "node_modules/pino/file.js",
    "node_modules/thread-stream/lib/worker.js",
  ].map((path) => readFileSync(join(root, path), "utf8"));
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".js") || name === "index.js") continue;
    const path = join(dir, name);
    if (copies.includes(readFileSync(path, "utf8"))) rmSync(path);
  }
}
rmSync(join(root, ".build"), { recursive: true, force: true });
console.log("dist/ rebuilt");
