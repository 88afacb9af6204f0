import { EventEmitter } from "node:events";
import { describe, expect, it } from "@jest/globals";
import { Cancellation, cancelOnSignals, RunCancelledError } from "../../action/cancellation.js";

/** A stand-in for `process` as far as signal listeners go: signals are emitted by hand. */
function fakeProcess(): EventEmitter & Pick<NodeJS.Process, "on" | "off"> {
  return new EventEmitter() as EventEmitter & Pick<NodeJS.Process, "on" | "off">;
}

describe("cancelling a run on the runner's signals", () => {
  it("cancels on the first signal and only logs the later ones", () => {
    const cancellation = new Cancellation();
    const proc = fakeProcess();
    const first: string[] = [];
    const again: string[] = [];
    cancelOnSignals(cancellation, proc, {
      first: (m) => first.push(m),
      again: (m) => again.push(m),
    });
    expect(cancellation.requested).toBe(false);
    expect(() => cancellation.throwIfCancelled()).not.toThrow();

    proc.emit("SIGINT", "SIGINT");
    expect(cancellation.requested).toBe(true);
    expect(cancellation.signal.aborted).toBe(true);
    expect(first).toEqual([
      "Received SIGINT: the workflow run was cancelled. Stopping and cleaning up.",
    ]);
    proc.emit("SIGTERM", "SIGTERM");
    proc.emit("SIGINT", "SIGINT");
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(2);
    // The reason stays the first signal's.
    expect(() => cancellation.throwIfCancelled()).toThrow(new RunCancelledError("SIGINT").message);
  });

  it("names what was already published when it stops the run", () => {
    const cancellation = new Cancellation();
    cancellation.cancel("SIGTERM");
    let caught: unknown;
    try {
      cancellation.throwIfCancelled({ pullRequestUrl: "https://example.test/pull/3" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RunCancelledError);
    expect((caught as RunCancelledError).signalName).toBe("SIGTERM");
    expect((caught as RunCancelledError).pullRequestUrl).toBe("https://example.test/pull/3");
  });

  it("removes its listeners when the run is over", () => {
    const proc = fakeProcess();
    const stop = cancelOnSignals(new Cancellation(), proc, { first: () => {}, again: () => {} });
    expect(proc.listenerCount("SIGINT")).toBe(1);
    expect(proc.listenerCount("SIGTERM")).toBe(1);
    stop();
    expect(proc.listenerCount("SIGINT")).toBe(0);
    expect(proc.listenerCount("SIGTERM")).toBe(0);
  });
});
