// ESM throughout: @actions/* are ESM-only, so the tests run as ES modules too
// (NODE_OPTIONS=--experimental-vm-modules, set by `npm test`).
/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  // Sources import `./x.js` for `x.ts` and `./x.cjs` for `x.cts` (CommonJS modules such
  // as action/parsing/tree-sitter-runtime.cts), as Node and the bundler expect.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  resolver: "<rootDir>/test/support/jest-resolver.cjs",
  moduleFileExtensions: ["ts", "cts", "js", "cjs", "mjs", "json"],
  transform: {
    "^.+\\.c?ts$": ["ts-jest", { useESM: true, diagnostics: false }],
  },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  // Broker restarts and the like run separately, serially (jest.disruptive.config.js).
  testPathIgnorePatterns: [
    "/node_modules/",
    "<rootDir>/test/scenarios/broker-restart/",
    "<rootDir>/test/scenarios/broker-cluster/",
  ],
  testTimeout: 60000,
  maxWorkers: 2,
};
