import { encodedSecretRanges } from "../../../action/context/encoded-secrets.js";

const SECRET = "Pa55-rotated-w0rd!";
const FILE = `API_URL=https://api.example.com\nDB_PASSWORD=${SECRET}\nMODE=test\n`;
const covered = (text: string) =>
  encodedSecretRanges(text, [SECRET]).map(([start, end]) => text.slice(start, end));

describe("secrets printed encoded", () => {
  it("finds them in base64 wrapped and indented as a test runner logs it", () => {
    const b64 = Buffer.from(FILE).toString("base64");
    const wrapped = b64.match(/.{1,20}/g)!.map((line) => `      ${line}`);
    const text = ["console.log", ...wrapped, "    at Object.<anonymous>"].join("\n");
    expect(covered(text).join("")).toContain(b64.slice(0, 20));
  });

  it("finds them in a hex stretch inside a longer word, from an odd offset too", () => {
    const hex = Buffer.from(FILE).toString("hex");
    expect(covered(`dump x=${hex}`)).toHaveLength(1);
    expect(covered(`dump=0${hex.slice(1)}`)).toHaveLength(1);
  });

  it("leaves encoded text that holds no known secret, and ignores secrets too short to tell", () => {
    const other = Buffer.from("nothing secret in here at all").toString("base64");
    expect(covered(`data: ${other}`)).toEqual([]);
    expect(encodedSecretRanges(Buffer.from("abc").toString("hex"), ["abc"])).toEqual([]);
  });
});
