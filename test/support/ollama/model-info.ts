/**
 * What `/api/tags`, `/api/show` and `/api/ps` say about the served model. Read from the
 * GGUF file itself (metadata, tensor shapes, size, digest) so that a worker reading the
 * context length from `/api/show` sees the real one; a missing file falls back to a
 * fixed description so that scripted-only servers work without it.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { parseGguf } from "./gguf-metadata.js";

/** The served model, described once and cached by the server. */
export interface ModelDescription {
  digest: string;
  sizeBytes: number;
  modifiedAt: string;
  details: {
    parent_model: string;
    format: string;
    family: string;
    families: string[];
    parameter_size: string;
    quantization_level: string;
  };
  contextLength: number;
  /** `/api/show` `model_info`: flattened GGUF metadata; token tables left out as Ollama does. */
  modelInfo: Record<string, unknown>;
}

// GGUF `general.file_type` values (llama.cpp's llama_ftype) for the common files.
const FILE_TYPES: Record<number, string> = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  3: "Q4_1",
  7: "Q8_0",
  8: "Q5_0",
  9: "Q5_1",
  10: "Q2_K",
  12: "Q3_K_M",
  15: "Q4_K_M",
  17: "Q5_K_M",
  18: "Q6_K",
  32: "BF16",
};

/**
 * Describes the model in `modelFile`, or a fixed stand-in when the file cannot be read.
 */
export async function describeModel(modelFile: string): Promise<ModelDescription> {
  let bytes: Buffer;
  let modified: Date;
  try {
    [bytes, modified] = await Promise.all([
      readFile(modelFile),
      stat(modelFile).then((s) => s.mtime),
    ]);
  } catch {
    return fallbackDescription();
  }
  const { metadata, parameterCount } = parseGguf(bytes);
  const architecture = stringOr(metadata.get("general.architecture"), "llama");
  const modelInfo: Record<string, unknown> = {};
  for (const [key, value] of metadata) {
    // Ollama sends the token tables as null unless `verbose` is set.
    modelInfo[key] = Array.isArray(value) && value.length > 64 ? null : value;
  }
  modelInfo["general.parameter_count"] = parameterCount;

  return {
    digest: createHash("sha256").update(bytes).digest("hex"),
    sizeBytes: bytes.length,
    modifiedAt: modified.toISOString(),
    details: {
      parent_model: "",
      format: "gguf",
      family: architecture,
      families: [architecture],
      parameter_size: formatParameterCount(parameterCount),
      quantization_level: FILE_TYPES[Number(metadata.get("general.file_type"))] ?? "unknown",
    },
    contextLength: Number(metadata.get(`${architecture}.context_length`) ?? 2048),
    modelInfo,
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function formatParameterCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(2)}M`;
  return `${(count / 1e3).toFixed(2)}K`;
}

function fallbackDescription(): ModelDescription {
  return {
    digest: createHash("sha256").update("ollama-test-server").digest("hex"),
    sizeBytes: 0,
    modifiedAt: new Date(0).toISOString(),
    details: {
      parent_model: "",
      format: "gguf",
      family: "llama",
      families: ["llama"],
      parameter_size: "0.00K",
      quantization_level: "F16",
    },
    contextLength: 4096,
    modelInfo: { "general.architecture": "llama", "llama.context_length": 4096 },
  };
}
