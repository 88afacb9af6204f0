import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadWorkerConfig } from "../../backend/config.js";
import {
  BASE_DIR,
  ROOT,
  containersOf,
  findObject,
  renderKustomization,
  type Loose,
} from "./manifests.js";

type Instruction = { keyword: string; args: string; line: number };
type Stage = { name: string; from: string; instructions: Instruction[] };

/** Splits a Dockerfile into stages of instructions (continuations joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i] ?? "";
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? "";
      if (!/^\s*#/.test(next)) line = line.replace(/\\\s*$/, " ") + next.trim();
    }
    const [, keyword = "", args = ""] = /^\s*(\w+)\s+(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim(), line: start };
    if (instruction.keyword === "FROM") {
      const [, from = "", name = ""] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? [];
      stages.push({ name, from, instructions: [] });
    } else if (instruction.keyword === "ARG" && stages.length === 0) {
      continue;
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`line ${start}: ${instruction.keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

const dockerfile = readFileSync(join(ROOT, "backend", "Dockerfile"), "utf8");
const stages = parseDockerfile(dockerfile);
const runtime = stages[stages.length - 1] as Stage;
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
const defaults = loadWorkerConfig({});

const execForm = (stage: Stage, keyword: string): string[] | undefined => {
  const found = stage.instructions.filter((i) => i.keyword === keyword).pop();
  return found ? (JSON.parse(found.args) as string[]) : undefined;
};

describe("backend/Dockerfile", () => {
  test("is multi-stage: build, production dependencies, runtime", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "deps", "runtime"]);
    for (const stage of stages) expect(stage.from).toBe("${NODE_IMAGE}");
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-[\w.-]+$/m);
  });

  test("copies from earlier stages only", () => {
    stages.forEach((stage, index) => {
      for (const copy of stage.instructions.filter((i) => i.keyword === "COPY")) {
        const from = /--from=(\S+)/.exec(copy.args)?.[1];
        if (from) expect(stages.slice(0, index).map((s) => s.name)).toContain(from);
      }
    });
  });

  test("the build stage runs the project's build, the deps stage installs production dependencies only", () => {
    const runs = (name: string) =>
      stages
        .find((s) => s.name === name)
        ?.instructions.filter((i) => i.keyword === "RUN")
        .map((i) => i.args)
        .join("\n") ?? "";
    expect(runs("build")).toMatch(/npm ci\b/);
    expect(runs("build")).toMatch(/npm run build\b/);
    expect(pkg.scripts.build).toBeDefined();
    expect(runs("deps")).toMatch(/npm ci\b.*--omit=dev/);
    expect(runs("deps")).toMatch(/--omit=optional/);
    expect(runtime.instructions.filter((i) => i.keyword === "RUN")).toEqual([]);
  });

  test("the runtime stage gets node_modules from deps and dist from build, and nothing else built", () => {
    const copies = runtime.instructions.filter((i) => i.keyword === "COPY").map((i) => i.args);
    expect(copies).toEqual([
      "--from=deps /app/node_modules ./node_modules",
      "--from=build /app/dist ./dist",
      "package.json ./",
    ]);
  });

  test("runs as a numeric non-root user, set before the entry point", () => {
    const users = runtime.instructions.filter((i) => i.keyword === "USER");
    expect(users).toHaveLength(1);
    const [user, group] = (users[0]?.args ?? "").split(":").map(Number);
    expect(user).toBeGreaterThan(0);
    expect(group).toBeGreaterThan(0);
    const entry = runtime.instructions.findIndex((i) => i.keyword === "ENTRYPOINT");
    expect(runtime.instructions.indexOf(users[0] as Instruction)).toBeLessThan(entry);
    const worker = findObject(renderKustomization(BASE_DIR), "Deployment", "worker");
    expect((worker.spec as Loose).template.spec.securityContext.runAsUser).toBe(user);
  });

  test("the entry point is the bundled worker that `npm run worker` starts, in exec form", () => {
    const entry = execForm(runtime, "ENTRYPOINT");
    expect(entry).toEqual(["node", "dist/worker.js"]);
    expect(pkg.scripts.worker).toBe((entry ?? []).join(" "));
    expect(execForm(runtime, "CMD")).toBeUndefined();
    // The build stage fails the image when the bundle is missing.
    expect(dockerfile).toMatch(/npm run build && test -f dist\/worker\.js/);
  });

  test("has no HEALTHCHECK and exposes the health port", () => {
    expect(
      stages.flatMap((s) => s.instructions).filter((i) => i.keyword === "HEALTHCHECK"),
    ).toEqual([]);
    const exposed = runtime.instructions
      .filter((i) => i.keyword === "EXPOSE")
      .map((i) => Number(i.args));
    expect(exposed).toEqual([defaults.healthPort]);
  });

  test("the build context leaves out node_modules and dist but keeps the sources the build reads", () => {
    const ignored = readFileSync(join(ROOT, "backend", "Dockerfile.dockerignore"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    expect(ignored).toEqual(expect.arrayContaining(["**/node_modules", "dist", ".git"]));
    for (const needed of ["backend", "action", "scripts", "package.json", "package-lock.json"]) {
      expect(ignored).not.toContain(needed);
    }
  });
});

