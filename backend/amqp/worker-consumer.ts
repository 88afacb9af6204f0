import { setTimeout as sleep } from "node:timers/promises";
import {
  connect,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type RecoveringChannelModel,
} from "amqplib";
import {
  DEAD_LETTER_EXCHANGE,
  HEADER_DELIVERY_COUNT,
  HEADER_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  SIGNATURE_HEADER,
  deadLetterQueueFor,
  redactUrls,
  brokerRotation,
  replyBinding,
  requestQueueArguments,
  signBody,
  type Reply,
  type TerminalReply,
  type WorkRequest,
} from "../../protocol/index.js";
import type { WorkerConfig } from "../config.js";
import { runJob } from "../jobs/run-job.js";
import type { LlmBackend, Readiness } from "../llm/backend.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../ops/metrics.js";
import { TokenCalibration } from "../prompt/token-calibration.js";
import { admitDelivery, type Admission, type ReplyAddress } from "./admit-delivery.js";
import { DeliveryGuard } from "./delivery-guard.js";
import { RecentRequests } from "./recent-requests.js";
import { RequesterPresence } from "./requester-presence.js";

/** Pauses between attempts at a terminal reply the broker did not accept (see publishReply). */
const REPLY_RETRY_FIRST_PAUSE_MS = 200;
const REPLY_RETRY_MAX_PAUSE_MS = 2000;

export interface WorkerDeps {
  config: WorkerConfig;
  llm: LlmBackend;
  logger: Logger;
  metrics: Metrics;
  /** Shown in the broker's connection list; defaults to the process id. */
  connectionName?: string;
}

/**
 * The worker's RabbitMQ side: declares the topology, consumes with manual acks and
 * prefetch = concurrency, and reconnects by itself (amqplib recovery) after a broker
 * restart, re-declaring everything. Jobs in hand when a channel dies keep running; their
 * replies go out on the new channel, and the broker redelivers the unacked request, which
 * this worker then recognises as answered.
 */
export class WorkerConsumer {
  private connection: RecoveringChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private consumerTag: string | undefined;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private readonly answered = new RecentRequests();
  /** What the model's own token counts taught this worker (token-calibration.ts). */
  private readonly calibration = new TokenCalibration();
  /** Requests this worker is computing now, by id, settled when each is answered or failed. */
  private readonly computing = new Map<string, Promise<void>>();
  private channelWaiters: ((channel: ConfirmChannel) => void)[] = [];
  /**
   * The live connection as `setup` hands it over. `connection` is only assigned once
   * `connect()` returns, after the first setup has started consuming: a request already
   * waiting is delivered before that, and its requester must be checkable then too.
   */
  private model: ChannelModel | undefined;
  private readonly requesters = new RequesterPresence(() =>
    this.channel ? this.model : undefined,
  );

  constructor(private readonly deps: WorkerDeps) {}

