import { readFile } from "node:fs/promises";
import { readGgufFileInfo } from "node-llama-cpp";
import { parseGguf } from "../../support/ollama/gguf-metadata.js";
import { TINY_MODEL } from "../../support/fixture-files.js";

const MODEL_FILE = TINY_MODEL;

describe("GGUF metadata", () => {
  it("reads the same metadata and tensor shapes as node-llama-cpp", async () => {
    const [summary, reference] = await Promise.all([
      readFile(MODEL_FILE).then(parseGguf),
      readGgufFileInfo(MODEL_FILE, { readTensorInfo: true, logWarnings: false }),
    ]);
    expect(summary.metadata.get("general.architecture")).toBe(
      reference.metadata.general.architecture,
    );
    expect(summary.metadata.get("llama.context_length")).toBe(4096);
    expect(summary.metadata.get("tokenizer.ggml.bos_token_id")).toBe(1);
    expect((summary.metadata.get("tokenizer.ggml.tokens") as unknown[]).length).toBe(32000);
    const weights = (reference.tensorInfo ?? []).reduce(
      (sum, tensor) => sum + tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1),
      0,
    );
    expect(summary.parameterCount).toBe(weights);
    expect(weights).toBeGreaterThan(0);
  });

  it("refuses what is not GGUF and a header cut short", async () => {
    expect(() => parseGguf(Buffer.from("not a model at all"))).toThrow("not a GGUF file");
    const head = (await readFile(MODEL_FILE)).subarray(0, 200);
    expect(() => parseGguf(head)).toThrow(RangeError);
  });
});
