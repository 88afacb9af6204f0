// Tests that disturb shared services (restarting RabbitMQ itself). They run after the
// main suite, one file at a time, so they never pull the broker from under other tests.
import base from "./jest.config.js";

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ["<rootDir>/test/scenarios/broker-restart/**/*.test.ts"],
  testPathIgnorePatterns: [],
  maxWorkers: 1,
};
