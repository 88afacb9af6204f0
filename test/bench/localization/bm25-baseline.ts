/**
 * The plain BM25 baseline the harness runs beside the ranking: whole-file content plus
 * path as one bag of lowercase word tokens, no identifier splitting, no other signal,
 * over the same file list the context builder sees. This is the usual "BM25 retriever"
 * of the localization literature.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listRepositoryFiles } from "../../../action/context/build-context.js";

const WORD = /[A-Za-z0-9_]+/g;
const MAX_BYTES = 1_000_000;

/** Ranks the repository's files by BM25 (k1 1.2, b 0.75); returns the top `k` paths. */
export async function bm25Rank(repoDir: string, query: string, k: number): Promise<string[]> {
  const paths = await listRepositoryFiles(repoDir);
  const queryTerms = new Map<string, number>();
  for (const t of query.toLowerCase().match(WORD) ?? [])
    queryTerms.set(t, (queryTerms.get(t) ?? 0) + 1);
  const docs: { path: string; tf: Map<string, number>; length: number }[] = [];
  const df = new Map<string, number>();
  for (const path of paths) {
    let text: string;
    try {
      const buffer = readFileSync(join(repoDir, path));
      if (buffer.length > MAX_BYTES || buffer.includes(0)) continue;
      text = `${path} ${buffer.toString("utf8")}`;
    } catch {
      continue;
    }
    const tf = new Map<string, number>();
    let length = 0;
    for (const t of text.toLowerCase().match(WORD) ?? []) {
      length++;
      if (queryTerms.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    }
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    docs.push({ path, tf, length });
  }
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, n);
  const scored = docs.map((doc) => {
    let s = 0;
    for (const [t, tf] of doc.tf) {
      const d = df.get(t) ?? 0;
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
      s +=
        (queryTerms.get(t) ?? 0) *
        idf *
        ((tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * doc.length) / avg)));
    }
    return { path: doc.path, s };
  });
  scored.sort((a, b) => b.s - a.s || (a.path < b.path ? -1 : 1));
  return scored.slice(0, k).map((x) => x.path);
}
