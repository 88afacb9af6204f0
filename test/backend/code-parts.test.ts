/**
 * A code request whose files do not fit the window together is answered in parts: each
 * reply sees its own files with the whole window (a large file alone), and the replies
 * make one set of edits. Against the prompt renderer and runJob with a scripted model.
 */
import { describe, expect, it } from "@jest/globals";
import { runJob, type JobDeps } from "../../backend/jobs/run-job.js";
import type { GenerateRequest, LlmBackend } from "../../backend/llm/backend.js";
import { LlmError } from "../../backend/llm/errors.js";
import {
  CODE_SYSTEM_PROMPT,
  codeParts,
  renderCodeUserMessage,
} from "../../backend/prompt/code-prompt.js";
import { userMessageBudget } from "../../backend/prompt/user-message.js";
import type { CodeRequest, SourceFile } from "../../protocol/index.js";
import { sampleCodeRequest, samplePlan } from "../support/fixtures.js";
import { ScriptedModel, scriptedJobDeps } from "../support/scripted-model.js";

const WINDOW = 8192;
const BUDGET = userMessageBudget(WINDOW, 1024, CODE_SYSTEM_PROMPT);

/** A Python module of `count` functions; the fix goes in `target`, in its middle. */
function largeFile(path: string, count: number, target: number): SourceFile {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(`def helper_${i}(value):`);
    for (let j = 0; j < 8; j++) lines.push(`    value = value * ${j + 2} + ${i}  # step ${j}`);
    if (i === target) lines.push(`    return fix_me_in_${path.replace(/\W/g, "_")}(value)`);
    else lines.push("    return value");
    lines.push("");
  }
  const at = lines.findIndex((l) => l.startsWith(`def helper_${target}(`)) + 1;
  return {
    path,
    content: lines.join("\n"),
    regions: [{ startLine: at, endLine: at + 10 }],
    outline: Array.from({ length: count }, (_, i) => ({
      line: i * 11 + 1,
      text: `def helper_${i}(value):`,
    })),
  };
}

function twoFileRequest(overrides: Partial<CodeRequest> = {}): CodeRequest {
  const plan = samplePlan();
  return sampleCodeRequest({
    plan: {
      ...plan,
      files: [
        { path: "src/alpha.py", change: "modify", reason: "the first half of the fix" },
        { path: "src/beta.py", change: "modify", reason: "the second half" },
        { path: "src/gamma.py", change: "create", reason: "a new module" },
      ],
    },
    // Each about 6,000 tokens: either fits the window alone as a view, not both whole.
    files: [largeFile("src/alpha.py", 200, 150), largeFile("src/beta.py", 200, 40)],
    ...overrides,
  });
}

describe("a code request in parts", () => {
  it("stays one reply when its files fit the window whole together", () => {
    const request = twoFileRequest({
      files: [largeFile("src/alpha.py", 5, 2), largeFile("src/beta.py", 5, 3)],
    });
    expect(codeParts(request, BUDGET)).toBeUndefined();
    expect(codeParts(sampleCodeRequest(), BUDGET)).toBeUndefined();
  });

  it("gives each large file a reply of its own, naming the others, the first taking new files", () => {
    const request = twoFileRequest();
    const parts = codeParts(request, BUDGET);
    expect(parts).toEqual([
      { paths: ["src/alpha.py", "src/gamma.py"], others: ["src/beta.py"] },
      { paths: ["src/beta.py"], others: ["src/alpha.py"] },
    ]);
    const [first, second] = (parts ?? []).map(
      (part) => renderCodeUserMessage(request, BUDGET, part).text,
    );
    expect(first).toContain("fix_me_in_src_alpha_py");
    expect(first).not.toContain("## src/beta.py");
    expect(first).toMatch(/changes to `src\/alpha\.py`, `src\/gamma\.py` only/);
    expect(second).toContain("fix_me_in_src_beta_py");
    expect(second).not.toContain("## src/alpha.py");
    expect(second).toMatch(/other files \(`src\/alpha\.py`\) are changed in replies of their own/);
  });

  it("puts files that go whole together in one reply, a large one in its own", () => {
    const request = twoFileRequest({
      files: [
        largeFile("src/small_a.py", 4, 1),
        largeFile("src/alpha.py", 200, 150),
        largeFile("src/small_b.py", 4, 2),
      ],
    });
    expect(codeParts(request, BUDGET)).toEqual([
      {
        paths: ["src/small_a.py", "src/small_b.py", "src/beta.py", "src/gamma.py"],
        others: ["src/alpha.py"],
      },
      { paths: ["src/alpha.py"], others: ["src/small_a.py", "src/small_b.py"] },
    ]);
  });

  it("shows both halves of a two-file fix that one shared reply could not", () => {
    // Each file's one region is about 3,400 tokens: one fits the window, two do not.
    const wide = (file: SourceFile): SourceFile => {
      const at = file.regions?.[0]?.startLine ?? 1;
      return { ...file, regions: [{ startLine: at - 150, endLine: at + 170 }] };
    };
    const request = twoFileRequest({
      files: [wide(largeFile("src/alpha.py", 200, 150)), wide(largeFile("src/beta.py", 200, 40))],
    });
    const together = renderCodeUserMessage(request, BUDGET).text;
    expect(
      together.includes("fix_me_in_src_alpha_py") && together.includes("fix_me_in_src_beta_py"),
    ).toBe(false);
    const parts = codeParts(request, BUDGET) ?? [];
    const texts = parts.map((part) => renderCodeUserMessage(request, BUDGET, part).text);
    expect(texts[0]).toContain("    return fix_me_in_src_alpha_py(value)");
    expect(texts[1]).toContain("    return fix_me_in_src_beta_py(value)");
  });

  it("shows a repair round's part only its own files' previous edits", () => {
    const request = twoFileRequest({
      repair: {
        previous: {
          summary: "first try",
          edits: [
            {
              path: "src/alpha.py",
              change: "modify",
              hunks: [{ search: "ALPHA_OLD", replace: "a" }],
            },
            {
              path: "src/beta.py",
              change: "modify",
              hunks: [{ search: "BETA_OLD", replace: "b" }],
            },
          ],
        },
        errors: ["src/beta.py: search text not found"],
      },
    });
    const parts = codeParts(request, BUDGET) ?? [];
    const second = renderCodeUserMessage(request, BUDGET, parts[1]).text;
    expect(second).toContain("BETA_OLD");
    expect(second).not.toContain("ALPHA_OLD");
    expect(second).toContain("src/beta.py: search text not found");
  });
});

