/**
 * The contract between the Action and the worker: the messages and their schemas, the
 * plan and edit formats, signing, the broker topology, size limits, the AMQP URL helpers
 * and the one token estimator. action/ and backend/ meet only here, through this entry
 * point (a lint rule fails CI on any other crossing); this folder imports neither.
 */
export * from "./connection-url.js";
export * from "./context-shares.js";
export * from "./limits.js";
export * from "./messages.js";
export * from "./plan.js";
export * from "./repo-path.js";
export * from "./signing.js";
export * from "./token-estimate.js";
export * from "./topology.js";
export * from "./broker-failover.js";
