/**
 * A deliberately pessimistic token count for today's tokenizers: one token per 3 UTF-8
 * bytes. Llama 3's and Qwen 2.5's vocabularies take about 4 bytes of code a token
 * (cl100k_base on the benchmark's files: 4.2 at the median, 3.5 at the 95th percentile),
 * so a prompt this says fits does, and the worker widens the room by the model's own
 * counts (backend/prompt/token-calibration.ts). Llama 2's 32k vocabulary cuts indented
 * code finer: about one code prompt in six at an 8k window is over by its count, and the
 * worker fits it again into less (backend/jobs/run-job.ts). Non-ASCII text costs more
 * bytes, matching its higher token cost.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 3);
}