describe("the bundle the image runs", () => {
  test("the build script declares dist/worker.js, with node-llama-cpp left external", () => {
    const build = readFileSync(join(ROOT, "scripts", "build.mjs"), "utf8");
    expect(pkg.scripts.build).toBe("node scripts/build.mjs");
    expect(build).toMatch(/entry: "\.build\/backend\/main\.js".*stub: "worker\.js"/);
    expect(build).toMatch(/"-e",\s*"node-llama-cpp"/);
  });

  const bundles = existsSync(join(ROOT, "dist")) ? readdirSync(join(ROOT, "dist")) : [];
  // dist/ is committed and CI rebuilds it before the tests; a checkout that was never
  // built has nothing to check yet.
  const whenBuilt = bundles.some((file) => file.endsWith(".js")) ? test : test.skip;
  whenBuilt("dist/worker.js exists and the bundle it starts is there", () => {
    expect(bundles).toContain("worker.js");
    const stub = readFileSync(join(ROOT, "dist", "worker.js"), "utf8");
    const target = /import "\.\/([^"]+)"/.exec(stub)?.[1];
    expect(target).toBeDefined();
    expect(existsSync(join(ROOT, "dist", target as string))).toBe(true);
  });
});

describe("docker-compose.yml", () => {
  const compose: Loose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"));
  const services = compose.services as Record<string, Loose>;
  const base = renderKustomization(BASE_DIR);
  const imageOf = (kind: string, name: string) =>
    containersOf(findObject(base, kind, name))[0]?.image;
  const knownVariables = new Set(
    [
      ...readFileSync(join(ROOT, "backend", "config.ts"), "utf8").matchAll(
        /^ {4}([A-Z][A-Z0-9_]+):/gm,
      ),
    ].map((m) => m[1]),
  );

  test("has RabbitMQ, Ollama, the one-shot model pull and the worker", () => {
    expect(Object.keys(services).sort()).toEqual(["ollama", "ollama-pull", "rabbitmq", "worker"]);
  });

  test("uses the same RabbitMQ and Ollama images as the cluster", () => {
    expect(services.rabbitmq.image).toBe(imageOf("StatefulSet", "rabbitmq"));
    expect(services.rabbitmq.image).toMatch(/-management$/);
    expect(services.ollama.image).toBe(imageOf("Deployment", "ollama"));
    expect(services["ollama-pull"].image).toBe(services.ollama.image);
  });

  test("publishes AMQP, the management UI, Ollama and the worker's health port", () => {
    expect(services.rabbitmq.ports).toEqual(["5672:5672", "15672:15672"]);
    expect(services.ollama.ports).toEqual(["11434:11434"]);
    expect(services.worker.ports).toEqual([`${defaults.healthPort}:${defaults.healthPort}`]);
  });

  test("keeps models and broker data in named volumes", () => {
    const modelsDir = services.ollama.environment.OLLAMA_MODELS as string;
    expect(services.ollama.volumes).toEqual([`ollama-models:${modelsDir}`]);
    expect(services.rabbitmq.volumes).toEqual(["rabbitmq-data:/var/lib/rabbitmq"]);
    expect(Object.keys(compose.volumes).sort()).toEqual(["ollama-models", "rabbitmq-data"]);
  });

  test("pulls the model once, after Ollama is healthy, before the worker starts", () => {
    const pull = services["ollama-pull"];
    expect(pull.restart).toBe("no");
    expect(pull.entrypoint.slice(0, 2)).toEqual(["ollama", "pull"]);
    expect(pull.entrypoint[2]).toBe(`\${MODEL:-${defaults.llm.model}}`);
    expect(services.worker.environment.MODEL).toBe(pull.entrypoint[2]);
    expect(pull.depends_on.ollama.condition).toBe("service_healthy");
    expect(services.worker.depends_on["ollama-pull"].condition).toBe(
      "service_completed_successfully",
    );
    expect(services.worker.depends_on.rabbitmq.condition).toBe("service_healthy");
  });

  test("builds the worker from backend/Dockerfile with credentials RabbitMQ knows", () => {
    expect(services.worker.build).toEqual({ context: ".", dockerfile: "backend/Dockerfile" });
    const env = services.worker.environment as Record<string, string>;
    for (const key of Object.keys(env)) expect(knownVariables).toContain(key);
    const url = new URL(env.AMQP_URL as string);
    expect([url.hostname, url.port]).toEqual(["rabbitmq", "5672"]);
    expect(url.username).toBe(services.rabbitmq.environment.RABBITMQ_DEFAULT_USER);
    expect(url.password).toBe(services.rabbitmq.environment.RABBITMQ_DEFAULT_PASS);
    expect(env.OLLAMA_HOST).toBe("http://ollama:11434");
    // The worker refuses to start without a signing key: compose asks for one up front
    // instead of starting a worker that exits at once (an empty default did).
    expect(env.SIGNING_KEY).toMatch(/^\$\{SIGNING_KEY:\?[^}]+\}$/);
  });

  test("gives a stopping worker time to finish its job, and RabbitMQ a longer consumer_timeout", () => {
    const [, minutes] = /^(\d+)m$/.exec(services.worker.stop_grace_period as string) ?? [];
    // The worker, as compose configures it, waits for its longest job; Docker waits for it.
    const env = services.worker.environment as Record<string, string>;
    const worker = loadWorkerConfig({
      JOB_TIMEOUT_MS: env.JOB_TIMEOUT_MS ?? "",
      SHUTDOWN_GRACE_MS: env.SHUTDOWN_GRACE_MS ?? "",
    });
    expect(worker.shutdownGraceMs).toBeGreaterThanOrEqual(worker.jobTimeoutMs);
    expect(Number(minutes) * 60_000).toBeGreaterThanOrEqual(worker.shutdownGraceMs + 30_000);
    const conf = compose.configs["rabbitmq-conf"].content as string;
    expect(Number(/consumer_timeout\s*=\s*(\d+)/.exec(conf)?.[1])).toBeGreaterThan(
      defaults.jobTimeoutMs,
    );
    expect(services.rabbitmq.configs[0].target).toMatch(/^\/etc\/rabbitmq\/conf\.d\//);
  });
});
