// The scripts are served from template literals: an escape written for TypeScript (a "\n" that should have been
// "\\n") turns into a syntax error only in the browser, where every key then silently does nothing.
import { describe, expect, it } from "vitest";
import { appJs } from "./app-js.js";
import { replyEditorJs } from "./reply-editor-js.js";

describe("served scripts", () => {
  it.each([
    ["app.js", appJs],
    ["the reply editor", replyEditorJs],
  ])("%s parses as JavaScript", (_name, source) => {
    expect(() => new Function(source)).not.toThrow();
  });
});
