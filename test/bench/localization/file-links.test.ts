import { describe, expect, it } from "@jest/globals";
import { PathIndex } from "../../../action/context/path-index.js";
import { fileFacts, fileLinks } from "./file-links.js";

describe("links between two files", () => {
  const paths = ["pkg/handlers.py", "pkg/storage.py", "docs/api.rst"];
  const index = new PathIndex(paths);
  const facts = (path: string, text: string) => fileFacts(path, paths.indexOf(path), text, index);
  const handlers = facts(
    "pkg/handlers.py",
    "from pkg.storage import save_receipt\n\ndef handle_receipt(r):\n    save_receipt(r)\n",
  );
  const storage = facts(
    "pkg/storage.py",
    "def save_receipt(r):\n    pass\n\ndef handle_receipt(r):\n    pass\n",
  );
  const docs = facts("docs/api.rst", "Receipts\n========\n\nSee handle_receipt.\n");

  it("finds an import, a call and a shared definition between files of one package", () => {
    expect(fileLinks(handlers, storage)).toEqual({
      sameDirectory: true,
      aImportsB: true,
      bImportsA: false,
      // `save_receipt` is used by handlers and defined only in storage.
      aUsesB: 1,
      bUsesA: 0,
      sharedDefinitions: 1,
    });
    // A name both define is not a use: each has its own.
    const both = facts("pkg/storage.py", "def handle_receipt(r):\n    pass\n");
    expect(fileLinks(handlers, both)).toMatchObject({ aUsesB: 0, sharedDefinitions: 1 });
  });

  it("counts a name written in a document as a use, without any import or directory", () => {
    expect(fileLinks(docs, handlers)).toEqual({
      sameDirectory: false,
      aImportsB: false,
      bImportsA: false,
      aUsesB: 1,
      bUsesA: 0,
      sharedDefinitions: 0,
    });
  });
});
