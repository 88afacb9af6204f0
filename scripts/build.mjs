// Builds the committed bundles in dist/ with ncc:
//   dist/index.js   the Action (action.yml runs it on node24)
//   dist/cli.js     the issue-agent command line
//   dist/worker.js  the backend worker (npm run worker, the container's entry point)
// Each bundle gets its own folder because ncc emits helper files with fixed names;
// dist/cli.js and dist/worker.js are one-line entries into theirs. node-llama-cpp stays
// external: it is a native addon, loaded only by the embedded model backend.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const ncc = join(root, "node_modules", "@vercel", "ncc", "dist", "ncc", "cli.js");

const bundles = [
  { entry: "action/main.ts", out: dist },
  { entry: "action/cli/main.ts", out: join(dist, "cli"), stub: "cli.js" },
  { entry: "backend/main.ts", out: join(dist, "worker"), stub: "worker.js" },
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const bundle of bundles) {
  // --transpile-only: type errors are caught by `npm run lint` (tsc); the bundle step
  // only has to produce the code.
  execFileSync(process.execPath, [ncc, "build", bundle.entry, "-o", bundle.out, "-e", "node-llama-cpp", "--transpile-only", "--quiet", "--no-source-map-register", "--license", "licenses.txt"], {
    cwd: root,
    stdio: "inherit",
  });
  if (bundle.stub) {
    writeFileSync(join(dist, bundle.stub), `#!/usr/bin/env node\nimport "./${bundle.out.slice(dist.length + 1)}/index.js";\n`, { mode: 0o755 });
  }
}

writeFileSync(join(dist, "package.json"), '{ "type": "module" }\n');
console.log("dist/ rebuilt");