/** A scripted model that answers every call from its prompt, recording the prompts. */
function perFileModel(answer: (prompt: string) => string, calls = 4) {
  const prompts: string[] = [];
  const step = (request: GenerateRequest) => {
    const prompt = request.messages.map((m) => m.content).join("\n");
    prompts.push(prompt);
    return Promise.resolve(answer(prompt));
  };
  return { model: new ScriptedModel(Array.from({ length: calls }, () => step)), prompts };
}

function jobDeps(model: LlmBackend): JobDeps {
  return scriptedJobDeps(model, { numCtx: WINDOW });
}

const edit = (path: string, search: string) => ({
  path,
  change: "modify",
  hunks: [{ search, replace: `${search} + 1` }],
});

describe("runJob on a code request in parts", () => {
  it("asks once per file and answers one set of edits, dropping edits outside each part", async () => {
    const { model, prompts } = perFileModel((prompt) =>
      prompt.includes("fix_me_in_src_alpha_py")
        ? JSON.stringify({
            summary: "alpha done",
            // The second edit is beta's part's to make: dropped from this reply.
            edits: [edit("src/alpha.py", "ALPHA"), edit("src/beta.py", "WRONG_PLACE")],
          })
        : JSON.stringify({ summary: "beta done", edits: [edit("src/beta.py", "BETA")] }),
    );
    const outcome = await runJob(twoFileRequest(), jobDeps(model));
    expect(prompts).toHaveLength(2);
    expect(outcome.reply).toMatchObject({
      type: "result",
      kind: "code",
      edits: {
        summary: "alpha done\nbeta done",
        edits: [edit("src/alpha.py", "ALPHA"), edit("src/beta.py", "BETA")],
      },
      usage: { attempts: 2 },
    });
  });

  it("fits a later part into less when the model server finds it over the window, as a first call", async () => {
    const alpha = JSON.stringify({ summary: "alpha", edits: [edit("src/alpha.py", "ALPHA")] });
    const beta = JSON.stringify({ summary: "beta", edits: [edit("src/beta.py", "BETA")] });
    const model = new ScriptedModel([
      alpha,
      new LlmError("context_overflow", "the input length exceeds the context length"),
      beta,
    ]);
    const outcome = await runJob(twoFileRequest(), jobDeps(model));
    expect(outcome.reply).toMatchObject({ type: "result", kind: "code", usage: { attempts: 3 } });
    const [, tooLong, refitted] = model.calls.map((call) => call.messages[0]?.content ?? "");
    expect(tooLong).toContain("changes to `src/beta.py` only");
    expect(refitted).toContain("changes to `src/beta.py` only");
    expect(refitted?.length).toBeLessThan(0.8 * (tooLong?.length ?? 0));
  });

  it("fails the whole request, with no partial edits, when one part's replies are unusable", async () => {
    const { model, prompts } = perFileModel((prompt) =>
      prompt.includes("fix_me_in_src_alpha_py")
        ? JSON.stringify({ summary: "alpha done", edits: [edit("src/alpha.py", "ALPHA")] })
        : "not json at all",
    );
    const outcome = await runJob(twoFileRequest(), jobDeps(model));
    // One reply for alpha, then beta's reply and its correction round.
    expect(prompts).toHaveLength(3);
    expect(outcome.reply).toMatchObject({ type: "error", code: "invalid_model_output" });
  });

  it("refuses replies that, once each keeps to its own files, leave no edit at all", async () => {
    const { model } = perFileModel(() =>
      JSON.stringify({ summary: "elsewhere", edits: [edit("src/other.py", "X")] }),
    );
    const outcome = await runJob(twoFileRequest(), jobDeps(model));
    expect(outcome.reply).toMatchObject({ type: "error", code: "invalid_model_output" });
    expect((outcome.reply as { message: string }).message).toMatch(/one per part of the files/);
  });
});
