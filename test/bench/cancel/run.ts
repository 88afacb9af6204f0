/**
 * How long a cancelled run takes to clean up: the shipped Action (dist/index.js under
 * Node 24) waits while the model writes, gets SIGINT, and the clock runs until it exits
 * (tracking comment, labels, reply queue deleted). GitHub gives 7.5 s before SIGTERM and
 * kills about 2.5 s after that. Measured with the Action's own GitHub write spacing
 * (GitHub's guidance: 1 s between writes) and with none (the emulator's speed).
 *
 *   npx tsx test/bench/cancel/run.ts [runs]        (default 5 runs per setting)
 *
 * Needs RabbitMQ on 127.0.0.1 and a built dist/. Writes results/cancel.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { labeledEvent, startAction } from "../../support/action-runner.js";
import { waitFor } from "../../support/broker/rabbitmq.js";
import { startScenario } from "../../support/scenario.js";

const runs = Number(process.argv[2] ?? 5);
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));

const scenario = await startScenario({
  label: "cancel-bench",
  signingKey: "cancel-bench-key",
  github: {
    repos: [
      {
        owner: "octo",
        name: "widgets",
        files: { "src/lexer.py": "def lex(text):\n    return text.split()\n" },
        collaborators: { maintainer: "write" },
      },
    ],
    users: [{ login: "maintainer" }, { login: "alice" }],
  },
  // Every model call is held until the end: each run is cancelled while the model writes.
  model: { mode: "scripted", script: async () => (await held, { content: "{}" }) },
});

const rows: { spacing: string; ms: number[] }[] = [];
try {
  for (const spacing of [undefined, "0"]) {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const repo = scenario.repo();
      const title = `CANCEL-BENCH-${spacing ?? "paced"}-${i}`;
      const issue = repo.addIssue({ title, body: "lex in src/lexer.py", user: "alice" }).number;
      const action = await startAction({
        eventName: "issues",
        payload: labeledEvent(
          { owner: "octo", name: "widgets" },
          { number: issue, title, body: "", author: "alice" },
          "ai-agent",
        ),
        inputs: scenario.inputs(),
        repository: "octo/widgets",
        apiUrl: scenario.github.url,
        serverUrl: scenario.github.serverUrl,
        env: spacing === undefined ? {} : { ISSUE_AGENT_API_SPACING_MS: spacing },
        timeoutMs: 120_000,
      });
      await waitFor(
        () =>
          scenario.ollama
            .requestsTo("/api/chat")
            .some((r) => JSON.stringify(r.body).includes(title)),
        60_000,
        "the model writing",
      );
      const signalled = performance.now();
      action.kill("SIGINT");
      const result = await action.done;
      ms.push(Math.round(performance.now() - signalled));
      const cancelled = repo.comments(issue).some((c) => c.body.includes("**Status:** cancelled"));
      if (result.exitCode !== 1 || !cancelled)
        throw new Error(`run ${i} did not end cancelled:\n${result.stdout}`);
    }
    rows.push({ spacing: spacing === undefined ? "GitHub's guidance (1 s)" : "none", ms });
  }
} finally {
  release();
  await scenario.close();
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const lines = [
  `SIGINT while the model writes → the Action's exit, ms (${runs} runs each; \`npx tsx test/bench/cancel/run.ts ${runs}\`)`,
  "",
  "| GitHub write spacing | p50 | max | all |",
  "| --- | ---: | ---: | --- |",
  ...rows.map(({ spacing, ms }) => {
    const s = sorted(ms);
    return `| ${spacing} | ${s[Math.floor((s.length - 1) / 2)]} | ${s.at(-1)} | ${ms.join(", ")} |`;
  }),
];
const out = path.join(import.meta.dirname, "results");
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "cancel.md"), `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
