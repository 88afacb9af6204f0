/**
 * `issue-agent` command line: local runs of what the Action does, without GitHub.
 * Subcommands live in their own modules; this file only dispatches. Logs go to stderr,
 * results to stdout. It runs as the Action's entry does (action/entry.ts).
 */
import { warmScanWorkers } from "../action/context/scan-pool.js";
import { runEntry } from "../action/entry.js";

const USAGE = `Usage: issue-agent <command> [options]

Commands:
  plan      Build the context and a plan for an issue in a local checkout
  context   Rank the files of a checkout for an issue (what the model would see)
  apply     Ask for a plan's edits and apply them to a checkout, checked as /approve does

Run 'issue-agent <command> --help' for the options of a command.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "plan": {
      // The repository scan's threads load while the command's own modules do.
      warmScanWorkers();
      const { runPlanCommand } = await import("./plan-command.js");
      return runPlanCommand(rest);
    }
    case "apply": {
      warmScanWorkers();
      const { runApplyCommand } = await import("./apply-command.js");
      return runApplyCommand(rest);
    }
    case "context": {
      warmScanWorkers();
      const { runContextCommand } = await import("./context-command.js");
      return runContextCommand(rest);
    }
    case undefined:
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`issue-agent: unknown command '${command}'\n\n${USAGE}\n`);
      return 2;
  }
}

await runEntry(() =>
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `issue-agent: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  ),
);
