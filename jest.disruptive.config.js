// Tests that disturb or load the machine (RabbitMQ restarted, on a node of their own;
// a three-node cluster of their own). They run after the main suite, one file at a
// time, so they never pull the broker or the CPUs from under other tests.
import base from "./jest.config.js";

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: [
    "<rootDir>/test/scenarios/broker-restart/**/*.test.ts",
    "<rootDir>/test/scenarios/broker-cluster/**/*.test.ts",
  ],
  testPathIgnorePatterns: [],
  maxWorkers: 1,
};
