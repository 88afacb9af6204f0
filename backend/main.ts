/**
 * Worker entry (`npm run worker`): validate the environment, connect, consume, serve
 * probes and metrics, and stop gracefully on SIGTERM.
 */
import { redactUrls } from "../protocol/index.js";
import { WorkerConsumer } from "./amqp/worker-consumer.js";
import { ConfigError, loadWorkerConfig } from "./config.js";
import { createLlmBackend } from "./llm/create-backend.js";
import { createLogger } from "./logger.js";
import { startHealthServer } from "./ops/health-server.js";
import { createMetrics } from "./ops/metrics.js";
import { onShutdownSignal } from "./ops/signals.js";

async function main(): Promise<void> {
  const bootStarted = Date.now();
  let config;
  try {
    config = loadWorkerConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // Without a key anyone who can publish to the broker can have the model run (and
  // anyone who can read it can forge replies): refused unless explicitly allowed.
  if (!config.signingKey) {
    if (!config.allowUnsigned) {
      console.error(
        "Invalid worker configuration: SIGNING_KEY is not set. Set it to the key the Action's signing-key input holds, or set ALLOW_UNSIGNED=true to accept unsigned requests (anyone who can publish to the broker can then send work and forge replies).",
      );
      process.exit(2);
    }
    logger.warn(
      "ALLOW_UNSIGNED=true: requests and replies are not signed; anyone on the broker can forge them",
    );
  }
  const metrics = createMetrics();
  const llm = createLlmBackend(config.llm);
  const consumer = new WorkerConsumer({ config, llm, logger, metrics });

  // HEALTH_PORT=0 picks a free port (tests); the port is logged at start.
  const health = await startHealthServer({
    port: config.healthPort,
    host: config.healthHost,
    metrics,
    checks: {
      broker: () => consumer.brokerReadiness(),
      model: () => llm.checkReady(config.llm.model),
    },
  });

  onShutdownSignal(
    async (signal) => {
      logger.info({ signal, jobs: consumer.jobsInFlight }, "shutting down");
      await consumer.stop(config.shutdownGraceMs);
      await health.close();
      await llm.close();
      logger.info("stopped");
      logger.flush();
    },
    (message) => logger.warn(message),
  );

  logger.info(
    {
      broker: redactUrls(config.amqpUrl),
      queue: config.requestQueue,
      backend: config.llm.backend,
      model: config.llm.model,
      numCtx: config.llm.numCtx,
      concurrency: config.concurrency,
      signed: Boolean(config.signingKey),
      healthPort: health.port,
    },
    "worker starting",
  );
  await consumer.start();
  logger.info({ bootMs: Date.now() - bootStarted }, "worker ready");
}

main().catch((error: unknown) => {
  console.error(
    `worker failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
