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
    expect(stripMarkup("one<br/>  \r\n \n two<BR>three")).toBe("one\ntwo\nthree");
  });
  it("keeps a '<' that opens no tag, and drops an unclosed script to the end", () => {
    expect(stripMarkup("3 < 5 and 7 > 6")).toBe("3 6");
    expect(stripMarkup("a < b")).toBe("a < b");
    expect(stripMarkup("before<script>steal()")).toBe("before");
    expect(stripMarkup("x<STYLE>p{}</STYLE>y")).toBe("x y");
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
