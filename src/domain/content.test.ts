import { describe, expect, it } from "vitest";
import { contentKey, stripMarkup } from "./content.js";

describe("stripMarkup", () => {
  it("drops tags and decodes entities", () => {
    expect(stripMarkup("<b>Acme</b> recalls&nbsp;widgets &amp; more &#39;now&#x27;")).toBe(
      "Acme recalls widgets & more 'now'",
    );
  });
  it("drops script bodies entirely", () => {
    expect(stripMarkup("hi<script>alert(1)</script> there")).toBe("hi there");
  });
  it("keeps paragraph breaks as newlines", () => {
    expect(stripMarkup("<p>one</p><p>two</p>")).toBe("one\ntwo");
  });
});

describe("contentKey", () => {
  it("gives a retweet and its original the same key", () => {
    const original = "Acme Recovery called my mom about MY debt!! https://t.co/abc #fdcpa";
    expect(contentKey(`RT @someone: ${original}`)).toBe(contentKey(original));
  });
  it("tells different texts apart", () => {
    expect(contentKey("stop calling me")).not.toBe(contentKey("please call me"));
  });
});
