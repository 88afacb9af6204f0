/**
 * Size limits of the messages, in one place: the schemas enforce them and the Action's
 * request builder bounds what it sends to them, so a request it builds always validates.
 */

/** The largest request body a worker accepts (bytes). Larger bodies are dead-lettered. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/**
 * The text of the files a code request carries, in all (bytes). The worker fits them to
 * its model's window; this only keeps a request under MAX_REQUEST_BYTES with its context.
 */
export const MAX_CODE_FILES_BYTES = 1_200_000;

/** Issue titles beyond this are cut. */
export const MAX_ISSUE_TITLE_CHARS = 1000;

/** Issue bodies beyond this are cut, with a note saying so (the note counts). */
export const MAX_ISSUE_BODY_CHARS = 65_000;

/** Maintainer guidance (the lines after `/plan` or `/approve`). */
export const MAX_GUIDANCE_CHARS = 10_000;

/** Labels sent with an issue, and the length of each. */
export const MAX_LABELS = 100;
export const MAX_LABEL_CHARS = 100;

/**
 * The longest a request may live after it is signed: the Action's `timeout-minutes` can
 * be at most this, and a worker accepts a signed request until its own (signed) deadline
 * but never a deadline further than this after signing. A request waiting its turn in
 * the queue, or requeued by a stopped worker, is then still genuine while its requester
 * waits; a captured one is worthless after its deadline.
 */
export const MAX_REQUEST_LIFETIME_MS = 6 * 60 * 60 * 1000;
