/**
 * Reading a file that an edit may rewrite. Edits work on text and are written back as
 * UTF-8, so a file in another encoding (Latin-1, Windows-1252, Shift JIS...) would come
 * back with every byte that is not valid UTF-8 replaced by U+FFFD: such a file is
 * refused, never edited, and the model is not asked to edit it.
 */
import { readFile } from "node:fs/promises";

export class NotUtf8Error extends Error {
  constructor() {
    super(
      "not UTF-8 text: writing an edit would replace every byte that is not valid UTF-8; change it by hand, or convert the file to UTF-8 first",
    );
  }
}

/** Strict, and keeps a byte order mark: the bytes written back are the bytes read. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The file's text; `undefined` when it does not exist; NotUtf8Error when it is not UTF-8. */
export async function readUtf8File(file: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new NotUtf8Error();
  }
}
