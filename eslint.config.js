// Flat config with type-aware rules: floating promises around amqplib and Octokit are
// the bugs that matter most here (a dropped ack, an unawaited GitHub write).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Import restrictions for one half: no other half, and the contract only through its entry. */
function boundary(half, forbidden) {
  return {
    patterns: [
      {
        regex: `(^|/)(${forbidden.join("|")})/`,
        message: `${half} may not import ${forbidden.join(" or ")}/: the halves meet only in protocol/.`,
      },
      {
        regex: "(^|/)protocol/(?!index\\.js$)",
        message: "Import the contract through protocol/index.js, its one entry point.",
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { disallowTypeAnnotations: false }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  // The house rules: action/ (the Action) and backend/ (the worker) meet only in the
  // contract, through its entry point protocol/index.js; the contract imports neither;
  // cli/ composes both. Tests and scripts may reach anywhere.
  {
    files: ["action/**/*.ts", "action/**/*.cts"],
    rules: { "no-restricted-imports": ["error", boundary("the Action", ["backend", "cli"])] },
  },
  {
    files: ["backend/**/*.ts"],
    rules: { "no-restricted-imports": ["error", boundary("the worker", ["action", "cli"])] },
  },
  {
    files: ["protocol/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)(action|backend|cli)/",
              message: "protocol/ is the contract both halves import: it imports neither.",
            },
          ],
        },
      ],
    },
  },
  {
    // CommonJS modules exist to be followed by the bundler through `require`.
    files: ["**/*.cts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts", "scripts/**/*.ts"],
    rules: {
      "no-console": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
