import { fileURLToPath } from "node:url";

/**
 * Files the suite needs, committed under test/fixtures/ so that it runs with nothing
 * outside the repository (licences and provenance in each folder's README).
 */
export const TINY_MODEL = fileURLToPath(
  new URL("../fixtures/models/llama-2-tiny-random.gguf", import.meta.url),
);

/** Ollama's OpenAPI description, which the Ollama-compatible test server is checked against. */
export const OLLAMA_OPENAPI = fileURLToPath(
  new URL("../fixtures/ollama/openapi.yaml", import.meta.url),
);
