// The Action's entry: everything happens in run(), which owns error handling. How the
// process runs it (a relaunch, scan workers) is in entry.ts; run.js is loaded only where
// it runs, so the first process and the workers stay small.
import { runEntry } from "./entry.js";

await runEntry(async () => {
  const { run } = await import("./run.js");
  await run();
});
