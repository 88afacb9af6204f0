// The Action's entry: everything happens in run(), which owns error handling.
import { run } from "./run.js";

await run();
