// ESM throughout: @actions/* are ESM-only, so the tests run as ES modules too
// (NODE_OPTIONS=--experimental-vm-modules, set by `npm test`).
/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, diagnostics: false }],
  },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  // Broker restarts and the like run separately, serially (jest.disruptive.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/disruptive/"],
  testTimeout: 60000,
  maxWorkers: 2,
};
