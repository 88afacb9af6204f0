/**
 * Plays one scripted reply into a ReplyWriter: the delays, the chunks, the injected
 * fault, and a final chunk whose durations are the time really spent.
 */
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { INPUT_TOO_LONG, defaultErrorText, modelNotFound } from "./ollama-errors.js";
import type { ReplyWriter } from "./reply-writer.js";
import type { ScriptedReply } from "./script.js";
import { splitIntoTokens } from "./token-estimate.js";

/** What playback needs to know about the request it answers. */
export interface PlaybackContext {
  writer: ReplyWriter;
  /** The model name as the request spelled it. */
  model: string;
  /** The prompt's token count, reported unless the reply overrides it. */
  promptTokens: number;
  /** When the request arrived (process.hrtime.bigint()). */
  startedAt: bigint;
  /** Aborted when the client leaves or the server closes. */
  signal: AbortSignal;
  /** Called just before a `cut` fault destroys the connection. */
  onCut: () => void;
  /** Whether the model thinks before it answers (see ScriptedReply.thinking). */
  thinks: boolean;
  /** The request's num_predict; undefined or negative for no limit. */
  numPredict: number | undefined;
  /** The request has `format`: the answer after thinking is a second completion. */
  structuredAfterThinking: boolean;
}

/**
 * Answers a request with a scripted reply. Resolves when the reply is complete, failed
 * or cut, or when the signal aborts a wait.
 */
export async function playScriptedReply(
  reply: ScriptedReply,
  context: PlaybackContext,
): Promise<void> {
  const { writer, signal } = context;
  const fault = reply.fault;
  const loadedAt = process.hrtime.bigint();
  const cut = (): void => {
    context.onCut();
    writer.cut();
  };
  try {
    if ((reply.delayBeforeFirstTokenMs ?? 0) > 0) {
      await sleep(reply.delayBeforeFirstTokenMs, undefined, { signal });
    }
    switch (fault?.type) {
      case "unknown-model":
        writer.fail(404, modelNotFound(context.model));
        return;
      case "prompt-too-long":
        writer.fail(400, INPUT_TOO_LONG);
        return;
      case "http-error":
        writer.fail(fault.status, fault.error ?? defaultErrorText(fault.status));
        return;
      case "cut":
      case "stream-error":
      case "stall":
      case undefined:
        // These strike during the stream, below.
        break;
    }
    const firstTokenAt = process.hrtime.bigint();
    const thought = context.thinks ? splitIntoTokens(reply.thinking ?? "") : [];
    const limit =
      context.numPredict !== undefined && context.numPredict >= 0 ? context.numPredict : Infinity;
    for (const piece of thought.slice(0, limit)) {
      await writer.thinkingChunk(piece);
      if (writer.closed) return;
    }
    const thoughtOut = thought.length >= limit;
    const secondCompletion = context.structuredAfterThinking && thought.length > 0 && !thoughtOut;
    const chunks = thoughtOut ? [] : (reply.chunks ?? splitIntoTokens(reply.content ?? ""));
    for (let i = 0; i <= chunks.length; i += 1) {
      // A fault placed at or past the last chunk strikes just before the final chunk.
      const due = (after: number): boolean => after === i || (i === chunks.length && after > i);
      if (fault?.type === "cut" && due(fault.afterChunks)) {
        cut();
        return;
      }
      if (fault?.type === "stream-error" && due(fault.afterChunks)) {
        writer.fail(500, fault.error ?? defaultErrorText(500));
        return;
      }
      if (fault?.type === "stall" && due(fault.afterChunks)) {
        // The chunks so far are out (headers come with the first); the connection stays
        // open with nothing more on it until the client leaves.
        await once(signal, "abort");
        return;
      }
      const chunk = chunks[i];
      if (chunk === undefined) break;
      if (i > 0 && (reply.delayBetweenChunksMs ?? 0) > 0) {
        await sleep(reply.delayBetweenChunksMs, undefined, { signal });
      }
      await writer.chunk(chunk);
      if (writer.closed) return;
    }
    const finishedAt = process.hrtime.bigint();
    const loadDurationNs =
      reply.loadDurationMs !== undefined
        ? reply.loadDurationMs * 1e6
        : Math.max(1, Number(loadedAt - context.startedAt));
    const promptEvalDurationNs = Math.max(1, Number(firstTokenAt - loadedAt));
    const evalDurationNs = Math.max(1, Number(finishedAt - firstTokenAt));
    writer.finish({
      doneReason: thoughtOut ? "length" : (reply.doneReason ?? "stop"),
      // A reported load time that was not really spent still adds up in the total.
      totalDurationNs: Math.max(
        Number(finishedAt - context.startedAt),
        loadDurationNs + promptEvalDurationNs + evalDurationNs,
      ),
      loadDurationNs,
      // The final chunk counts the completion it ends: after thinking under `format`, the
      // second one, whose prompt holds the thinking and whose output is the answer alone.
      promptEvalCount:
        reply.promptEvalCount ?? context.promptTokens + (secondCompletion ? thought.length : 0),
      promptEvalDurationNs,
      evalCount:
        reply.evalCount ??
        (secondCompletion ? chunks.length : Math.min(thought.length, limit) + chunks.length),
      evalDurationNs,
    });
  } catch (error) {
    // A client that leaves (or a server closing) aborts the waits; nothing to answer.
    if (signal.aborted) return;
    throw error;
  }
}
