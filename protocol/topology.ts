/**
 * Names and arguments shared by everyone who touches the broker: the worker declares
 * this topology, the Action publishes into it, the Kubernetes manifests and KEDA watch it.
 */
export const REQUEST_QUEUE = "ai-agent.plan";
export const DEAD_LETTER_EXCHANGE = "ai-agent.dead";
export const DEAD_LETTER_QUEUE = deadLetterQueueFor(REQUEST_QUEUE);

/**
 * RabbitMQ 3.10 (Debian's) has no default delivery limit for quorum queues; 4.x
 * defaults to 20. Setting it explicitly gives the same poison-message behaviour on both.
 */
export const DEFAULT_DELIVERY_LIMIT = 3;

export const HEADER_PROTOCOL_VERSION = "x-protocol-version";
export const HEADER_DEADLINE = "x-deadline";

export function requestQueueArguments(
  queue: string,
  deliveryLimit: number,
): Record<string, unknown> {
  return {
    "x-queue-type": "quorum",
    "x-delivery-limit": deliveryLimit,
    "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
    "x-dead-letter-routing-key": deadLetterQueueFor(queue),
  };
}

export function deadLetterQueueFor(queue: string): string {
  return `${queue}.dead`;
}

/**
 * Every Action run declares its own reply queue under this prefix. The worker replies only
 * to queues with it, so a forged `replyTo` cannot make it publish into other queues.
 */
export const REPLY_QUEUE_PREFIX = "ai-agent.reply.";

/** Quorum queues count deliveries in this header (absent on the first delivery). */
export const HEADER_DELIVERY_COUNT = "x-delivery-count";
