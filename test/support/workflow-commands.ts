/**
 * The workflow commands a GitHub runner would act on in a step's output, read as the
 * runner reads them: a line that, after leading whitespace, starts with `::name …::`;
 * the older `##[name …]` form anywhere in a line; and nothing from a
 * `::stop-commands::TOKEN` line up to the line `::TOKEN::`, which turns them on again.
 */
export interface WorkflowCommand {
  name: string;
  line: string;
}

export function workflowCommands(output: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  for (const line of output.split(/\r?\n/)) {
    const text = line.trim();
    if (stopToken !== undefined) {
      if (text === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const modern = /^::([A-Za-z][\w-]*)(?:\s[^:]*)?::(.*)$/.exec(text);
    if (modern) {
      const name = modern[1] ?? "";
      if (name === "stop-commands") stopToken = modern[2];
      commands.push({ name, line });
      continue;
    }
    const legacy = /##\[([A-Za-z][\w-]*)[^\]]*\]/.exec(line);
    if (legacy) commands.push({ name: legacy[1] ?? "", line });
  }
  return commands;
}
