import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ollama } from "ollama";

const MAIN = fileURLToPath(new URL("../../support/ollama/main.ts", import.meta.url));

let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ollama-cli-"));
});

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** Starts the CLI and resolves with its URL once it prints the listening line. */
async function startCli(args: string[]): Promise<{ url: string; process: ChildProcess }> {
  const process_ = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = process_;
  let output = "";
  let errors = "";
  process_.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    process_.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    process_.once("exit", (code) => reject(new Error(`exited with ${code}: ${errors}`)));
  });
  return { url, process: process_ };
}

describe("the server as a separate process", () => {
  it("serves a script from a file and exits 0 on SIGTERM", async () => {
    const script = join(dir, "script.json");
    await writeFile(
      script,
      JSON.stringify([
        { content: '{"summary":"from file"}' },
        { fault: { type: "http-error", status: 503 } },
      ]),
    );
    const { url, process: server } = await startCli(["--port", "0", "--script", script]);

    const ollama = new Ollama({ host: url });
    expect((await ollama.version()).version).toBe("0.12.6");
    const reply = await ollama.chat({
      model: "tiny-random",
      messages: [{ role: "user", content: "x" }],
    });
    expect(reply.message.content).toBe('{"summary":"from file"}');
    await expect(
      ollama.chat({ model: "tiny-random", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({
      status_code: 503,
    });

    server.kill("SIGTERM");
    const [code] = (await once(server, "exit")) as [number | null];
    expect(code).toBe(0);
  });

  it("fails clearly on a bad option", async () => {
    await expect(startCli(["--port", "abc"])).rejects.toThrow(/Invalid option '--port'/);
  });
});