  /** Connects (retrying while the broker is down) and starts consuming. */
  async start(): Promise<void> {
    const { config, logger, metrics } = this.deps;
    let connectedOnce = false;
    // AMQP_URL may list several nodes of a cluster: each reconnect tries the next one.
    const brokers = brokerRotation(config.amqpUrl, {
      initialDelay: 200,
      maxDelay: config.reconnectMaxMs,
    });
    // Not waiting inside connect: the listeners below are attached before the first
    // attempt, so a broker that refuses from the start (wrong host, password, vhost) is
    // logged at every attempt instead of leaving a worker that says nothing.
    const connection = await connect(brokers.target, {
      // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs hold each small frame
      // (a publish, its confirm) for about 40 ms: measured 44 ms vs 0.5 ms per confirm.
      noDelay: true,
      clientProperties: {
        connection_name: this.deps.connectionName ?? `issue-agent-worker ${process.pid}`,
      },
      recovery: {
        waitForConnect: false,
        initialDelay: 200,
        maxDelay: config.reconnectMaxMs,
        maxRetries: Infinity,
        calculateDelay: (attempt: number) => brokers.calculateDelay(attempt),
        setup: async (model: ChannelModel) => {
          if (connectedOnce) metrics.reconnects.inc();
          connectedOnce = true;
          this.model = model;
          await this.declareTopology(model);
          await this.setupChannel(await model.createConfirmChannel());
        },
      },
    });
    this.connection = connection;
    connection.on("connect-failed", (error: Error) => {
      logger.warn(
        { err: error.message, broker: brokers.current() },
        connectedOnce ? "RabbitMQ reconnect failed" : "cannot connect to RabbitMQ; retrying",
      );
    });
    connection.on("disconnect", (error: Error) => {
      this.channel = undefined;
      logger.warn(
        { err: error.message, broker: brokers.current() },
        "lost RabbitMQ connection; reconnecting",
      );
    });
    connection.on("reconnect-scheduled", (info: { attempt: number; delay: number }) => {
      logger.info(
        { attempt: info.attempt, delayMs: info.delay, next: brokers.current() },
        "reconnect scheduled",
      );
    });
    connection.on("error", (error: Error) =>
      logger.warn({ err: error.message }, "RabbitMQ connection error"),
    );
    try {
      await connection.waitForConnect();
    } catch (error) {
      // Stopped before the first connection: nothing started, nothing to report.
      if (!this.stopping) throw error;
    }
  }

  /**
   * Declares the dead-letter exchange and queue and the request queue. A request queue
   * that already exists with other arguments is used as it is, with a warning: with KEDA
   * scaling from zero the Action declares it before any worker runs, with the default
   * delivery limit, and a worker set to another `DELIVERY_LIMIT` would otherwise be
   * refused (406) at every connection and never consume. A queue's arguments cannot
   * change once it exists; a policy, or deleting the queue, changes the limit.
   */
  private async declareTopology(model: ChannelModel): Promise<void> {
    const { config, logger } = this.deps;
    const deadQueue = deadLetterQueueFor(config.requestQueue);
    const channel = await model.createChannel();
    try {
      await channel.assertExchange(DEAD_LETTER_EXCHANGE, "direct", { durable: true });
      await channel.assertQueue(deadQueue, {
        durable: true,
        arguments: { "x-queue-type": "quorum" },
      });
      await channel.bindQueue(deadQueue, DEAD_LETTER_EXCHANGE, deadQueue);
    } finally {
      await channel.close().catch(() => undefined);
    }
    const declaring = await model.createChannel();
    // A refused declaration closes its channel: the error is the answer, not a close.
    declaring.on("error", () => undefined);
    try {
      await declaring.assertQueue(config.requestQueue, {
        durable: true,
        arguments: requestQueueArguments(config.requestQueue, config.deliveryLimit),
      });
      await declaring.close().catch(() => undefined);
    } catch (error) {
      const probe = await model.createChannel();
      try {
        await probe.checkQueue(config.requestQueue);
      } finally {
        await probe.close().catch(() => undefined);
      }
      logger.warn(
        {
          queue: config.requestQueue,
          deliveryLimit: config.deliveryLimit,
          err: error instanceof Error ? error.message : String(error),
        },
        "the request queue exists with other arguments (another delivery limit?); using it as it is: a policy, or deleting the queue, changes them",
      );
    }
  }

