/**
 * Runs the Ollama-compatible test server as its own process:
 *
 *   npx tsx test/support/ollama/main.ts --port 11434 [--model-file F] [--script F]
 *     [--mode real|scripted|instant] [--model NAME] [--instant-reply TEXT] [--host H]
 *
 * `--script F` reads a JSON array of scripted replies (see script.ts) and selects
 * scripted mode. Prints `listening on http://127.0.0.1:<port>` once ready; SIGTERM or
 * SIGINT closes it and exits 0.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { ScriptedReply } from "./script.js";
import { startOllamaTestServer, type OllamaTestServerOptions, type ServerMode } from "./server.js";

const MODES: readonly ServerMode[] = ["real", "scripted", "instant"];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      model: { type: "string" },
      "model-file": { type: "string" },
      script: { type: "string" },
      mode: { type: "string" },
      "instant-reply": { type: "string" },
    },
    strict: true,
  });

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid option '--port': expected a port number, got '${values.port}'`);
  }
  const mode = values.mode as ServerMode | undefined;
  if (mode !== undefined && !MODES.includes(mode)) {
    throw new Error(`Invalid option '--mode': expected one of ${MODES.join(", ")}, got '${mode}'`);
  }

  const options: OllamaTestServerOptions = { port, host: values.host };
  if (mode !== undefined) options.mode = mode;
  if (values.model !== undefined) options.model = values.model;
  if (values["model-file"] !== undefined) options.modelFile = values["model-file"];
  if (values["instant-reply"] !== undefined) options.instantReply = values["instant-reply"];
  if (values.script !== undefined) options.script = await readScript(values.script);

  const server = await startOllamaTestServer(options);
  process.stdout.write(`listening on ${server.url}\n`);

  let stopping = false;
  const stop = (): void => {
    // A second signal while closing forces the exit.
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function readScript(file: string): Promise<ScriptedReply[]> {
  const parsed = JSON.parse(await readFile(file, "utf8")) as unknown;
  if (!Array.isArray(parsed)) {
    throw new Error(`Invalid option '--script': expected a JSON array of replies in ${file}`);
  }
  return parsed as ScriptedReply[];
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
