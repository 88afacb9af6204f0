import {
  MAX_REQUEST_BYTES,
  parseReply,
  parseWorkRequest,
  PlanSchema,
  planJsonSchema,
} from "../../protocol/index.js";
import { samplePlan, samplePlanRequest } from "../support/fixtures.js";

describe("protocol messages", () => {
  it("parses a well-formed plan request and fills defaults", () => {
    const parsed = parseWorkRequest(JSON.stringify(samplePlanRequest()));
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value.type).toBe("plan");
  });

  it("names the failing field of a wrong request", () => {
    const request = samplePlanRequest();
    (request.repo as { sha: string }).sha = "not-a-sha";
    const parsed = parseWorkRequest(JSON.stringify(request));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(/repo\.sha: expected a git commit sha/);
  });

  it("refuses malformed JSON and oversize bodies with a reason", () => {
    const bad = parseWorkRequest("{not json");
    expect(!bad.ok && bad.reason).toMatch(/not valid JSON/);
    const huge = parseWorkRequest(Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20));
    expect(!huge.ok && huge.reason).toMatch(/over the \d+-byte limit/);
  });

  it("takes a context file's focus regions, and refuses reversed or too many", () => {
    const withFocus = (focus: { startLine: number; endLine: number }[]) => {
      const request = samplePlanRequest();
      const file = request.context.files[0];
      if (file) file.focus = focus;
      return parseWorkRequest(JSON.stringify(request));
    };
    const ok = withFocus([{ startLine: 2, endLine: 3 }]);
    expect(ok.ok && ok.value.type === "plan" && ok.value.context.files[0]?.focus).toEqual([
      { startLine: 2, endLine: 3 },
    ]);
    const reversed = withFocus([{ startLine: 5, endLine: 4 }]);
    expect(!reversed.ok && reversed.reason).toMatch(/focus.*endLine before startLine/);
    const many = withFocus(Array.from({ length: 41 }, () => ({ startLine: 1, endLine: 1 })));
    expect(many.ok).toBe(false);
  });

  it("refuses another protocol version", () => {
    const parsed = parseWorkRequest(JSON.stringify({ ...samplePlanRequest(), version: 2 }));
    expect(!parsed.ok && parsed.reason).toMatch(/version/);
  });

  it("parses replies of every type", () => {
    const base = { version: 1, requestId: "req-12345678", at: 1 };
    expect(parseReply(JSON.stringify({ ...base, type: "progress", stage: "accepted" })).ok).toBe(
      true,
    );
    expect(
      parseReply(
        JSON.stringify({
          ...base,
          type: "error",
          code: "internal",
          message: "x",
          retryable: false,
        }),
      ).ok,
    ).toBe(true);
    const usage = {
      model: "m",
      promptTokens: 1,
      evalTokens: 1,
      totalMs: 1,
      loadMs: 0,
      promptMs: 0,
      evalMs: 1,
      attempts: 1,
    };
    expect(
      parseReply(
        JSON.stringify({ ...base, type: "result", kind: "plan", plan: samplePlan(), usage }),
      ).ok,
    ).toBe(true);
    expect(
      parseReply(JSON.stringify({ ...base, type: "result", kind: "plan", plan: {}, usage })).ok,
    ).toBe(false);
  });

  it("generates the model's JSON schema from the zod plan schema", () => {
    expect(planJsonSchema).toMatchObject({
      type: "object",
      required: expect.arrayContaining([
        "summary",
        "steps",
        "files",
        "risks",
        "tests",
        "openQuestions",
      ]),
    });
    const files = (
      planJsonSchema.properties as Record<
        string,
        { items: { properties: Record<string, unknown> } }
      >
    ).files;
    expect(files?.items.properties.change).toEqual({
      type: "string",
      enum: ["modify", "create", "delete"],
    });
    expect(PlanSchema.safeParse(samplePlan()).success).toBe(true);
  });
});
