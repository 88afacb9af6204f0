import { signBody, verifyBody } from "../../protocol/index.js";

describe("message signing", () => {
  const key = "a-shared-key";
  const body = Buffer.from('{"hello":"world"}');

  it("accepts a body signed with the same key", () => {
    const header = signBody(body, key, 1_000_000);
    expect(verifyBody(body, header, key, { now: 1_000_500 })).toEqual({
      ok: true,
      timestamp: 1_000_000,
    });
  });

  it.each([
    ["missing", undefined, /missing x-signature/],
    ["malformed", "v1=abc", /malformed/],
    ["wrong key", signBody(body, "other-key", 1_000_000), /does not match/],
  ])("refuses a %s signature", (_name, header, reason) => {
    const outcome = verifyBody(body, header, key, { now: 1_000_000 });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(reason);
  });

  it("refuses an altered body", () => {
    const header = signBody(body, key, 1_000_000);
    expect(verifyBody(Buffer.from('{"hello":"World"}'), header, key, { now: 1_000_000 }).ok).toBe(
      false,
    );
  });

  it("refuses a replay outside the time window, in both directions", () => {
    const header = signBody(body, key, 1_000_000);
    const late = verifyBody(body, header, key, { now: 1_000_000 + 5 * 60_000 + 1 });
    const early = verifyBody(body, header, key, { now: 1_000_000 - 5 * 60_000 - 1 });
    expect(late.ok || early.ok).toBe(false);
    expect(!late.ok && late.reason).toMatch(/replayed or clock skew/);
  });

  it("binds the timestamp: changing it breaks the signature", () => {
    const header = signBody(body, key, 1_000_000).replace("t=1000000", "t=1000001");
    expect(verifyBody(body, header, key, { now: 1_000_000 }).ok).toBe(false);
  });
});
