// The Action's entry: everything happens in run(), which owns error handling. It runs in
// a process started with --liftoff-only (see liftoff-relaunch.ts); run.js is loaded only
// there, so the first process stays small.
import { runWithLiftoff } from "./liftoff-relaunch.js";

await runWithLiftoff(async () => {
  const { run } = await import("./run.js");
  await run();
});
