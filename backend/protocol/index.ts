export * from "./plan.js";
export * from "./messages.js";
export * from "./signing.js";
export * from "./topology.js";
