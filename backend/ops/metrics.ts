import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { GenerateResult } from "../llm/backend.js";

const SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200];

/** The worker's Prometheus metrics, in one registry per process (tests make their own). */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const loadSeconds = new Histogram({
    name: "issue_agent_llm_load_seconds",
    help: "Model load time reported by the model server",
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const promptSeconds = new Histogram({
    name: "issue_agent_llm_prompt_eval_seconds",
    help: "Prompt evaluation time",
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const evalSeconds = new Histogram({
    name: "issue_agent_llm_eval_seconds",
    help: "Generation time",
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: "issue_agent_llm_tokens_total",
    help: "Tokens processed by the model",
    labelNames: ["kind"] as const,
    registers,
  });
  return {
    registry,
    jobs: new Counter({
      name: "issue_agent_jobs_total",
      help: "Deliveries handled, by request type and outcome",
      labelNames: ["type", "outcome"] as const,
      registers,
    }),
    inProgress: new Gauge({
      name: "issue_agent_jobs_in_progress",
      help: "Jobs being worked on now",
      registers,
    }),
    queueWait: new Histogram({
      name: "issue_agent_queue_wait_seconds",
      help: "Time from publish to the start of work",
      buckets: SECONDS_BUCKETS,
      registers,
    }),
    jobDuration: new Histogram({
      name: "issue_agent_job_duration_seconds",
      help: "Time from the start of work to the terminal reply",
      labelNames: ["type"] as const,
      buckets: SECONDS_BUCKETS,
      registers,
    }),
    deadLettered: new Counter({
      name: "issue_agent_dead_lettered_total",
      help: "Deliveries rejected to the dead-letter queue, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    llmRetries: new Counter({
      name: "issue_agent_llm_retries_total",
      help: "Model calls retried after a transient failure",
      registers,
    }),
    reconnects: new Counter({
      name: "issue_agent_amqp_reconnects_total",
      help: "Reconnections to RabbitMQ",
      registers,
    }),
    observeGeneration(result: GenerateResult, _wallMs: number) {
      loadSeconds.observe(result.loadMs / 1000);
      promptSeconds.observe(result.promptMs / 1000);
      evalSeconds.observe(result.evalMs / 1000);
      tokens.inc({ kind: "prompt" }, result.promptTokens);
      tokens.inc({ kind: "eval" }, result.evalTokens);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
