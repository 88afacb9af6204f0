import { readFileSync } from "node:fs";

/**
 * The issue a command works on, from `--issue-file` (first line the title, the rest the
 * body) or `--title` with `--body`/`--body-file`. A string result is the usage error.
 */
export function readIssueInput(values: {
  "issue-file"?: string | undefined;
  title?: string | undefined;
  body?: string | undefined;
  "body-file"?: string | undefined;
}): { title: string; body: string } | string {
  const bodyGiven = values.body !== undefined || values["body-file"] !== undefined;
  if (values["issue-file"] && (values.title !== undefined || bodyGiven))
    return "give the issue with --issue-file F or with --title T and its body, not both";
  if (values.body !== undefined && values["body-file"] !== undefined)
    return "give the body with --body B or --body-file F, not both";
  if (!values["issue-file"] && values.title === undefined && bodyGiven)
    return "--body and --body-file need the issue's --title T";
  if (values["issue-file"]) {
    let text: string;
    try {
      text = readFileSync(values["issue-file"], "utf8");
    } catch (error) {
      return `cannot read --issue-file ${values["issue-file"]}: ${(error as Error).message}`;
    }
    // A byte-order mark, as some editors write, is not part of the title.
    const [first = "", ...rest] = text
      .replace(/^\uFEFF/, "")
      .replace(/\r\n/g, "\n")
      .split("\n");
    const title = first.replace(/^#+\s*/, "").trim();
    if (!title) return `--issue-file ${values["issue-file"]}: the first line (the title) is empty`;
    return { title, body: rest.join("\n").trim() };
  }
  if (!values.title)
    return "give the issue with --issue-file F, or --title T (and --body B or --body-file F)";
  let body = values.body ?? "";
  if (values["body-file"]) {
    try {
      body = readFileSync(values["body-file"], "utf8");
    } catch (error) {
      return `cannot read --body-file ${values["body-file"]}: ${(error as Error).message}`;
    }
  }
  return { title: values.title, body };
}

/** The checkout's HEAD commit, or a placeholder when it cannot be read (informational only). */
export function gitHead(dir: string): string {
  try {
    const head = readFileSync(`${dir}/.git/HEAD`, "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = head.replace(/^ref: /, "");
    const sha = readFileSync(`${dir}/.git/${ref}`, "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(sha)) return sha;
  } catch {
    // Not a git checkout, or packed refs: the sha is informational only.
  }
  return "0000000";
}
