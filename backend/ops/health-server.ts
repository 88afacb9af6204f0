import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readiness } from "../llm/backend.js";
import type { Metrics } from "./metrics.js";

export interface HealthChecks {
  /** RabbitMQ connection and consumer are up. */
  broker: () => Readiness;
  /** The model server answers and has the model (cached by the caller's cadence). */
  model: () => Promise<Readiness>;
}

/** How long a model readiness answer is reused: probes come every few seconds. */
const MODEL_CHECK_TTL_MS = 5000;

/**
 * `/healthz` answers while the event loop turns (liveness: restart only a stuck process),
 * `/readyz` only when the worker can do work (broker connected, model present), and
 * `/metrics` serves Prometheus text.
 */
export async function startHealthServer(options: {
  port: number;
  host: string;
  metrics: Metrics;
  checks: HealthChecks;
}): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  let cached: { at: number; value: Readiness } | undefined;
  const modelReadiness = async (): Promise<Readiness> => {
    if (cached && Date.now() - cached.at < MODEL_CHECK_TTL_MS) return cached.value;
    const value = await options.checks.model();
    cached = { at: Date.now(), value };
    return value;
  };

  const server = createServer((req, res) => {
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    void (async () => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET") return send(405, { error: "method not allowed" });
      if (path === "/healthz") return send(200, { status: "ok" });
      if (path === "/readyz") {
        const broker = options.checks.broker();
        const model = await modelReadiness();
        const ready = broker.ok && model.ok;
        return send(ready ? 200 : 503, {
          status: ready ? "ready" : "not ready",
          broker: broker.ok ? "ok" : broker.reason,
          model: model.ok ? "ok" : model.reason,
        });
      }
      if (path === "/metrics")
        return send(
          200,
          await options.metrics.registry.metrics(),
          options.metrics.registry.contentType,
        );
      return send(404, { error: "not found" });
    })().catch((error: unknown) => send(500, { error: (error as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