  private async setupChannel(channel: ConfirmChannel): Promise<void> {
    const { config, logger } = this.deps;
    channel.on("error", (error: Error) => logger.warn({ err: error.message }, "channel error"));
    channel.on("close", () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.prefetch(config.concurrency);
    this.channel = channel;
    for (const waiter of this.channelWaiters.splice(0)) waiter(channel);
    if (this.stopping) return;
    await this.consume(channel);
  }

  private async consume(channel: ConfirmChannel): Promise<void> {
    const { config, logger } = this.deps;
    const { consumerTag } = await channel.consume(config.requestQueue, (message) => {
      if (!message) {
        // The queue was deleted (to change its arguments, as declareTopology's warning
        // suggests) or its node went away. The connection is fine, so no reconnect will
        // come: declare the queue again and consume, or this worker would look ready and
        // never take a job again.
        this.consumerTag = undefined;
        logger.warn("consumer cancelled by the broker (queue deleted?); declaring it again");
        void this.consumeAgain(channel);
        return;
      }
      this.track(this.handleDelivery(channel, message));
    });
    this.consumerTag = consumerTag;
    logger.info(
      {
        queue: config.requestQueue,
        prefetch: config.concurrency,
        broker: redactUrls(config.amqpUrl),
      },
      "consuming",
    );
  }

  /** After a broker cancel: retries until consuming again, the channel is gone, or stop. */
  private async consumeAgain(channel: ConfirmChannel): Promise<void> {
    const { config, logger } = this.deps;
    for (let delay = 200; ; delay = Math.min(delay * 2, config.reconnectMaxMs)) {
      if (this.stopping || this.channel !== channel || !this.model) return;
      try {
        await this.declareTopology(this.model);
        // stop() may have come meanwhile: it cancels only the consumer it knows of.
        if (this.stopping || this.channel !== channel) return;
        await this.consume(channel);
        if (this.stopping && this.consumerTag)
          await channel.cancel(this.consumerTag).catch(() => undefined);
        return;
      } catch (error) {
        logger.warn(
          { err: error instanceof Error ? error.message : String(error), retryInMs: delay },
          "cannot consume the request queue again yet",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private track(job: Promise<void>): void {
    this.inFlight.add(job);
    void job.finally(() => this.inFlight.delete(job));
  }

  /** Readiness of the broker side, for /readyz. */
  brokerReadiness(): Readiness {
    if (this.stopping) return { ok: false, reason: "shutting down" };
    if (!this.channel || !this.consumerTag)
      return { ok: false, reason: "not connected to RabbitMQ" };
    return { ok: true };
  }

  get jobsInFlight(): number {
    return this.inFlight.size;
  }

  /** One delivery, settled exactly once: admitted or refused, then answered. */
  private async handleDelivery(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const { config, metrics } = this.deps;
    const guard = new DeliveryGuard(channel, message);
    const deliveryCount = Number(message.properties.headers?.[HEADER_DELIVERY_COUNT] ?? 0) || 0;
    const logger = this.deps.logger.child({
      messageId: message.properties.messageId as unknown,
      correlationId: message.properties.correlationId as unknown,
      attempt: `${deliveryCount + 1} of ${config.deliveryLimit + 1}`,
    });
    const started = Date.now();
    try {
      const admission = admitDelivery(message, {
        signingKey: config.signingKey,
        previousSigningKey: config.previousSigningKey,
        signatureMaxSkewMs: config.signatureMaxSkewMs,
        allowedModels: config.allowedModels,
        answered: (id) => this.answered.has(id),
        now: started,
      });
      if (admission.kind === "reject") return await this.reject(admission, guard, logger);
      const { request, address } = admission;
      const jobLogger = logger.child({
        requestId: request.requestId,
        type: request.type,
        issue: `${request.repo.owner}/${request.repo.name}#${request.issue.number}`,
      });
      // The same request delivered again while this worker computes it (its first
      // delivery's channel died with the broker, or the requester asked again): wait for
      // that computation rather than start a second one, or call it expired meanwhile.
      let running = this.computing.get(request.requestId);
      if (running) jobLogger.info("already being computed here; waiting for that answer");
      for (; running; running = this.computing.get(request.requestId)) await running;
      if (admission.kind !== "duplicate" && this.answered.has(request.requestId))
        return await this.answerAgain(request, address, guard, jobLogger);
      switch (admission.kind) {
        case "duplicate":
          return await this.answerAgain(request, address, guard, jobLogger);
        case "expired": {
          jobLogger.info(
            { deadline: new Date(request.deadline).toISOString() },
            "deadline passed before work started; not computing",
          );
          const expired: TerminalReply = {
            version: PROTOCOL_VERSION,
            requestId: request.requestId,
            at: Date.now(),
            type: "error",
            code: "deadline_exceeded",
            message: "the request waited in the queue past its deadline",
            retryable: true,
          };
          await this.publishReply(address, expired, request);
          this.answered.add(request.requestId, expired);
          guard.settle("ack");
          metrics.jobs.inc({ type: request.type, outcome: "expired" });
          return;
        }
        case "run": {
          if (await this.requesters.isGone(address.replyTo))
            return this.abandon(request, guard, jobLogger, "before work started");
          const publishedAt =
            typeof message.properties.timestamp === "number"
              ? message.properties.timestamp
              : undefined;
          if (publishedAt)
            metrics.queueWait.observe(
              Math.max(0, started - publishedAt * (publishedAt < 1e12 ? 1000 : 1)) / 1000,
            );
          const job = this.runAndAnswer(request, address, guard, jobLogger, started);
          const settled = job.then(
            () => undefined,
            () => undefined,
          );
          this.computing.set(request.requestId, settled);
          try {
            return await job;
          } finally {
            if (this.computing.get(request.requestId) === settled)
              this.computing.delete(request.requestId);
          }
        }
      }
    } catch (error) {
      if (this.shutdown.signal.aborted) {
        logger.warn("job interrupted by shutdown; returning the request to the queue");
        guard.settle("requeue");
        return;
      }
      // Could not reply (broker gone for too long) or an unexpected bug: leave the message
      // to be redelivered (delivery-limit bounds the loop) rather than lose it.
      logger.error(
        { err: (error as Error).message, stack: (error as Error).stack },
        "job failed without a reply; requeueing",
      );
      // Counted, so that a poison loop shows in the worker's metrics before RabbitMQ's
      // delivery limit dead-letters the message.
      metrics.jobs.inc({ type: "unknown", outcome: "requeued" });
      guard.settle("requeue");
    }
  }

  /**
   * Drops a request whose requester is gone (its reply queue deleted: the run was
   * cancelled or ended): acked, since nobody will ever read an answer, and counted.
   */
  private abandon(
    request: WorkRequest,
    guard: DeliveryGuard,
    logger: Logger,
    when: "before work started" | "while the model was working",
  ): void {
    logger.info(
      { outcome: "abandoned" },
      `the requester is gone (its reply queue was deleted) ${when}; dropped without an answer`,
    );
    guard.settle("ack");
    this.deps.metrics.jobs.inc({ type: request.type, outcome: "abandoned" });
  }

  /** Dead-letters a refused delivery, telling the requester at once rather than at its deadline. */
  private async reject(
    refusal: Extract<Admission, { kind: "reject" }>,
    guard: DeliveryGuard,
    logger: Logger,
  ): Promise<void> {
    logger.warn({ reason: refusal.reason }, "request rejected to the dead-letter queue");
    if (refusal.address) {
      await this.publishReply(refusal.address, {
        version: PROTOCOL_VERSION,
        requestId: refusal.address.correlationId,
        at: Date.now(),
        type: "error",
        code: "invalid_request",
        message: refusal.reason,
        retryable: false,
        requestDigest: refusal.requestDigest,
      }).catch((error: unknown) =>
        logger.warn({ err: (error as Error).message }, "could not send the rejection reply"),
      );
    }
    this.deps.metrics.deadLettered.inc({ reason: refusal.metricReason });
    this.deps.metrics.jobs.inc({ type: "unknown", outcome: "dead_lettered" });
    guard.settle("dead-letter");
  }

  /**
   * A request this worker has answered already: a redelivery after a lost ack, or the
   * requester asking again because the first reply may be lost (its queue gone with a
   * broker node, or the reply lost with the broker). Sends the stored reply again and
   * acks; never computes.
   */
  private async answerAgain(
    request: WorkRequest,
    address: ReplyAddress,
    guard: DeliveryGuard,
    logger: Logger,
  ): Promise<void> {
    const stored = this.answered.get(request.requestId);
    if (stored) await this.publishReply(address, stored, request);
    logger.info("already answered; sent the stored reply again and acked the duplicate");
    guard.settle("ack");
    this.deps.metrics.jobs.inc({ type: request.type, outcome: "duplicate" });
  }

  /** Runs an admitted request and publishes its one terminal reply, then settles it. */
  private async runAndAnswer(
    request: WorkRequest,
    address: ReplyAddress,
    guard: DeliveryGuard,
    logger: Logger,
    started: number,
  ): Promise<void> {
    const { config, metrics } = this.deps;
    const type = request.type;
    metrics.inProgress.inc();
    try {
      const progress = (reply: Reply) => {
        this.publishReply(address, reply, request).catch((error: unknown) =>
          logger.debug({ err: (error as Error).message }, "progress not sent"),
        );
      };
      progress({
        version: PROTOCOL_VERSION,
        requestId: request.requestId,
        at: Date.now(),
        type: "progress",
        stage: "accepted",
        model: request.options.model ?? config.llm.model,
      });
      logger.info("job started");
      // The requester may go (its run cancelled) while the model works: stop it then.
      const requester = this.requesters.watch(address.replyTo);
      let outcome: Awaited<ReturnType<typeof runJob>>;
      try {
        outcome = await runJob(request, {
          config,
          llm: this.deps.llm,
          logger,
          metrics,
          progress,
          signal: AbortSignal.any([this.shutdown.signal, requester.signal]),
          calibration: this.calibration,
        });
      } catch (error) {
        if (!requester.signal.aborted || this.shutdown.signal.aborted) throw error;
        return this.abandon(request, guard, logger, "while the model was working");
      } finally {
        requester.stop();
      }
      // Gone as the answer came in: it has nobody to go to.
      if (requester.signal.aborted)
        return this.abandon(request, guard, logger, "while the model was working");
      // Remembered before it goes out: if it cannot be delivered and the request comes
      // back, the stored answer is sent instead of computing it again.
      this.answered.add(request.requestId, outcome.reply);
      await this.publishReply(address, outcome.reply, request);
      if (config.crashAfterReplyForTests) {
        // Test-only crash point: the reply is confirmed, the ack never sent.
        logger.warn("TEST_ONLY_CRASH_AFTER_REPLY: killing this worker between reply and ack");
        process.kill(process.pid, "SIGKILL");
      }
      const durationMs = Date.now() - started;
      metrics.jobDuration.observe({ type }, durationMs / 1000);
      const outcomeLabel =
        outcome.reply.type === "result" ? "result" : outcome.deadLetter ? "dead_lettered" : "error";
      metrics.jobs.inc({ type, outcome: outcomeLabel });
      if (outcome.deadLetter)
        metrics.deadLettered.inc({
          reason: outcome.reply.type === "error" ? outcome.reply.code : "unknown",
        });
      const settled = guard.settle(outcome.deadLetter ? "dead-letter" : "ack");
      logger.info(
        {
          durationMs,
          outcome: outcomeLabel,
          settled,
          ...(outcome.reply.type === "error"
            ? { code: outcome.reply.code, reason: outcome.reply.message }
            : {
                promptTokens: outcome.reply.usage.promptTokens,
                evalTokens: outcome.reply.usage.evalTokens,
              }),
        },
        "job finished",
      );
    } finally {
      metrics.inProgress.dec();
    }
  }

  /**
   * Publishes a reply, waiting for the broker's confirm. Its signature binds it to the
   * request it answers (`request`; absent for a request that could not be read, whose
   * refusal is bound to the correlation id alone).
   *
   * A terminal reply refused by the broker (a nack) or caught in a dropped channel is sent
   * again until the request's deadline: when a cluster node dies, the requester's
   * replicated reply queue refuses publishes until its new leader is elected (seconds).
   * Failing the job instead would requeue the request straight back to this worker and
   * use up its delivery limit within that election, dead-lettering an answered request.
   * Progress is best effort and sent once.
   */
  private async publishReply(
    address: ReplyAddress,
    reply: Reply,
    request?: WorkRequest,
  ): Promise<void> {
    if (reply.type === "progress") return this.sendReply(address, reply, request);
    const until = Math.min(
      request?.deadline ?? Infinity,
      Date.now() + this.deps.config.jobTimeoutMs,
    );
    for (
      let pause = REPLY_RETRY_FIRST_PAUSE_MS;
      ;
      pause = Math.min(pause * 2, REPLY_RETRY_MAX_PAUSE_MS)
    ) {
      try {
        return await this.sendReply(address, reply, request);
      } catch (error) {
        if (this.shutdown.signal.aborted || Date.now() + pause >= until) throw error;
        this.deps.logger.warn(
          { correlationId: address.correlationId, err: (error as Error).message, retryInMs: pause },
          "the reply was not accepted; sending it again",
        );
        await sleep(pause);
      }
    }
  }

  /** One attempt at publishing a reply on the current channel (see publishReply). */
  private async sendReply(
    address: ReplyAddress,
    reply: Reply,
    request?: WorkRequest,
  ): Promise<void> {
    const { replyTo, correlationId } = address;
    const body = Buffer.from(JSON.stringify(reply));
    const headers: Record<string, unknown> = { [HEADER_PROTOCOL_VERSION]: PROTOCOL_VERSION };
    // In the key the request came in (the previous one, during a rotation).
    const key = address.signingKey ?? this.deps.config.signingKey;
    if (key)
      headers[SIGNATURE_HEADER] = signBody(
        body,
        key,
        Date.now(),
        request
          ? replyBinding(request.requestId, {
              owner: request.repo.owner,
              name: request.repo.name,
              issue: request.issue.number,
            })
          : replyBinding(correlationId, {
              requestDigest: (reply.type === "error" && reply.requestDigest) || "",
            }),
      );
    const channel = await this.currentChannel(
      reply.type === "progress" ? 0 : this.deps.config.jobTimeoutMs,
    );
    await new Promise<void>((resolve, reject) => {
      channel.sendToQueue(
        replyTo,
        body,
        {
          correlationId,
          persistent: reply.type !== "progress",
          contentType: "application/json",
          headers,
          timestamp: Date.now(),
        },
        (error: unknown) =>
          error
            ? reject(error instanceof Error ? error : new Error(JSON.stringify(error)))
            : resolve(),
      );
    });
  }

  private currentChannel(waitMs: number): Promise<ConfirmChannel> {
    if (this.channel) return Promise.resolve(this.channel);
    if (waitMs <= 0) return Promise.reject(new Error("no channel"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.channelWaiters = this.channelWaiters.filter((w) => w !== waiter);
        reject(new Error("RabbitMQ unreachable: no channel to reply on"));
      }, waitMs);
      const waiter = (channel: ConfirmChannel) => {
        clearTimeout(timer);
        resolve(channel);
      };
      this.channelWaiters.push(waiter);
    });
  }

  /**
   * Graceful stop: no new deliveries; the jobs in hand get `graceMs` to finish and be
   * acked; what is still running then is aborted and returned to the queue.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    if (this.inFlight.size > 0) {
      this.deps.logger.info({ jobs: this.inFlight.size, graceMs }, "waiting for jobs in hand");
      const all = Promise.allSettled([...this.inFlight]);
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
      ]);
      if (timedOut) {
        this.shutdown.abort(new Error("shutdown"));
        await all;
      }
    }
    // Close the channel before the connection: quorum queues settle acks asynchronously,
    // and a connection closed right after an ack can return the acked message to the
    // queue (seen on RabbitMQ 3.10). Channel close waits for the broker's close-ok.
    await this.requesters.close();
    await this.channel?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
