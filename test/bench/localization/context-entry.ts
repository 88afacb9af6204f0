/**
 * Entry for the benchmark bundle when `cli/main.ts` cannot be bundled (a sibling
 * subcommand still missing): the same `context` subcommand, dispatched the same way.
 */
import { runContextCommand } from "../../../cli/context-command.js";

const [command, ...rest] = process.argv.slice(2);
if (command !== "context") {
  process.stderr.write("usage: context-entry context [options]\n");
  process.exitCode = 2;
} else {
  process.exitCode = await runContextCommand(rest);
}
