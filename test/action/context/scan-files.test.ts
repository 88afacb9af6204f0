import { describe, expect, it } from "@jest/globals";
import { measure, type ScanQuery } from "../../../action/context/scan-files.js";
import { identifiersIn } from "../../../action/context/tokens.js";

const query: ScanQuery = {
  terms: new Set(["id", "config"]),
  identifiers: new Set(),
  identifiersLower: new Map(),
  messages: [],
  phrases: new Map(),
};

describe("measure", () => {
  it("counts a notebook's base64 output toward its length but finds no query term in it", () => {
    const image = "iVBORw0KGgo+AAAAdbNSUhEUgAA/idFoo+".repeat(100);
    const notebook = `{"cells": [{"source": ["load_config()"], "outputs": [{"image/png": "${image}"}]}]}\n`;
    const stats = measure("docs/how-to.ipynb", notebook, query);
    // The length BM25 normalises by is every word of the file, as before.
    expect(stats.length).toBe(identifiersIn(notebook).length);
    expect(stats.contentTf?.get("config")).toBe(1);
    // "id" stands in the image's first 1,000 characters only a few times, not 100 times.
    expect(stats.contentTf?.get("id") ?? 0).toBeLessThan(40);
  });
});
