import type { WorkerConfig } from "../config.js";
import type { LlmBackend } from "./backend.js";
import { EmbeddedBackend } from "./embedded.js";
import { OllamaBackend } from "./ollama.js";
import { OpenAiCompatibleBackend } from "./openai-compatible.js";

/** The model backend the configuration names. */
export function createLlmBackend(llm: WorkerConfig["llm"]): LlmBackend {
  switch (llm.backend) {
    case "ollama":
      return new OllamaBackend({
        host: llm.ollamaHost,
        apiKey: llm.ollamaApiKey,
        firstTokenTimeoutMs: llm.firstTokenTimeoutMs,
        streamIdleTimeoutMs: llm.streamIdleTimeoutMs,
      });
    case "openai":
      return new OpenAiCompatibleBackend({
        baseUrl: llm.openaiBaseUrl,
        apiKey: llm.openaiApiKey,
        firstTokenTimeoutMs: llm.firstTokenTimeoutMs,
        streamIdleTimeoutMs: llm.streamIdleTimeoutMs,
      });
    case "embedded":
      if (!llm.modelFile) throw new Error("LLM_BACKEND=embedded needs MODEL_FILE");
      return new EmbeddedBackend({ modelFile: llm.modelFile });
  }
}
