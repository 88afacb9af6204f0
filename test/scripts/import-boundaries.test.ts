/**
 * The lint rule that keeps action/ and backend/ apart does fire: each forbidden crossing,
 * written into a file of the folder it is forbidden in, is reported.
 */
import { describe, expect, it } from "@jest/globals";
import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Only the boundary rule, without type information (the probes are not files of the project).
const eslint = new ESLint({
  cwd: ROOT,
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports",
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}${file}` });
  const messages = result?.messages ?? [];
  const other = messages.filter((m) => m.ruleId !== "no-restricted-imports");
  if (other.length > 0) throw new Error(`lint failed: ${other.map((m) => m.message).join("; ")}`);
  return messages.map((m) => m.message);
}

describe("import boundaries", () => {
  it.each([
    [
      "action/steps/x.ts",
      'import { runJob } from "../../backend/jobs/run-job.js";\nvoid runJob;\n',
    ],
    ["action/x.ts", 'import { main } from "../cli/main.js";\nvoid main;\n'],
    [
      "action/steps/x.ts",
      'import { signBody } from "../../protocol/signing.js";\nvoid signBody;\n',
    ],
    ["backend/jobs/x.ts", 'import { run } from "../../action/run.js";\nvoid run;\n'],
    ["backend/x.ts", 'import { PlanSchema } from "../protocol/plan.js";\nvoid PlanSchema;\n'],
    ["protocol/x.ts", 'import { runJob } from "../backend/jobs/run-job.js";\nvoid runJob;\n'],
  ])(
    "refuses in %s: %s",
    async (file, source) => {
      expect(await boundaryErrors(file, source)).toHaveLength(1);
    },
    60_000,
  );

  it.each([
    ["action/steps/x.ts", 'import { signBody } from "../../protocol/index.js";\nvoid signBody;\n'],
    ["backend/x.ts", 'import { PlanSchema } from "../protocol/index.js";\nvoid PlanSchema;\n'],
    ["cli/x.ts", 'import { runJob } from "../backend/jobs/run-job.js";\nvoid runJob;\n'],
  ])(
    "allows in %s: %s",
    async (file, source) => {
      expect(await boundaryErrors(file, source)).toEqual([]);
    },
    60_000,
  );
});
