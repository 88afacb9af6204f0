import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { AMQP_URL, uniqueQueueName } from "./broker/rabbitmq.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  queue: string;
  healthUrl: string;
  logs: Record<string, unknown>[];
  stderr: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  waitForLog: (
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ) => Promise<Record<string, unknown>>;
  kill: (signal?: NodeJS.Signals) => void;
}

/**
 * Starts the worker as its own process, as `npm run worker` does: from the bundle
 * (`dist/worker.js`) when `bundle` is set, else from the TypeScript sources.
 */
export async function startWorkerProcess(
  env: Record<string, string>,
  options: { bundle?: boolean; node?: string } = {},
): Promise<WorkerProcess> {
  const queue = env.REQUEST_QUEUE ?? uniqueQueueName("proc");
  const args = options.bundle ? ["dist/worker.js"] : ["--import", "tsx", "backend/main.ts"];
  const child = spawn(options.node ?? process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      AMQP_URL,
      REQUEST_QUEUE: queue,
      HEALTH_PORT: "0",
      HEALTH_HOST: "127.0.0.1",
      LOG_LEVEL: "debug",
      RETRY_BASE_MS: "10",
      // Tests that give no key run unsigned, as the opt-out allows.
      ...(env.SIGNING_KEY ? {} : { ALLOW_UNSIGNED: "true" }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const listeners = new Set<() => void>();
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        stderr.push(line);
      }
      for (const listener of listeners) listener();
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  const waitForLog = (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (found) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(
            `worker log line not seen in ${timeoutMs} ms; stderr: ${stderr.join("").slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      listeners.add(check);
      void exited.then(() => {
        if (listeners.has(check)) {
          clearTimeout(timer);
          listeners.delete(check);
          reject(new Error(`worker exited; stderr: ${stderr.join("").slice(-2000)}`));
        }
      });
      check();
    });

  const starting = await waitForLog((l) => l.msg === "worker starting");
  await waitForLog((l) => l.msg === "worker ready");
  return {
    child,
    queue,
    healthUrl: `http://127.0.0.1:${String(starting.healthPort)}`,
    logs,
    stderr,
    exited,
    waitForLog,
    kill: (signal = "SIGTERM") => {
      child.kill(signal);
    },
  };
}
