/**
 * What runJob needs, for tests that run it against a model backend directly (no broker):
 * the worker's configuration from `env` over quick retries and no progress throttling,
 * a silent logger, fresh metrics, progress replies dropped.
 */
import { loadWorkerConfig } from "../../backend/config.js";
import type { JobDeps } from "../../backend/jobs/run-job.js";
import type { LlmBackend } from "../../backend/llm/backend.js";
import { createLogger } from "../../backend/logger.js";
import { createMetrics } from "../../backend/ops/metrics.js";

export function directJobDeps(llm: LlmBackend, env: Record<string, string> = {}): JobDeps {
  return {
    config: loadWorkerConfig({ RETRY_BASE_MS: "1", PROGRESS_INTERVAL_MS: "0", ...env }),
    llm,
    logger: createLogger("silent"),
    metrics: createMetrics({ defaultMetrics: false }),
    progress: () => {},
    signal: new AbortController().signal,
  };
}
